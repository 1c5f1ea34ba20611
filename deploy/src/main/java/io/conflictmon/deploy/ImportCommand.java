package io.conflictmon.deploy;

import io.conflictmon.ingest.importer.ImportFormat;
import io.conflictmon.ingest.importer.ImportProgressListener;
import io.conflictmon.ingest.importer.ImportSummary;
import io.conflictmon.ingest.importer.ReportKind;
import io.conflictmon.schemas.TopicSerdes;
import io.conflictmon.schemas.registry.HttpSchemaRegistryClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code conflictmon import strikes|casualties FILE}: bulk import with a progress bar and a closing summary. */
@Command(name = "import", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Import a file of reports: the Air Force attack log, OHCHR casualty tables or JSON Lines. "
                + "Re-importing a file publishes nothing new.")
final class ImportCommand implements Callable<Integer> {
    enum Kind { strikes, casualties }

    @Parameters(index = "0", description = "What the file holds: ${COMPLETION-CANDIDATES}.")
    Kind kind;

    @Parameters(index = "1", description = "The file to import.")
    Path file;

    @Option(names = "--format", description = "air-force-csv, ohchr-monthly, ohchr-annual or jsonl "
            + "(default: recognised from the file name).")
    String format;

    @Mixin
    ClusterOptions cluster = new ClusterOptions();

    @Mixin
    ConfigOption config = new ConfigOption();

    @Override
    public Integer call() throws Exception {
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException("cannot read " + file);
        }
        ImportFormat importFormat = format == null ? ImportFormat.of(file) : ImportFormat.fromCliName(format);
        ReportKind reportKind = kind == Kind.strikes ? ReportKind.STRIKE : ReportKind.CASUALTY;
        try (HttpSchemaRegistryClient client = new HttpSchemaRegistryClient(cluster.registryUrl);
                IngestWiring ingest = new IngestWiring(cluster.bootstrapServers, config.kafkaSecurity(),
                        new TopicSerdes(client, true))) {
            ImportSummary summary = ingest.importer.importFile(file, importFormat, reportKind,
                    ImportProgressListener.forConsole());
            System.out.println(summary);
            return 0;
        }
    }
}
