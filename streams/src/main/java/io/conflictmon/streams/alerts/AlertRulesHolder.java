package io.conflictmon.streams.alerts;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rules in force, read by the alert processors on every record, so a reload applies from the next record on and
 * keeps all alert state (what fired lives in the state stores, not here). Subjects are evaluated against the new rules
 * when they next change; a reload does not re-scan old waves or years.
 *
 * <p>A file-backed holder validates the file when created (a bad file fails start-up with the loader's message);
 * {@link #reload()} (or {@link #watch}, which polls the file's modification time, robust also where the file is a
 * swapped symlink as in a Kubernetes ConfigMap) keeps the old rules and logs the problems when the new file is bad.
 */
public final class AlertRulesHolder implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(AlertRulesHolder.class);

  private final Path file;
  private final AtomicReference<AlertRules> current;
  private volatile FileTime loadedModified;
  private ScheduledExecutorService watcher;

  private AlertRulesHolder(Path file, AlertRules rules, FileTime modified) {
    this.file = file;
    this.current = new AtomicReference<>(Objects.requireNonNull(rules, "rules"));
    this.loadedModified = modified;
  }

  /** The bundled default rules; nothing to reload. */
  public static AlertRulesHolder defaults() {
    return of(AlertRulesLoader.defaults());
  }

  /** Fixed rules, e.g. for tests; {@link #replace} swaps them. */
  public static AlertRulesHolder of(AlertRules rules) {
    return new AlertRulesHolder(null, rules, null);
  }

  /** Rules from a file, validated now: throws {@link AlertRulesException} naming every bad rule. */
  public static AlertRulesHolder fromFile(Path file) {
    FileTime modified = modifiedTime(file);
    AlertRules rules = AlertRulesLoader.load(file);
    LOG.info("Loaded {} alert rules from {}", rules.rules().size(), file);
    return new AlertRulesHolder(file, rules, modified);
  }

  public AlertRules current() {
    return current.get();
  }

  public Optional<Path> file() {
    return Optional.ofNullable(file);
  }

  /** Puts these rules in force (already validated by construction). */
  public void replace(AlertRules rules) {
    current.set(Objects.requireNonNull(rules, "rules"));
  }

  /**
   * Re-reads the file: true when the new rules are in force; false (old rules kept, problems logged) when the file is
   * bad or unreadable, or when there is no file.
   */
  public boolean reload() {
    if (file == null) {
      return false;
    }
    FileTime modified = modifiedTime(file);
    try {
      AlertRules rules = AlertRulesLoader.load(file);
      current.set(rules);
      loadedModified = modified;
      LOG.info("Reloaded {} alert rules from {}", rules.rules().size(), file);
      return true;
    } catch (AlertRulesException e) {
      loadedModified = modified; // do not log the same bad file again on every poll
      LOG.error("Keeping the alert rules in force: {}", e.getMessage());
      return false;
    }
  }

  /** Reloads whenever the file's modification time changes, checked every {@code interval}; stopped by close(). */
  public synchronized AlertRulesHolder watch(Duration interval) {
    if (file == null || watcher != null) {
      return this;
    }
    watcher = Executors.newSingleThreadScheduledExecutor(runnable -> {
      Thread thread = new Thread(runnable, "alert-rules-watcher");
      thread.setDaemon(true);
      return thread;
    });
    watcher.scheduleWithFixedDelay(() -> {
      if (!Objects.equals(modifiedTime(file), loadedModified)) {
        reload();
      }
    }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  private static FileTime modifiedTime(Path file) {
    try {
      return Files.getLastModifiedTime(file);
    } catch (IOException e) {
      return null;
    }
  }

  @Override
  public synchronized void close() {
    if (watcher != null) {
      watcher.shutdownNow();
      watcher = null;
    }
  }
}
