package io.conflictmon.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.OptionSpec;

/** The {@code conflictmon} command line: one entry point, a subcommand per service. */
@Command(name = "conflictmon",
        mixinStandardHelpOptions = true,
        versionProvider = Conflictmon.Version.class,
        usageHelpAutoWidth = true,
        description = "Conflict monitoring pipeline on Apache Kafka: strike and casualty reports in, "
                + "attack waves, totals and year-on-year casualties out.",
        subcommands = {DemoCommand.class, ImportCommand.class, IngestCommand.class, StreamsCommand.class, TopicsCommand.class,
                RegistryCommand.class, CommandLine.HelpCommand.class},
        footerHeading = "%nConfiguration:%n",
        footer = {"Every option can also come from the environment as CONFLICTMON_<OPTION> (--http-port: "
                + "CONFLICTMON_HTTP_PORT) or from the file of --config (key http-port). A flag wins over the "
                + "environment, which wins over the file, which wins over the default. Each command prints its "
                + "effective configuration at start, secrets masked.",
                "",
                "Examples:",
                "  conflictmon demo",
                "  conflictmon demo --data ../shared/data --speed 50",
                "  conflictmon streams --config conflictmon.yaml --advertised-url streams-0.streams:8080",
                "  conflictmon import strikes missile_attacks_daily.csv --bootstrap-servers kafka:9092",
                "  conflictmon help streams"})
public final class Conflictmon {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        return commandLine(System.getenv());
    }

    /** The command line reading {@code CONFLICTMON_*} variables from {@code env}. */
    static CommandLine commandLine(Map<String, String> env) {
        CommandLine cli = new CommandLine(new Conflictmon());
        ConfigSources sources = new ConfigSources(env);
        cli.setDefaultValueProvider(sources);
        cli.setExecutionStrategy(parsed -> execute(cli, sources, parsed));
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println(cmd.getColorScheme().errorText("conflictmon: " + e.getMessage()));
            org.slf4j.LoggerFactory.getLogger(Conflictmon.class).debug("command failed", e);
            return 1;
        });
        return cli;
    }

    /** Reads the config file, prints the effective configuration, then runs the command. */
    private static int execute(CommandLine cli, ConfigSources sources, CommandLine.ParseResult parsed) {
        if (!helpRequested(parsed)) {
            parsed = withConfigFile(cli, sources, parsed);
            CommandLine.ParseResult command = leaf(parsed);
            if (command.commandSpec().findOption("--config") != null) {
                EffectiveConfig.print(command, sources, command.commandSpec().commandLine().getOut());
            }
        }
        return new CommandLine.RunLast().execute(parsed);
    }

    /**
     * Defaults are applied before parsing, so a {@code --config} (or {@code CONFLICTMON_CONFIG}) seen in this parse
     * loads the file and re-parses the arguments with its values in place; without one, {@code parsed} as it is.
     */
    static CommandLine.ParseResult withConfigFile(CommandLine cli, ConfigSources sources, CommandLine.ParseResult parsed) {
        CommandLine.ParseResult command = leaf(parsed);
        OptionSpec configOption = command.commandSpec().findOption("--config");
        Path configFile = configOption == null ? null : configOption.getValue();
        if (configFile == null) {
            return parsed;
        }
        try {
            sources.load(configFile, cli);
        } catch (IllegalArgumentException | UncheckedIOException e) {
            throw new CommandLine.ParameterException(command.commandSpec().commandLine(), e.getMessage(), e);
        }
        return cli.parseArgs(parsed.originalArgs().toArray(new String[0]));
    }

    static CommandLine.ParseResult leaf(CommandLine.ParseResult parsed) {
        return parsed.subcommands().isEmpty() ? parsed : leaf(parsed.subcommands().get(parsed.subcommands().size() - 1));
    }

    private static boolean helpRequested(CommandLine.ParseResult parsed) {
        return parsed.asCommandLineList().stream().anyMatch(c -> c.isUsageHelpRequested() || c.isVersionHelpRequested())
                || leaf(parsed).commandSpec().userObject() instanceof CommandLine.HelpCommand;
    }

    /** The Maven project version, written into {@value #VERSION_RESOURCE} when the module is built. */
    static final String VERSION_RESOURCE = "/conflictmon-version.properties";

    static String version() {
        try (InputStream in = Conflictmon.class.getResourceAsStream(VERSION_RESOURCE)) {
            if (in == null) {
                return "(development build)";
            }
            Properties props = new Properties();
            props.load(in);
            return props.getProperty("version", "(development build)");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"conflictmon " + version(),
                    "Kafka clients " + org.apache.kafka.common.utils.AppInfoParser.getVersion(),
                    "Java " + System.getProperty("java.version")};
        }
    }
}
