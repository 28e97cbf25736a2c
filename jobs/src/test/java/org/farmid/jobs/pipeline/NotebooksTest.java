package org.farmid.jobs.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.farmid.common.config.FarmIdConfig;
import org.farmid.common.config.PipelineSettings;
import org.farmid.common.sql.SqlNotebook;
import org.farmid.jobs.cli.FarmId;
import org.farmid.jobs.spark.RunContext;
import org.farmid.jobs.spark.Warehouse;
import org.farmid.jobs.testing.PaletteModels;
import org.farmid.jobs.testing.PenFixture;
import org.farmid.jobs.testing.SparkTestBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every notebook of notebooks-export/ runs against a warehouse the pipeline wrote. */
class NotebooksTest extends SparkTestBase {
  @TempDir Path dir;

  @Test
  void everyCellOfEveryNotebookReturnsRows() throws IOException {
    PipelineSettings s =
        PipelineSettings.from(
            FarmIdConfig.load(
                List.of(), List.of("pipeline.segment-seconds=2", "pipeline.sample-fps=1")));
    Path pen = PenFixture.write(dir.resolve("pen"));
    Warehouse wh = new Warehouse(spark(), dir.resolve("wh"));
    List<String> log = new ArrayList<>();
    RunContext run = new RunContext("run", "test", "test", log::add);
    ModelProvider models = new PaletteModels();
    IngestStage.run(wh, pen.resolve("archive"), s, run);
    DetectStage.run(wh, models, s, run);
    EnrolStage.fromCrops(wh, pen.resolve("enrol"), models, run);
    GalleryStage.run(wh, "palette-embedder", null, pen.resolve("animals.csv"), s, run);
    ClassifyStage.run(wh, null, run);
    TrackStage.run(wh, null, s, run);
    EvaluateStage.run(wh, pen, null, s, run);

    Path notebooks =
        Path.of(System.getProperty("user.dir")).getParent().resolve("notebooks-export");
    List<Path> files;
    try (Stream<Path> list = Files.list(notebooks)) {
      files = list.filter(p -> p.toString().endsWith(".sql")).sorted().toList();
    }
    assertThat(files).hasSizeGreaterThanOrEqualTo(6);
    wh.registerTables();
    for (Path f : files) {
      for (SqlNotebook.Cell c : SqlNotebook.parse(Files.readString(f))) {
        assertThat(spark().sql(c.sql()).count())
            .as(f.getFileName() + " cell " + c.number())
            .isPositive();
      }
    }
    // and through the command, as an analyst runs it
    java.io.StringWriter out = new java.io.StringWriter();
    java.io.StringWriter err = new java.io.StringWriter();
    int code =
        FarmId.run(
            new java.io.PrintWriter(out, true),
            new java.io.PrintWriter(err, true),
            "sql",
            "--warehouse",
            wh.root().toString(),
            "-f",
            notebooks.resolve("herd-overview.sql").toString());
    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString()).contains("-- cell 2").contains("animals_seen").contains("cam01");
  }
}
