package io.conflictmon.deploy;

import io.conflictmon.ingest.importer.ImportTopics;
import io.conflictmon.ingest.importer.Importer;
import io.conflictmon.ingest.model.WeaponClassifier;
import io.conflictmon.ingest.publish.ReportPublisher;
import io.conflictmon.ingest.publish.SpecificRecordSerializer;
import io.conflictmon.schemas.TopicSerdes;
import io.conflictmon.security.KafkaClientSecurity;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;

/** Builds the ingest side (publisher and importer) on a cluster and a registry. */
final class IngestWiring implements AutoCloseable {
    private static final Duration INDEX_TIMEOUT = Duration.ofSeconds(60);

    final ReportPublisher publisher;
    final Importer importer;

    /** On a PLAINTEXT cluster without authentication (the embedded broker). */
    IngestWiring(String bootstrapServers, TopicSerdes serdes) {
        this(bootstrapServers, KafkaClientSecurity.none(), serdes);
    }

    IngestWiring(String bootstrapServers, KafkaClientSecurity security, TopicSerdes serdes) {
        this.publisher = ReportPublisher.create(bootstrapServers, SpecificRecordSerializer.of(serdes),
                Map.copyOf(security.properties()));
        this.importer = new Importer(publisher, Importer.kafkaIndexLoader(bootstrapServers, security.properties(),
                serdes, ImportTopics.DEFAULT, INDEX_TIMEOUT),
                WeaponClassifier.bundled(), Clock.systemUTC(), ImportTopics.DEFAULT);
    }

    @Override
    public void close() {
        publisher.close();
    }
}
