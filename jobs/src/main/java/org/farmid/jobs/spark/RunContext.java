package org.farmid.jobs.spark;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * One invocation of a pipeline command: its run id (written into every row and Delta commit), the
 * command line, the hash of the effective settings, the counts it reports, and where progress lines
 * go.
 */
public final class RunContext {
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private final String runId;
  private final String command;
  private final String arguments;
  private final String configHash;
  private final Instant startedAt = Instant.now();
  private final Map<String, Long> counts = new LinkedHashMap<>();
  private final Consumer<String> progress;
  private String scope = "";
  private String detectorId;
  private String embedderId;
  private Long galleryVersion;

  public RunContext(String command, String arguments, String settings, Consumer<String> progress) {
    this.runId =
        STAMP.format(startedAt)
            + "-"
            + String.format("%06x", ThreadLocalRandom.current().nextInt(1 << 24));
    this.command = command;
    this.arguments = arguments;
    this.configHash = fingerprint(settings);
    this.progress = progress;
  }

  /**
   * A short stable hash of text parts (the first 16 hex digits of their SHA-256, parts separated by
   * a NUL byte): the config hash of a run and the fingerprint of a gallery's inputs.
   */
  public static String fingerprint(String... parts) {
    return org.farmid.common.config.Fingerprint.of(parts);
  }

  public String runId() {
    return runId;
  }

  public String command() {
    return command;
  }

  public String arguments() {
    return arguments;
  }

  public String configHash() {
    return configHash;
  }

  public Instant startedAt() {
    return startedAt;
  }

  public Map<String, Long> counts() {
    return counts;
  }

  public void count(String name, long value) {
    counts.put(scope.isEmpty() ? name : scope + "." + name, value);
  }

  /** Prefixes later counts with a stage name, when one command runs several stages. */
  public void scope(String stage) {
    this.scope = stage;
  }

  public void progress(String line) {
    progress.accept(line);
  }

  public String detectorId() {
    return detectorId;
  }

  public void detectorId(String id) {
    this.detectorId = id;
  }

  public String embedderId() {
    return embedderId;
  }

  public void embedderId(String id) {
    this.embedderId = id;
  }

  public Long galleryVersion() {
    return galleryVersion;
  }

  public void galleryVersion(Long version) {
    this.galleryVersion = version;
  }
}
