package io.conflictmon.deploy;

import io.conflictmon.ingest.importer.ImportTopics;
import io.conflictmon.ingest.importer.Importer;
import io.conflictmon.ingest.model.WeaponClassifier;
import io.conflictmon.ingest.publish.ReportPublisher;
import io.conflictmon.ingest.publish.SpecificRecordSerializer;
import io.conflictmon.schemas.TopicSerdes;
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

    /** {@code kafka}: further client properties (security settings) for the producer and the index consumer. */
    IngestWiring(String bootstrapServers, TopicSerdes serdes, Map<String, Object> kafka) {
        this.publisher = ReportPublisher.create(bootstrapServers, SpecificRecordSerializer.of(serdes), kafka);
        Map<String, Object> consumer = new HashMap<>(kafka);
        consumer.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        this.importer = new Importer(publisher,
                Importer.kafkaIndexLoader(consumer, serdes, ImportTopics.DEFAULT, INDEX_TIMEOUT),
                WeaponClassifier.bundled(), Clock.systemUTC(), ImportTopics.DEFAULT);
    }

    @Override
    public void close() {
        publisher.close();
    }
}
