package org.farmid.jobs.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProjectorExportTest {
  @TempDir Path dir;

  @Test
  void writesTheProjectorsTwoFilesExactly() throws IOException {
    ProjectorExport.write(
        dir,
        List.of("animal", "kind"),
        List.of(
            new ProjectorExport.Point(new float[] {0.5f, -1f}, List.of("7", "crop")),
            new ProjectorExport.Point(new float[] {0.25f, 0f}, List.of("a\tb", "mean"))));
    assertThat(Files.readString(dir.resolve("vectors.tsv"))).isEqualTo("0.5\t-1.0\n0.25\t0.0\n");
    assertThat(Files.readString(dir.resolve("metadata.tsv")))
        .isEqualTo("animal\tkind\n7\tcrop\na b\tmean\n");
  }

  @Test
  void metadataMustMatchTheHeader() {
    assertThatThrownBy(
            () ->
                ProjectorExport.write(
                    dir,
                    List.of("animal", "kind"),
                    List.of(new ProjectorExport.Point(new float[] {1f}, List.of("7")))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("header");
  }
}
