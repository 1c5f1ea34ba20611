package io.conflictmon.deploy;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Lets a long-running command close its services cleanly on Ctrl-C / SIGTERM: the JVM's shutdown hook
 * wakes the command's thread, then holds the JVM until that thread has closed everything (or a grace
 * period passed).
 */
final class ShutdownSignal {
    private static final Duration GRACE = Duration.ofSeconds(45);
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
        return signal;
    }

    /** Blocks until the process is asked to stop. */
    void awaitStopRequest() throws InterruptedException {
        requested.await();
    }

    /** The command has closed its services; the JVM may exit. */
    void finished() {
        finished.countDown();
    }
}
