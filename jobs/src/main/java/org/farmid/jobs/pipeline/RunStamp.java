package org.farmid.jobs.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.farmid.common.config.Fingerprint;
import org.farmid.common.ingest.ArchiveChanges;
import org.farmid.jobs.spark.Storage;
import org.farmid.jobs.spark.Tables;

/**
 * What a finished {@code run} leaves beside its tables so that the next run over unchanged inputs
 * can say so without starting Spark: the fingerprint of everything the run was given (archive,
 * selection, settings, models, enrolment crops, register, ground truth, the job's own code), the
 * fingerprint of the archive's listing (path, size and modification time of every video file the
 * selection covers), and the latest Delta version of every table after the run.
 *
 * <p>A later run is up to date only when all three are equal: any new, changed or vanished file,
 * any other setting or model, and any commit to any table since (another stage, an analyst's {@code
 * --write}, a restore) sends it through the whole pipeline, whose stages then find what is new. The
 * stamp lives in {@code <warehouse>/_farmid/run-stamp.json}; removing it is always safe.
 */
public record RunStamp(
    String inputs, String listing, int files, Map<String, Long> versions, String runId) {

  /** The stamp's location below the warehouse root. */
  public static final String FILE = "_farmid/run-stamp.json";

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The fingerprint of the archive's listing as {@link
   * org.farmid.jobs.pipeline.ingest.IngestStage#list} gives it.
   */
  public static String listing(List<ArchiveChanges.Listed> files) {
    List<String> parts = new ArrayList<>();
    for (ArchiveChanges.Listed f : files) {
      parts.add(f.path() + "|" + f.sizeBytes() + "|" + f.modifiedMillis());
    }
    return Fingerprint.of(parts.toArray(String[]::new));
  }

  /**
   * The fingerprint of the files below a local folder or of one file (relative names, sizes,
   * modification times); {@code "none"} when the path is null, {@code "missing"} when it does not
   * exist. Paths below {@code skip} (the warehouse, when it sits inside the folder) are left out.
   */
  public static String files(Path path, Path skip) throws IOException {
    if (path == null) {
      return "none";
    }
    Path root = path.toAbsolutePath().normalize();
    if (!Files.exists(root)) {
      return "missing";
    }
    if (Files.isRegularFile(root)) {
      return Fingerprint.of(
          root.toString(),
          Long.toString(Files.size(root)),
          Long.toString(Files.getLastModifiedTime(root).toMillis()));
    }
    Path skipped = skip == null ? null : skip.toAbsolutePath().normalize();
    List<String> parts = new ArrayList<>();
    parts.add(root.toString());
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
        if (skipped != null && p.startsWith(skipped)) {
          continue;
        }
        parts.add(
            root.relativize(p)
                + "|"
                + Files.size(p)
                + "|"
                + Files.getLastModifiedTime(p).toMillis());
      }
    }
    return Fingerprint.of(parts.toArray(String[]::new));
  }

  /**
   * As {@link #files(Path, Path)} for a location given as a local path or a filesystem URI (a
   * model, enrolment crops); {@code "none"} when null.
   */
  public static String files(String location, Path skip, Configuration conf) throws IOException {
    if (location == null || Storage.isLocal(location)) {
      return files(location == null ? null : Path.of(location), skip);
    }
    FileSystem fs = Storage.fileSystem("model", location, conf);
    org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(location);
    if (!fs.exists(root)) {
      return "missing";
    }
    List<String> parts = new ArrayList<>(List.of(location));
    var it = fs.listFiles(root, true);
    while (it.hasNext()) {
      FileStatus f = it.next();
      parts.add(f.getPath() + "|" + f.getLen() + "|" + f.getModificationTime());
    }
    java.util.Collections.sort(parts.subList(1, parts.size()));
    return Fingerprint.of(parts.toArray(String[]::new));
  }

  /**
   * The size and time of the jar (or classes folder) the job runs from, so a new build of the job
   * never takes an old run's stamp for its own.
   */
  public static String code() {
    try {
      Path p = Path.of(RunStamp.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      return p + "|" + Files.size(p) + "|" + Files.getLastModifiedTime(p).toMillis();
    } catch (IOException | URISyntaxException | RuntimeException e) {
      return "unknown";
    }
  }

  /**
   * The latest committed version of each table below the warehouse, read from the names in its
   * {@code _delta_log} folder (one listing per table, no Spark); tables without a commit are left
   * out.
   */
  public static Map<String, Long> versions(String root, Configuration conf) throws IOException {
    FileSystem fs = Storage.fileSystem("--warehouse", root, conf);
    Map<String, Long> out = new LinkedHashMap<>();
    for (Tables t : Tables.values()) {
      org.apache.hadoop.fs.Path log =
          new org.apache.hadoop.fs.Path(
              Storage.resolve(Storage.resolve(root, t.tableName()), "_delta_log"));
      if (!fs.exists(log)) {
        continue;
      }
      long latest = -1;
      for (FileStatus f : fs.listStatus(log)) {
        latest = Math.max(latest, commitVersion(f.getPath().getName()));
      }
      if (latest >= 0) {
        out.put(t.tableName(), latest);
      }
    }
    return out;
  }

  /**
   * Hadoop settings before Spark starts: the defaults plus the {@code spark.hadoop.*} settings
   * spark-submit passes to the driver as system properties (an object store's endpoint and keys).
   */
  public static Configuration hadoopConf() {
    Configuration conf = new Configuration();
    for (String key : System.getProperties().stringPropertyNames()) {
      if (key.startsWith("spark.hadoop.")) {
        conf.set(key.substring("spark.hadoop.".length()), System.getProperty(key));
      }
    }
    return conf;
  }

  /** The version a Delta log file name commits ({@code 00000000000000000012.json}), else -1. */
  static long commitVersion(String name) {
    if (name.length() != 25
        || !name.endsWith(".json")
        || !name.substring(0, 20).chars().allMatch(Character::isDigit)) {
      return -1;
    }
    return Long.parseLong(name.substring(0, 20));
  }

  /** The stamp the last finished run left, or null when there is none or it cannot be read. */
  public static RunStamp read(String root, Configuration conf) {
    try {
      FileSystem fs = Storage.fileSystem("--warehouse", root, conf);
      org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(Storage.resolve(root, FILE));
      if (!fs.exists(p)) {
        return null;
      }
      JsonNode n;
      try (InputStream in = fs.open(p)) {
        n = JSON.readTree(in);
      }
      Map<String, Long> versions = new LinkedHashMap<>();
      n.get("versions")
          .fields()
          .forEachRemaining(e -> versions.put(e.getKey(), e.getValue().asLong()));
      return new RunStamp(
          n.get("inputs").asText(),
          n.get("listing").asText(),
          n.get("files").asInt(),
          versions,
          n.get("run_id").asText());
    } catch (IOException | RuntimeException e) {
      return null; // an unreadable stamp only costs a full run
    }
  }

  /** Writes the stamp (replacing the last one) once the run and its job_runs row are committed. */
  public void write(String root, Configuration conf) throws IOException {
    ObjectNode n = JSON.createObjectNode();
    n.put("inputs", inputs);
    n.put("listing", listing);
    n.put("files", files);
    ObjectNode v = n.putObject("versions");
    versions.forEach(v::put);
    n.put("run_id", runId);
    FileSystem fs = Storage.fileSystem("--warehouse", root, conf);
    org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(Storage.resolve(root, FILE));
    org.apache.hadoop.fs.Path tmp = new org.apache.hadoop.fs.Path(p.getParent(), ".run-stamp.tmp");
    try (OutputStream out = fs.create(tmp, true)) {
      out.write(JSON.writeValueAsString(n).getBytes(StandardCharsets.UTF_8));
    }
    fs.delete(p, false);
    if (!fs.rename(tmp, p)) {
      throw new IOException("could not write the run stamp " + p);
    }
  }

  /** Removes the stamp, so the next run goes through every stage (a run that failed, say). */
  public static void clear(String root, Configuration conf) throws IOException {
    FileSystem fs = Storage.fileSystem("--warehouse", root, conf);
    fs.delete(new org.apache.hadoop.fs.Path(Storage.resolve(root, FILE)), false);
  }

  /** Whether a run with these inputs, this listing and these table versions has nothing to do. */
  public boolean covers(String inputs, String listing, Map<String, Long> versions) {
    return this.inputs.equals(inputs)
        && this.listing.equals(listing)
        && !versions.isEmpty()
        && this.versions.equals(versions);
  }
}
