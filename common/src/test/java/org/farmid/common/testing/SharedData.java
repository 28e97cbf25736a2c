package org.farmid.common.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** The real data beside the repository ({@code ../shared/data}); tests skip when it is absent. */
public final class SharedData {
  private SharedData() {}

  public static Path require(String relative) {
    String configured = System.getProperty("farmid.shared.data");
    Path root =
        Path.of(configured != null ? configured : "../shared/data").toAbsolutePath().normalize();
    Path p = root.resolve(relative);
    assumeTrue(
        Files.exists(p),
        "skipped: real data " + p + " is absent (it lies beside the repository in ../shared/data)");
    return p;
  }
}
