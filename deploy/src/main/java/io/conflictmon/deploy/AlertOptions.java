package io.conflictmon.deploy;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** Where the escalation rules come from and where alerts are posted (commands that run the topology). */
final class AlertOptions {
    @Option(names = "--alert-rules", paramLabel = "FILE",
            description = "Escalation rules (YAML), checked at start and reloaded when the file changes; "
                    + "default: the bundled rules (wave drones 200/400, missiles 30/60, record wave, drone surge 1.5x, "
                    + "casualties +25% year on year).")
    Path rulesFile;

    @Option(names = "--alert-webhook", paramLabel = "[NAME=]URL[,...]",
            description = "Post alerts to these Alertmanager-compatible webhooks (e.g. http://alertmanager:9093/api/v2/alerts); "
                    + "each has its own consumer group, retries with backoff and resumes where it stopped.")
    String webhooks;

    StreamsNode.Alerting alerting() {
        return new StreamsNode.Alerting(rulesFile, webhooks);
    }
}
