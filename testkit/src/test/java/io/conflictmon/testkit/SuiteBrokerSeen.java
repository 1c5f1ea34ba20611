package io.conflictmon.testkit;

import io.conflictmon.kafka.EmbeddedKafkaBroker;

import java.util.concurrent.atomic.AtomicReference;

/** The first suite broker any test class of this JVM saw; every later class must see the same one. */
final class SuiteBrokerSeen {
    private static final AtomicReference<EmbeddedKafkaBroker> FIRST = new AtomicReference<>();

    static EmbeddedKafkaBroker firstOr(EmbeddedKafkaBroker broker) {
        FIRST.compareAndSet(null, broker);
        return FIRST.get();
    }

    private SuiteBrokerSeen() {
    }
}
