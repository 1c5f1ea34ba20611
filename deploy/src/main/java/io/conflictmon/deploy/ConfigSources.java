package io.conflictmon.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Where an option's value comes from when it is not on the command line: the environment ({@code --kafka-port} reads
 * {@code CONFLICTMON_KAFKA_PORT}), then the config file of {@code --config} (key = the long option name without its
 * dashes, {@code kafka-port}), then the built-in default. The file may also hold {@code kafka.*} keys: Kafka client
 * properties (security settings) passed through to every client the command creates.
 */
final class ConfigSources implements CommandLine.IDefaultValueProvider {
    /** Where a value came from, as the effective config shows it. */
    enum Origin { FLAG, ENV, FILE, DEFAULT }

    static final String KAFKA_PREFIX = "kafka.";
    private static final Pattern SECRET = Pattern.compile("(?i).*(token|password|secret|jaas|credential|api[._-]?key).*");

    private final Map<String, String> env;
    private Path file;
    private Map<String, String> fileValues = Map.of();

    ConfigSources(Map<String, String> env) {
        this.env = Map.copyOf(env);
    }

    static String variableOf(String longOption) {
        return "CONFLICTMON_" + keyOf(longOption).replace('-', '_').toUpperCase(Locale.ROOT);
    }

    /** The config file key of an option: its long name without the leading dashes. */
    static String keyOf(String longOption) {
        return longOption.replaceFirst("^-+", "");
    }

    static boolean isSecret(String key) {
        return SECRET.matcher(key).matches();
    }

    /** Reads the config file; later lookups see its values. Keys that no option of {@code root} has are refused. */
    void load(Path path, CommandLine root) {
        Map<String, String> values = read(path);
        Set<String> known = optionKeys(root);
        Set<String> unknown = new TreeSet<>();
        values.keySet().stream().filter(k -> !k.startsWith(KAFKA_PREFIX) && !known.contains(k)).forEach(unknown::add);
        if (!unknown.isEmpty()) {
            throw new CommandLine.ParameterException(root, "config file " + path + ": unknown key(s) " + unknown
                    + "; keys are long option names without dashes (" + String.join(", ", known)
                    + ") or kafka.* client properties");
        }
        this.file = path;
        this.fileValues = values;
    }

    Path file() {
        return file;
    }

    /** The {@code kafka.*} properties of the file, prefix removed. */
    Map<String, String> kafkaProperties() {
        Map<String, String> kafka = new TreeMap<>();
        fileValues.forEach((k, v) -> {
            if (k.startsWith(KAFKA_PREFIX)) {
                kafka.put(k.substring(KAFKA_PREFIX.length()), v);
            }
        });
        return kafka;
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (arg instanceof OptionSpec option && !option.usageHelp() && !option.versionHelp()) {
            String fromEnv = env.get(variableOf(option.longestName()));
            if (fromEnv != null) {
                return fromEnv;
            }
            String fromFile = fileValues.get(keyOf(option.longestName()));
            if (fromFile != null) {
                return fromFile;
            }
        }
        return arg.defaultValue();
    }

    /** The origin of an option's value after parsing. */
    Origin origin(OptionSpec option, CommandLine.ParseResult parsed) {
        if (parsed.hasMatchedOption(option)) {
            return Origin.FLAG;
        }
        if (env.containsKey(variableOf(option.longestName()))) {
            return Origin.ENV;
        }
        return fileValues.containsKey(keyOf(option.longestName())) ? Origin.FILE : Origin.DEFAULT;
    }

    /** Every option key of a command tree (the help and version flags excepted). */
    static Set<String> optionKeys(CommandLine root) {
        Set<String> keys = new TreeSet<>();
        collect(root, keys);
        return keys;
    }

    private static void collect(CommandLine cmd, Set<String> keys) {
        cmd.getCommandSpec().options().stream().filter(o -> !o.usageHelp() && !o.versionHelp())
                .forEach(o -> keys.add(keyOf(o.longestName())));
        cmd.getSubcommands().values().forEach(sub -> collect(sub, keys));
    }

    /** A .properties file, or YAML (.yaml/.yml) whose nested maps flatten to dotted keys and lists to commas. */
    static Map<String, String> read(Path path) {
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        try (InputStream in = Files.newInputStream(path)) {
            Map<String, String> values = new LinkedHashMap<>();
            if (name.endsWith(".properties")) {
                Properties props = new Properties();
                props.load(in);
                props.stringPropertyNames().forEach(k -> values.put(k.trim(), props.getProperty(k).trim()));
            } else if (name.endsWith(".yaml") || name.endsWith(".yml")) {
                JsonNode root = new YAMLMapper().readTree(in);
                if (root != null && !root.isMissingNode() && !root.isNull()) {
                    if (!root.isObject()) {
                        throw new IllegalArgumentException("config file " + path + ": expected a map of keys at the top");
                    }
                    flatten("", root, values);
                }
            } else {
                throw new IllegalArgumentException("config file " + path + ": use .properties, .yaml or .yml");
            }
            return values;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read config file " + path + ": " + e.getMessage(), e);
        }
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> into) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                flatten(prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey(), field.getValue(), into);
            }
        } else if (node.isArray()) {
            into.put(prefix, String.join(",", StreamSupport.stream(node.spliterator(), false).map(JsonNode::asText).toList()));
        } else if (!node.isNull()) {
            into.put(prefix, node.asText());
        }
    }
}
