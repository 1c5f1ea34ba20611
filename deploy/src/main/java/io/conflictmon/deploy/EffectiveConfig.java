package io.conflictmon.deploy;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/** The settings a command runs with, one line per key with where its value came from; secrets masked. */
final class EffectiveConfig {
    static final String MASK = "****";

    private EffectiveConfig() {}

    record Line(String key, String value, String origin) {}

    static List<Line> of(CommandLine.ParseResult command, ConfigSources sources) {
        List<Line> lines = new ArrayList<>();
        for (OptionSpec option : command.commandSpec().options()) {
            if (option.usageHelp() || option.versionHelp()) {
                continue;
            }
            String key = ConfigSources.keyOf(option.longestName());
            ConfigSources.Origin origin = sources.origin(option, command);
            String where = switch (origin) {
                case FLAG -> "flag";
                case ENV -> "env " + ConfigSources.variableOf(option.longestName());
                case FILE -> "file";
                case DEFAULT -> "default";
            };
            lines.add(new Line(key, show(key, option.getValue()), where));
        }
        if (command.commandSpec().findOption("--config") != null) {
            for (Map.Entry<String, String> kafka : sources.kafkaProperties().entrySet()) {
                String key = ConfigSources.KAFKA_PREFIX + kafka.getKey();
                lines.add(new Line(key, show(key, kafka.getValue()), "file"));
            }
        }
        return lines;
    }

    static void print(CommandLine.ParseResult command, ConfigSources sources, PrintWriter out) {
        List<Line> lines = of(command, sources);
        int width = lines.stream().mapToInt(l -> l.key().length()).max().orElse(0);
        out.printf("conflictmon %s, effective configuration%s:%n", command.commandSpec().name(),
                sources.file() == null ? "" : " (file " + sources.file() + ")");
        for (Line line : lines) {
            out.printf("  %-" + width + "s = %s  (%s)%n", line.key(), line.value(), line.origin());
        }
        out.flush();
    }

    private static String show(String key, Object value) {
        if (value == null) {
            return "(none)";
        }
        String text = value instanceof Collection<?> c ? String.join(",", c.stream().map(String::valueOf).toList())
                : String.valueOf(value);
        return ConfigSources.isSecret(key) && !text.isEmpty() ? MASK : text;
    }
}
