package org.farmid.jobs.cli;

import org.farmid.common.ingest.Selection;
import picocli.CommandLine.Option;

/**
 * Which footage a pipeline command covers, and whether it redoes what is up to date. Without flags,
 * a command covers everything and does only what is new or changed since the last run.
 */
public final class SelectionOptions {
  @Option(
      names = "--since",
      paramLabel = "DAY",
      description = "First recording day covered (yyyy-MM-dd); undated footage is then left out.")
  String since;

  @Option(
      names = "--until",
      paramLabel = "DAY",
      description = "Last recording day covered (yyyy-MM-dd, included).")
  String until;

  @Option(
      names = "--cameras",
      paramLabel = "A,B",
      description = "Cameras covered (comma-separated names as in the tables).")
  String cameras;

  @Option(
      names = "--reprocess",
      description =
          "Redo the covered work even where the stored results are up to date (new models,"
              + " settings and files are picked up without it).")
  boolean reprocess;

  /** The selection the flags give; a malformed flag is a usage error naming it. */
  public Selection selection() throws UsageException {
    try {
      return Selection.parse(since, until, cameras);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
  }

  public boolean reprocess() {
    return reprocess;
  }
}
