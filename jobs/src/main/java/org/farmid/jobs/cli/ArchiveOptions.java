package org.farmid.jobs.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.farmid.common.config.PipelineSettings;
import picocli.CommandLine.Option;

/** The archive a pipeline command ingests, and how it is cut into segments. */
public final class ArchiveOptions {
  @Option(names = "--archive", required = true, paramLabel = "DIR", description = "Video archive.")
  Path archive;

  @Option(
      names = "--segment-seconds",
      paramLabel = "S",
      description = "Segment length (default farmid.pipeline.segment-seconds).")
  Double segmentSeconds;

  public Path archive() {
    return archive;
  }

  /** Adds the settings these flags override. */
  public void put(List<String> overrides) {
    Overrides.put(overrides, PipelineSettings.SECTION, "segment-seconds", segmentSeconds);
  }

  /** Refuses an archive that is not a folder. */
  public void validate() throws UsageException {
    if (!Files.isDirectory(archive)) {
      throw new UsageException("--archive " + archive + " is not a folder");
    }
  }
}
