package io.conflictmon.deploy;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code --config FILE} of every command, and the {@code kafka.*} client properties that file holds. */
final class ConfigOption {
    @Option(names = "--config", paramLabel = "FILE",
            description = "A .properties or YAML file of settings: keys are long option names without the dashes "
                    + "(http-port: 8080), plus kafka.* client properties (kafka.security.protocol: SASL_SSL). "
                    + "Flags win over CONFLICTMON_* variables, which win over the file.")
    Path file;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    /** Kafka client properties from the config file (prefix {@code kafka.} removed), for every client the command creates. */
    Map<String, Object> kafkaProperties() {
        Map<String, Object> props = new TreeMap<>();
        if (command.defaultValueProvider() instanceof ConfigSources sources) {
            props.putAll(sources.kafkaProperties());
        }
        return props;
    }

    /** As {@link #kafkaProperties()}, as strings. */
    Map<String, String> kafkaStrings() {
        Map<String, String> props = new TreeMap<>();
        kafkaProperties().forEach((k, v) -> props.put(k, String.valueOf(v)));
        return props;
    }
}
