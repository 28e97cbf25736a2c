package org.farmid.jobs.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.farmid.common.config.PipelineSettings;
import org.farmid.jobs.spark.Storage;
import picocli.CommandLine.Option;

/** The archive a pipeline command ingests, and how it is cut into segments. */
public final class ArchiveOptions {
  @Option(
      names = "--archive",
      required = true,
      paramLabel = "DIR|URI",
      description = "Video archive: a folder, or a Hadoop URI (hdfs://nn:8020/farm/videos).")
  String archive;

  @Option(
      names = "--segment-seconds",
      paramLabel = "S",
      description = "Segment length (default farmid.pipeline.segment-seconds).")
  Double segmentSeconds;

  public String archive() {
    return archive;
  }

  /** Adds the settings these flags override. */
  public void put(List<String> overrides) {
    Overrides.put(overrides, PipelineSettings.SECTION, "segment-seconds", segmentSeconds);
  }

  /** Refuses a local archive that is not a folder (a URI is checked when ingest lists it). */
  public void validate() throws UsageException {
    if (Storage.isLocal(Storage.location(archive)) && !Files.isDirectory(Path.of(archive))) {
      throw new UsageException("--archive " + archive + " is not a folder");
    }
  }
}
