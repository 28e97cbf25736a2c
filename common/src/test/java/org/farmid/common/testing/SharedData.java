package org.farmid.common.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real data beside the repository ({@code ../shared/data}, or the folder the system property
 * {@code farmid.shared.data} names); tests skip when it is absent. Shared with the tests of models
 * and jobs through this module's test-jar.
 */
public final class SharedData {
  private SharedData() {}

  public static Path root() {
    String configured = System.getProperty("farmid.shared.data");
    return Path.of(configured != null ? configured : "../shared/data").toAbsolutePath().normalize();
  }

  /** The folder or file below the shared data root; skips the test with a message when absent. */
  public static Path require(String relative) {
    Path p = root().resolve(relative);
    assumeTrue(
        Files.exists(p),
        "skipped: real data " + p + " is absent (it lies beside the repository in ../shared/data)");
    return p;
  }
}
