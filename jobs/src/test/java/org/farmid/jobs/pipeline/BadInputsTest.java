package org.farmid.jobs.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Row;
import org.farmid.common.config.FarmIdConfig;
import org.farmid.common.config.PipelineSettings;
import org.farmid.jobs.spark.RunContext;
import org.farmid.jobs.spark.Tables;
import org.farmid.jobs.spark.Warehouse;
import org.farmid.jobs.testing.PaletteModels;
import org.farmid.jobs.testing.PenFixture;
import org.farmid.jobs.testing.SparkTestBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Broken files beside good ones: each broken one lands in {@code rejected_inputs} with its stage
 * and reason, and the good video, under a path with spaces, parentheses and non-ASCII letters,
 * gives exactly the detections it gives alone.
 */
class BadInputsTest extends SparkTestBase {
  @TempDir Path dir;
  static final PipelineSettings SETTINGS =
      PipelineSettings.from(
          FarmIdConfig.load(
              List.of(), List.of("pipeline.segment-seconds=2", "pipeline.sample-fps=1")));

  @Test
  void brokenFilesAreRecordedAndTheGoodOneLosesNothing() throws IOException {
    Path pen = PenFixture.write(dir.resolve("pen"));
    Path good = pen.resolve("archive/cam01/2026-01-05/10-00-00.mp4");
    Path archive = dir.resolve("archive");
    Path odd = archive.resolve("Stall (Nord) Kühe/2026-01-05/10-00-00.mp4");
    Files.createDirectories(odd.getParent());
    Files.copy(good, odd);
    Path broken = archive.resolve("broken/2026-01-05");
    Files.createDirectories(broken);
    Files.write(broken.resolve("00-00-00.mp4"), new byte[0]);
    Files.writeString(broken.resolve("00-00-01.mp4"), "not a video, a note\n");
    BufferedImage img = new BufferedImage(32, 32, BufferedImage.TYPE_3BYTE_BGR);
    ImageIO.write(img, "png", broken.resolve("00-00-02.mp4").toFile());
    byte[] bytes = Files.readAllBytes(good);
    Files.write(broken.resolve("00-00-03.mp4"), Arrays.copyOf(bytes, bytes.length / 2));
    Files.write(broken.resolve("00-00-04.mp4"), Arrays.copyOfRange(bytes, 64, bytes.length));

    Warehouse wh = new Warehouse(spark(), dir.resolve("wh"));
    List<String> log = new ArrayList<>();
    RunContext run = new RunContext("run", "test", "test", log::add);
    IngestStage.Outcome in = IngestStage.run(wh, archive, SETTINGS, run);
    DetectStage.run(wh, new PaletteModels(), SETTINGS, run);

    Map<String, String> rejected = new TreeMap<>();
    for (Row r : wh.read(Tables.REJECTED_INPUTS).collectAsList()) {
      rejected.merge(
          Path.of(r.<String>getAs("path")).getFileName() + " " + r.getAs("stage"),
          r.getAs("reason"),
          (a, b) -> a + " | " + b);
    }
    assertThat(rejected).containsEntry("00-00-00.mp4 ingest", "empty file (0 bytes)");
    assertThat(rejected).containsKeys("00-00-01.mp4 ingest", "00-00-02.mp4 ingest");
    assertThat(rejected.get("00-00-01.mp4 ingest")).contains("00-00-01.mp4");
    // A PNG opens as one still frame without a duration; truncated (cut at half, index atom
    // lost) and headless copies cannot be opened: all refused at ingest, before any task.
    assertThat(rejected.get("00-00-02.mp4 ingest")).startsWith("no usable frame rate or duration");
    assertThat(rejected).containsKeys("00-00-03.mp4 ingest", "00-00-04.mp4 ingest").hasSize(5);
    // The good video under an odd path: its 10 detections, as in the pen test.
    List<Row> oddRows =
        sql(
            "SELECT count(*), min(frame_index), max(frame_index) FROM %s WHERE video_id = '%s'",
            wh.sqlName(Tables.DETECTIONS), "Stall (Nord) Kühe/2026-01-05/10-00-00.mp4");
    assertThat(oddRows.toString()).isEqualTo("[[10,0,15]]");
    assertThat(
            sql("SELECT camera FROM %s WHERE video_id LIKE 'Stall%%'", wh.sqlName(Tables.VIDEOS))
                .toString())
        .isEqualTo("[[Stall (Nord) Kühe]]");
    assertThat(in.videos() + in.rejected()).isEqualTo(6);
  }
}
