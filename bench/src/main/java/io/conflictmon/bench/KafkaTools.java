package io.conflictmon.bench;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.utils.Exit;
import org.apache.kafka.tools.ConsumerPerformance;
import org.apache.kafka.tools.ProducerPerformance;

/**
 * Runs Kafka's own performance tools ({@code kafka-producer-perf-test}, {@code kafka-consumer-perf-test}) in this JVM,
 * against the same broker as our code, and reads their results from what they print.
 *
 * <p>Why through {@code main} and stdout: the tools have no public API for their results; their printed summary is
 * their stable interface (the same lines the shell scripts show). While a tool runs, {@code System.out} is captured
 * and {@link Exit} throws instead of ending the JVM, so a tool's failure becomes an exception here.
 */
public final class KafkaTools {
    /** {@code 200000 records sent, 81234.5 records/sec (24.07 MB/sec), 210.31 ms avg latency, ...}: the last one is the total. */
    private static final Pattern PRODUCER_TOTAL = Pattern.compile(
            "(\\d+) records sent, ([\\d.]+) records/sec \\(([\\d.]+) MB/sec\\), ([\\d.]+) ms avg latency, ([\\d.]+) ms max latency");

    private KafkaTools() {
    }

    /** The closing summary of a ProducerPerformance run. */
    public record ProducerResult(long records, double recordsPerSecond, double megabytesPerSecond, double avgLatencyMs,
            double maxLatencyMs, String output) {
    }

    /** The result row of a ConsumerPerformance run, by its column names ({@code nMsg.sec}, {@code fetch.nMsg.sec}, ...). */
    public record ConsumerResult(Map<String, String> columns, String output) {
        public long records() {
            return Long.parseLong(column("data.consumed.in.nMsg"));
        }

        /** Records per second over the whole run, the group join (rebalance) included. */
        public double recordsPerSecond() {
            return Double.parseDouble(column("nMsg.sec"));
        }

        /** Records per second while fetching, the group join left out. */
        public double fetchRecordsPerSecond() {
            return Double.parseDouble(column("fetch.nMsg.sec"));
        }

        public long rebalanceMillis() {
            return Long.parseLong(column("rebalance.time.ms"));
        }

        private String column(String name) {
            String value = columns.get(name);
            if (value == null) {
                throw new IllegalStateException("ConsumerPerformance printed no column " + name + "; it printed:\n" + output);
            }
            return value.trim();
        }
    }

    /** {@code kafka-producer-perf-test} with these arguments. */
    public static ProducerResult producerPerformance(List<String> args) {
        String output = run("ProducerPerformance", args, a -> ProducerPerformance.main(a));
        Matcher matcher = PRODUCER_TOTAL.matcher(output);
        ProducerResult last = null;
        while (matcher.find()) {
            last = new ProducerResult(Long.parseLong(matcher.group(1)), Double.parseDouble(matcher.group(2)),
                    Double.parseDouble(matcher.group(3)), Double.parseDouble(matcher.group(4)),
                    Double.parseDouble(matcher.group(5)), output);
        }
        if (last == null) {
            throw new IllegalStateException("ProducerPerformance printed no summary line; it printed:\n" + output);
        }
        return last;
    }

    /** {@code kafka-consumer-perf-test} with these arguments (header on, no detailed stats). */
    public static ConsumerResult consumerPerformance(List<String> args) {
        String output = run("ConsumerPerformance", args, ConsumerPerformance::main);
        List<String> lines = output.lines().filter(line -> !line.isBlank()).toList();
        for (int i = 0; i + 1 < lines.size(); i++) {
            if (lines.get(i).startsWith("start.time")) {
                String[] names = lines.get(i).split(",\\s*");
                String[] values = lines.get(i + 1).split(",\\s*");
                if (names.length != values.length) {
                    break;
                }
                Map<String, String> columns = new LinkedHashMap<>();
                for (int c = 0; c < names.length; c++) {
                    columns.put(names[c].trim(), values[c]);
                }
                return new ConsumerResult(columns, output);
            }
        }
        throw new IllegalStateException("ConsumerPerformance printed no result row; it printed:\n" + output);
    }

    /** A tool's {@code main}. */
    @FunctionalInterface
    private interface ToolMain {
        void run(String[] args) throws Exception;
    }

    /** Thrown in place of {@code Exit.exit} while a tool runs. */
    private static final class ToolExit extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ToolExit(int status, String message) {
            super("exit status " + status + (message == null ? "" : ": " + message));
        }
    }

    private static synchronized String run(String tool, List<String> args, ToolMain main) {
        PrintStream originalOut = System.out;
        Locale originalLocale = Locale.getDefault();
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        List<String> argv = new ArrayList<>(args);
        try (PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
            System.setOut(capture);
            // the tools print numbers with the default locale; the parsers above read a dot as decimal separator
            Locale.setDefault(Locale.ROOT);
            Exit.setExitProcedure((status, message) -> {
                throw new ToolExit(status, message);
            });
            main.run(argv.toArray(String[]::new));
        } catch (Exception e) {
            throw new IllegalStateException(tool + " " + String.join(" ", argv) + " failed: " + e.getMessage()
                    + "\nIt printed:\n" + captured.toString(StandardCharsets.UTF_8), e);
        } finally {
            Exit.resetExitProcedure();
            Locale.setDefault(originalLocale);
            System.setOut(originalOut);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }
}
