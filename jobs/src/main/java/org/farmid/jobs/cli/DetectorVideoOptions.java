package org.farmid.jobs.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** A detector model and a video to run it on. */
public final class DetectorVideoOptions {
  @Option(names = "--model", required = true, paramLabel = "MODEL_DIR")
  Path model;

  @Option(names = "--video", required = true, paramLabel = "FILE")
  Path video;

  public Path model() {
    return model;
  }

  public Path video() {
    return video;
  }
}
