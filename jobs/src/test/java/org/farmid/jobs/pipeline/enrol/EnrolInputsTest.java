package org.farmid.jobs.pipeline.enrol;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.farmid.jobs.spark.RunContext;
import org.farmid.jobs.spark.Warehouse;
import org.farmid.jobs.testing.PaletteModels;
import org.farmid.jobs.testing.PenFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Enrolment folders that cannot be right are refused before any Spark work, naming the cause. */
class EnrolInputsTest {
  @TempDir Path dir;

  @Test
  void animalIdsDifferingOnlyInCaseAreRefused() throws Exception {
    PenFixture.enrolCrops(dir.resolve("crops"), "Bella", Color.RED, 1);
    PenFixture.enrolCrops(dir.resolve("crops"), "bella", Color.GREEN, 1);
    List<String> log = new ArrayList<>();
    // No session: the check must come before anything touches Spark.
    Warehouse none = new Warehouse(null, dir.resolve("wh"));
    assertThatThrownBy(
            () ->
                EnrolStage.fromCrops(
                    none,
                    dir.resolve("crops"),
                    new PaletteModels(),
                    new RunContext("enrol", "", "", log::add)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'Bella' and 'bella'")
        .hasMessageContaining("differ only in case");
  }

  @Test
  void aFolderWithoutCropsIsRefused() {
    assertThatThrownBy(
            () ->
                EnrolStage.fromCrops(
                    new Warehouse(null, dir.resolve("wh")),
                    dir.resolve("missing"),
                    new PaletteModels(),
                    new RunContext("enrol", "", "", s -> {})))
        .hasMessageContaining("missing")
        .hasMessageContaining("does not exist");
  }
}
