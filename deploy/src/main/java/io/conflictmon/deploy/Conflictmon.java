package io.conflictmon.deploy;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code conflictmon} command line: one entry point, a subcommand per service. */
@Command(name = "conflictmon",
        mixinStandardHelpOptions = true,
        versionProvider = Conflictmon.Version.class,
        description = "Conflict monitoring pipeline on Apache Kafka: strike and casualty reports in, "
                + "attack waves, totals and year-on-year casualties out.",
        subcommands = {DemoCommand.class, ImportCommand.class, IngestCommand.class, RegistryCommand.class,
                CommandLine.HelpCommand.class})
public final class Conflictmon {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Conflictmon());
        // Flags may also come from CONFLICTMON_* environment variables, e.g. CONFLICTMON_KAFKA_PORT for --kafka-port.
        cli.setDefaultValueProvider(new EnvironmentDefaults(System.getenv()));
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println(cmd.getColorScheme().errorText("conflictmon: " + e.getMessage()));
            org.slf4j.LoggerFactory.getLogger(Conflictmon.class).debug("command failed", e);
            return 1;
        });
        return cli;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = Conflictmon.class.getPackage().getImplementationVersion();
            return new String[] {"conflictmon " + (version == null ? "(development build)" : version),
                    "Kafka clients " + org.apache.kafka.common.utils.AppInfoParser.getVersion(),
                    "Java " + System.getProperty("java.version")};
        }
    }
}
