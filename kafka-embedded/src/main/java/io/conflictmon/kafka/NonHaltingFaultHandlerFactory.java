package io.conflictmon.kafka;

import kafka.server.FaultHandlerFactory;
import org.apache.kafka.server.fault.FaultHandler;
import org.apache.kafka.server.fault.LoggingFaultHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Kafka's standard fault handler factory halts the JVM on a fatal fault (a controller that cannot bind
 * its port, a corrupt metadata log). That is right for a broker process of its own, wrong for a broker
 * embedded in a test JVM or in the demo launcher: a halted surefire fork reports nothing useful. This
 * factory logs every fault through Kafka's own {@link LoggingFaultHandler} and remembers the first fatal
 * one, so {@link EmbeddedKafkaBroker} can fail {@code start()} with it or report it.
 */
final class NonHaltingFaultHandlerFactory implements FaultHandlerFactory {

    private static final Logger log = LoggerFactory.getLogger(NonHaltingFaultHandlerFactory.class);

    private final AtomicReference<Throwable> firstFatalFault = new AtomicReference<>();

    @Override
    public FaultHandler build(String name, boolean fatal, Runnable action) {
        LoggingFaultHandler logging = new LoggingFaultHandler(name, action);
        if (!fatal) {
            return logging;
        }
        return (failureMessage, cause) -> {
            RuntimeException fault = logging.handleFault(failureMessage, cause);
            if (firstFatalFault.compareAndSet(null, fault)) {
                log.error("Fatal fault in the embedded Kafka node ({}): {}. A standalone broker would halt now; "
                        + "this one stays up but should be closed and restarted.", name, failureMessage);
            }
            return fault;
        };
    }

    Optional<Throwable> firstFatalFault() {
        return Optional.ofNullable(firstFatalFault.get());
    }
}
