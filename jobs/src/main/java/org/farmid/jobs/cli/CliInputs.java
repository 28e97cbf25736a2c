package org.farmid.jobs.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.farmid.common.labels.LabelFormatException;
import org.farmid.models.detect.LabelledFrames;

/** Checks of command-line paths shared by the commands; each failure names its option. */
public final class CliInputs {
  private CliInputs() {}

  /** An output folder must be empty or not exist yet, so nothing of an earlier run mixes in. */
  public static void requireEmptyOrNew(Path out, String option, String what) throws IOException {
    if (Files.isDirectory(out)) {
      try (Stream<Path> s = Files.list(out)) {
        if (s.findAny().isPresent()) {
          throw new UsageException(
              option
                  + " "
                  + out
                  + " is not empty ("
                  + what
                  + " are written to an empty or new folder)");
        }
      }
    }
  }

  /**
   * Opens labelled frames; a bad label file keeps its own message (file and line), any other
   * problem is named with the option.
   */
  public static LabelledFrames labelled(Path path, String split, String option) {
    try {
      return LabelledFrames.open(path, split);
    } catch (LabelFormatException e) {
      throw e;
    } catch (IOException e) {
      throw new UsageException(option + " " + e.getMessage());
    }
  }
}
