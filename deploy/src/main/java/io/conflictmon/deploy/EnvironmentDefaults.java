package io.conflictmon.deploy;

import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;

/**
 * Default values of options from the environment: option {@code --kafka-port} of any subcommand reads
 * {@code CONFLICTMON_KAFKA_PORT}. A flag on the command line wins over the environment, which wins over
 * the built-in default.
 */
final class EnvironmentDefaults implements CommandLine.IDefaultValueProvider {
    private final Map<String, String> env;

    EnvironmentDefaults(Map<String, String> env) {
        this.env = env;
    }

    static String variableOf(String longOption) {
        return "CONFLICTMON_" + longOption.replaceFirst("^-+", "").replace('-', '_').toUpperCase(Locale.ROOT);
    }

    @Override
    public String defaultValue(CommandLine.Model.ArgSpec arg) {
        if (arg instanceof CommandLine.Model.OptionSpec option) {
            String value = env.get(variableOf(option.longestName()));
            if (value != null) {
                return value;
            }
        }
        return arg.defaultValue();
    }
}
