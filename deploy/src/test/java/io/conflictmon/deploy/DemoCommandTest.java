package io.conflictmon.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The README's first command: {@code conflictmon demo} replays the bundled sample on the embedded default and, run
 * again on the same data directory, publishes nothing new and keeps its aggregates.
 */
class DemoCommandTest {
    @TempDir
    Path dataDir;

    @Test
    void theDemoReplaysTheSampleAndARestartCountsNothingTwice() {
        String first = runDemo();
        assertThat(first).contains("conflictmon demo, effective configuration:")
                .containsPattern("data-dir +=  ?" + java.util.regex.Pattern.quote(dataDir.toString()) + "  \\(flag\\)")
                .containsPattern("kafka-port +=  ?0  \\(default\\)")
                .contains("published 295, unchanged 0, rejected 0")
                .contains("Civilian casualties ohchr 2025: 14,656 (killed 2,514, injured 12,142), +30.6% on 2024");
        String wavesLine = first.lines().filter(l -> l.endsWith("attack waves. Largest by drones:")).findFirst().orElseThrow();

        String second = runDemo();
        assertThat(second).contains("published 0, unchanged 295, rejected 0").contains(wavesLine)
                .contains("Civilian casualties ohchr 2025: 14,656 (killed 2,514, injured 12,142), +30.6% on 2024");
    }

    private String runDemo() {
        StringWriter err = new StringWriter();
        CommandLine cli = Conflictmon.commandLine();
        cli.setErr(new PrintWriter(err));
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.PrintStream previous = System.out;
        int exit;
        try (java.io.PrintStream capture = new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8)) {
            System.setOut(capture); // the demo prints its report with System.out, as a user sees it
            exit = cli.execute("demo", "--exit", "--data-dir", dataDir.toString(), "--http-port", "0", "--registry-port", "0");
        } finally {
            System.setOut(previous);
        }
        assertThat(exit).as("exit code; stderr: %s", err).isZero();
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }
}
