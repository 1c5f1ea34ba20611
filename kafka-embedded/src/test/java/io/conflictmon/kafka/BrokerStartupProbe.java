package io.conflictmon.kafka;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

/**
 * Measures how long {@link EmbeddedKafkaBroker#start()} takes: cold (empty data dir, storage formatted)
 * and warm (restart on the data dir of the cold run, which holds a few topics and records), plus
 * {@link EmbeddedKafkaBroker#close()}. Each run uses a fresh data dir; run 1 also pays for class loading
 * and JIT warm-up of this JVM.
 *
 * <p>Usage: {@code java -cp <test classpath> io.conflictmon.kafka.BrokerStartupProbe [runs] [records]}
 */
public final class BrokerStartupProbe {

    private BrokerStartupProbe() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int records = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        List<long[]> results = new ArrayList<>();
        for (int run = 1; run <= runs; run++) {
            Path dataDir = Files.createTempDirectory("broker-startup-probe-");
            try {
                results.add(measure(dataDir, records));
            } finally {
                Utils.delete(dataDir.toFile());
            }
        }
        print(results, records);
    }

    /** Returns {cold start ms, cold close ms, warm start ms, warm close ms}. */
    private static long[] measure(Path dataDir, int records) throws Exception {
        EmbeddedKafkaBroker cold = EmbeddedKafkaBroker.builder().dataDir(dataDir).build();
        long coldStart = timeMillis(cold::start);
        try {
            cold.createTopic("probe.strike-reports", 6, Map.of("cleanup.policy", "compact"));
            cold.createTopic("probe.waves", 6);
            write(cold.bootstrapServers(), "probe.strike-reports", records);
        } catch (RuntimeException e) {
            cold.close();
            throw e;
        }
        long coldClose = timeMillis(cold::close);

        EmbeddedKafkaBroker warm = EmbeddedKafkaBroker.builder().dataDir(dataDir).build();
        long warmStart = timeMillis(warm::start);
        long warmClose = timeMillis(warm::close);
        return new long[] {coldStart, coldClose, warmStart, warmClose};
    }

    /** Writes and waits for every acknowledgement, so a failed write fails the probe instead of skewing it. */
    private static void write(String bootstrap, String topic, int records) throws Exception {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all",
                        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000),
                new StringSerializer(), new StringSerializer())) {
            List<Future<RecordMetadata>> acks = new ArrayList<>(records);
            for (int i = 0; i < records; i++) {
                acks.add(producer.send(new ProducerRecord<>(topic, "report-" + i, "{\"launched\":" + i + "}")));
            }
            for (Future<RecordMetadata> ack : acks) {
                ack.get();
            }
        }
    }

    private static long timeMillis(Runnable action) {
        long start = System.nanoTime();
        action.run();
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }

    private static void print(List<long[]> results, int records) {
        System.out.printf("%nEmbeddedKafkaBroker start/stop times (ms), %d records written before the restart%n", records);
        System.out.printf("| run | cold start (format) | close | warm restart | close |%n");
        System.out.printf("|----:|--------------------:|------:|-------------:|------:|%n");
        for (int i = 0; i < results.size(); i++) {
            long[] r = results.get(i);
            System.out.printf("| %3d | %19d | %5d | %12d | %5d |%n", i + 1, r[0], r[1], r[2], r[3]);
        }
        if (results.size() > 1) {
            List<long[]> warmedUp = results.subList(1, results.size());
            System.out.printf("| median of runs 2..%d | %d | %d | %d | %d |%n", results.size(),
                    median(warmedUp, 0), median(warmedUp, 1), median(warmedUp, 2), median(warmedUp, 3));
        }
    }

    private static long median(List<long[]> results, int column) {
        long[] sorted = results.stream().flatMapToLong(r -> LongStream.of(r[column])).sorted().toArray();
        return sorted[sorted.length / 2];
    }
}
