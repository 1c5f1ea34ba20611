package io.conflictmon.deploy;

import io.conflictmon.security.KafkaClientSecurity;
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

    @Option(names = "--kafka-config", paramLabel = "FILE",
            description = "A Kafka client properties file (security.protocol, sasl.*, ssl.*) applied to every Kafka client "
                    + "the command creates, over the config file's kafka.* properties.")
    Path kafkaConfig;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    /**
     * The Kafka client settings (TLS, SASL) for every client the command creates: the config file's {@code kafka.*}
     * properties (prefix removed), overridden by the {@code --kafka-config} file; checked by {@link KafkaClientSecurity}.
     */
    KafkaClientSecurity kafkaSecurity() {
        Map<String, String> props = new TreeMap<>();
        if (command.defaultValueProvider() instanceof ConfigSources sources) {
            sources.kafkaProperties().forEach((k, v) -> props.put(k, String.valueOf(v)));
        }
        props.putAll(KafkaClientSecurity.loadOrNone(kafkaConfig).properties());
        return KafkaClientSecurity.of(props);
    }

    /** As {@link #kafkaSecurity()}, as a client configuration map. */
    Map<String, Object> kafkaProperties() {
        return new TreeMap<>(kafkaSecurity().properties());
    }

    /** As {@link #kafkaSecurity()}, as strings. */
    Map<String, String> kafkaStrings() {
        return new TreeMap<>(kafkaSecurity().properties());
    }
}
