package io.conflictmon.deploy;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Lets a long-running command close its services cleanly on Ctrl-C / SIGTERM: the JVM's shutdown hook
 * wakes the command's thread, then holds the JVM until that thread has closed everything (or a grace
 * period passed).
 */
final class ShutdownSignal {
    private static final Duration GRACE = Duration.ofSeconds(45);
    private static final Set<ShutdownSignal> RUNNING = ConcurrentHashMap.newKeySet();
    private final CountDownLatch requested = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);

    static ShutdownSignal install() {
        ShutdownSignal signal = new ShutdownSignal();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            signal.requested.countDown();
            try {
                signal.finished.await(GRACE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "conflictmon-shutdown"));
        RUNNING.add(signal);
        return signal;
    }

    /** Asks every running command of this JVM to stop, as Ctrl-C does; for callers that run commands in-process (tests). */
    static void requestStopOfAll() {
        RUNNING.forEach(signal -> signal.requested.countDown());
    }

    /** Blocks until the process is asked to stop. */
    void awaitStopRequest() throws InterruptedException {
        requested.await();
    }

    /** The command has closed its services; the JVM may exit. */
    void finished() {
        RUNNING.remove(this);
        finished.countDown();
    }
}
