package io.conflictmon.deploy;

import io.conflictmon.avro.WaveSummary;
import io.conflictmon.schemas.serde.AvroDeserializer;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The README's downstream consumer: a plain {@link KafkaConsumer} with our {@link AvroDeserializer} reading
 * {@code conflict.waves.v1}. Compiled and run by {@code StreamsCommandTest}, so the README's copy cannot rot.
 */
public final class WavesConsumerExample {
    private WavesConsumerExample() {}

    public static void main(String[] args) {
        consumeWaves(args[0], args[1], "wave-watcher", () -> true,
                (key, wave) -> System.out.println(key + (wave == null ? " merged into another wave"
                        : ": " + wave.getDrones() + " drones, " + wave.getMissiles() + " missiles")));
    }

    /** Calls {@code onWave} for every change of a wave (null: the wave was merged away) while {@code more} holds. */
    static void consumeWaves(String bootstrapServers, String registryUrl, String groupId,
            BooleanSupplier more, BiConsumer<String, WaveSummary> onWave) {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrapServers);
        props.put("group.id", groupId);
        props.put("auto.offset.reset", "earliest");
        props.put("isolation.level", "read_committed"); // the topology writes with exactly-once
        props.put("key.deserializer", StringDeserializer.class.getName());
        props.put("value.deserializer", AvroDeserializer.class.getName());
        props.put("schema.registry.url", registryUrl);
        props.put("value.type", WaveSummary.class.getName());
        try (KafkaConsumer<String, WaveSummary> consumer = new KafkaConsumer<>(props)) {
            consumer.subscribe(List.of("conflict.waves.v1"));
            while (more.getAsBoolean()) {
                for (ConsumerRecord<String, WaveSummary> record : consumer.poll(Duration.ofMillis(500))) {
                    onWave.accept(record.key(), record.value());
                }
            }
        }
    }
}
