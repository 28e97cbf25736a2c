package org.farmid.jobs.pipeline;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.sql.Row;
import org.farmid.common.config.FarmIdConfig;
import org.farmid.common.config.PipelineSettings;
import org.farmid.jobs.pipeline.classify.ClassifyStage;
import org.farmid.jobs.pipeline.gallery.GalleryStage;
import org.farmid.jobs.spark.RunContext;
import org.farmid.jobs.spark.Tables;
import org.farmid.jobs.spark.Warehouse;
import org.farmid.jobs.testing.SparkTestBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gallery.frame-exclusive}: classify names the crops of one frame together, so that no
 * animal is named twice in it; turning the setting on or off makes a new gallery version, under
 * which every video is named again. Every figure worked out by hand from the vectors below.
 */
class FrameExclusiveClassifyTest extends SparkTestBase {
  @TempDir Path dir;

  private static RunContext run(String command) {
    return new RunContext(command, command, "test", line -> {});
  }

  private static PipelineSettings settings(boolean frameExclusive) {
    return PipelineSettings.from(
        FarmIdConfig.load(
            List.of(),
            List.of(
                "gallery.frame-exclusive=" + frameExclusive,
                "gallery.frame-exclusive-reassign=true")));
  }

  @Test
  void noAnimalIsNamedTwiceInOneFrame() throws IOException {
    Warehouse wh = new Warehouse(spark(), dir.resolve("wh"));
    // animal 1 enrolled at (1,0) and (0.8,0.6): mean (0.948683,0.316228), both 0.320364 from it,
    // threshold 2 x 0.320364 = 0.640729; animal 2 the mirror image, mean (0.316228,0.948683)
    List<Row> enrolment =
        List.of(
            NightGalleryTest.enrolled("1", "a.png", new float[] {1, 0, 0, 0}, null),
            NightGalleryTest.enrolled("1", "b.png", new float[] {0.8f, 0.6f, 0, 0}, null),
            NightGalleryTest.enrolled("2", "c.png", new float[] {0, 1, 0, 0}, null),
            NightGalleryTest.enrolled("2", "d.png", new float[] {0.6f, 0.8f, 0, 0}, null));
    wh.append(
        Tables.ENROLMENT,
        spark().createDataFrame(enrolment, Tables.ENROLMENT.schema()),
        "test-enrol");
    // frame 0: detection 0 at (1,0) is 0.320364 (0.320365 in floats) from animal 1 (cost 0.5 of its
    // threshold) and
    // 1.169421 from 2; detection 1 at (0.75,0.661438) is 0.398303 from 1 (cost 0.621643) and
    // 0.520258 from 2 (cost 0.811978). Both are nearest 1: 0 -> 1 and 1 -> 2 cost 1.311978, less
    // than 1 -> 1 with 0 unknown (1.621643) or 0 -> 1 with 1 unknown (1.5). Frame 1: detection 1's
    // vector alone is named 1. Detection 1 keeps its regret as margin (the default): kept at 1,
    // the least total is 1.621643 (0 unknown), 0.309665 more, times 1's threshold: 0.198411
    // (0.19841 in floats).
    float[] near1 = {1, 0, 0, 0};
    float[] between = {0.75f, 0.661438f, 0, 0};
    List<Row> detections =
        List.of(
            NightGalleryTest.detection(0, 0, near1, false),
            NightGalleryTest.detection(0, 1, between, false),
            NightGalleryTest.detection(1, 0, between, false));
    wh.append(
        Tables.DETECTIONS,
        spark().createDataFrame(detections, Tables.DETECTIONS.schema()),
        "test-detect");
    GalleryStage.run(wh, "test-embedder", null, null, settings(true), run("gallery"));
    ClassifyStage.run(wh, null, settings(true), run("classify"));
    // the same detections named each alone: a new gallery version (2), both of frame 0 named 1
    GalleryStage.run(wh, "test-embedder", null, null, settings(false), run("gallery"));
    ClassifyStage.run(wh, null, settings(false), run("classify"));
    assertMatchesGolden(
        getClass(),
        "frame-exclusive/crop_identities.csv",
        wh.read(Tables.CROP_IDENTITIES)
            .select(
                col("gallery_version"),
                col("detection_id"),
                col("animal_id"),
                col("nearest_animal"),
                expr("round(distance, 6)").as("distance"),
                expr("round(margin, 6)").as("margin"),
                expr("round(threshold, 6)").as("threshold")));
  }
}
