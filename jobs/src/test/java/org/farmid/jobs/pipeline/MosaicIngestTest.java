package org.farmid.jobs.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.farmid.common.config.FarmIdConfig;
import org.farmid.common.config.PipelineSettings;
import org.farmid.common.video.VideoFrame;
import org.farmid.jobs.pipeline.detect.DetectStage;
import org.farmid.jobs.pipeline.ingest.IngestStage;
import org.farmid.jobs.spark.RunContext;
import org.farmid.jobs.spark.Tables;
import org.farmid.jobs.spark.Warehouse;
import org.farmid.jobs.testing.PaletteModels;
import org.farmid.jobs.testing.PenFixture;
import org.farmid.jobs.testing.SparkTestBase;
import org.farmid.models.video.SegmentDecoder;
import org.farmid.models.video.VideoEncoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A recorder's 2x2 export: the pen video in the bottom-right tile of a mosaic, grey elsewhere. With
 * {@code pipeline.mosaics} naming the file, ingest makes one video per camera tile and detection
 * sees each tile alone: the bottom-right view gives the pen video's own detections, in its own
 * coordinates, and the other views none.
 */
class MosaicIngestTest extends SparkTestBase {
  @TempDir Path dir;

  @Test
  void eachTileIsItsOwnVideoAndCameraAndSeesItsOwnAnimalsOnly() throws IOException {
    Path pen = PenFixture.write(dir.resolve("pen"));
    Path alone = dir.resolve("alone");
    Files.createDirectories(alone.resolve("cam01/2026-01-05"));
    Path single = pen.resolve("archive/cam01/2026-01-05/10-00-00.mp4");
    Files.copy(single, alone.resolve("cam01/2026-01-05/10-00-00.mp4"));
    Path archive = dir.resolve("mosaic");
    Path mosaic = archive.resolve("export/2026-01-05/10-00-00.mp4");
    Files.createDirectories(mosaic.getParent());
    int w = PenFixture.WIDTH;
    int h = PenFixture.HEIGHT;
    try (SegmentDecoder in = SegmentDecoder.open(single);
        VideoEncoder out = new VideoEncoder(mosaic, 2 * w, 2 * h, PenFixture.FPS, 3200)) {
      for (VideoFrame f = in.next(); f != null; f = in.next()) {
        byte[] big = new byte[4 * w * h * 3];
        java.util.Arrays.fill(big, (byte) 128);
        for (int y = 0; y < h; y++) {
          System.arraycopy(f.bgr(), y * w * 3, big, ((h + y) * 2 * w + w) * 3, w * 3);
        }
        out.write(big);
      }
    }
    PipelineSettings settings =
        PipelineSettings.from(
            FarmIdConfig.load(
                List.of(),
                List.of(
                    "pipeline.segment-seconds=2",
                    "pipeline.sample-fps=1",
                    "pipeline.mosaics=[{path = \"export/.*\", grid = \"2x2\","
                        + " cameras = [nw, ne, sw, se]}]")));
    Warehouse wh = new Warehouse(spark(), dir.resolve("wh"));
    RunContext run = new RunContext("run", "test", "test", l -> {});
    IngestStage.Outcome in = IngestStage.run(wh, archive, settings, run);
    assertThat(in.videos()).isEqualTo(4);
    assertThat(
            sql(
                    "SELECT video_id, camera, width, height, segments FROM %s ORDER BY video_id",
                    wh.sqlName(Tables.VIDEOS))
                .toString())
        .isEqualTo(
            "[[export/2026-01-05/10-00-00.mp4@ne,ne,160,120,2],"
                + " [export/2026-01-05/10-00-00.mp4@nw,nw,160,120,2],"
                + " [export/2026-01-05/10-00-00.mp4@se,se,160,120,2],"
                + " [export/2026-01-05/10-00-00.mp4@sw,sw,160,120,2]]");
    assertThat(sql("SELECT count(*) FROM %s", wh.sqlName(Tables.SEGMENTS)).toString())
        .isEqualTo("[[8]]");
    DetectStage.run(wh, new PaletteModels(), settings, run);

    Warehouse single1 = new Warehouse(spark(), dir.resolve("wh1"));
    IngestStage.run(single1, alone, settings, run);
    DetectStage.run(single1, new PaletteModels(), settings, run);
    List<Row> expected =
        sql(
            "SELECT frame_index, box_left, box_top, box_width, box_height FROM %s"
                + " ORDER BY frame_index, box_left",
            single1.sqlName(Tables.DETECTIONS));
    List<Row> actual =
        sql(
            "SELECT frame_index, box_left, box_top, box_width, box_height FROM %s WHERE camera ="
                + " 'se' ORDER BY frame_index, box_left",
            wh.sqlName(Tables.DETECTIONS));
    assertThat(expected).hasSize(10);
    assertThat(actual).hasSize(expected.size());
    List<String> far = new ArrayList<>();
    for (int i = 0; i < expected.size(); i++) {
      assertThat(actual.get(i).getInt(0)).isEqualTo(expected.get(i).getInt(0));
      for (int k = 1; k <= 4; k++) {
        // The mosaic was encoded again, so edges may move by a pixel or two.
        if (Math.abs(actual.get(i).getDouble(k) - expected.get(i).getDouble(k)) > 2) {
          far.add(actual.get(i) + " vs " + expected.get(i));
        }
      }
    }
    assertThat(far).isEmpty();
    assertThat(
            sql("SELECT count(*) FROM %s WHERE camera <> 'se'", wh.sqlName(Tables.DETECTIONS))
                .toString())
        .isEqualTo("[[0]]");
  }
}
