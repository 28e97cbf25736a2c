package org.farmid.jobs.cli;

import picocli.CommandLine.Option;

/** The gallery version a command works on. */
public final class GalleryVersionOption {
  @Option(
      names = "--gallery-version",
      paramLabel = "V",
      description = "Gallery version whose identities to use (default: the latest).")
  Long galleryVersion;

  /** The version given; null: the latest. */
  public Long galleryVersion() {
    return galleryVersion;
  }
}
