package org.farmid.jobs.pipeline;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Date;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.farmid.common.config.FarmIdConfig;
import org.farmid.common.config.PipelineSettings;
import org.farmid.common.geom.Box;
import org.farmid.jobs.pipeline.classify.ClassifyStage;
import org.farmid.jobs.pipeline.gallery.AdaptStage;
import org.farmid.jobs.pipeline.gallery.GalleryStage;
import org.farmid.jobs.spark.RunContext;
import org.farmid.jobs.spark.Tables;
import org.farmid.jobs.spark.Warehouse;
import org.farmid.jobs.testing.SparkTestBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code adapt}: the gallery's means moved toward the crops that {@code identities} names after
 * each animal, per light, into a new gallery version; every mean worked out by hand from the
 * vectors below (the enrolment of {@link NightGalleryTest}).
 */
class AdaptGalleryTest extends SparkTestBase {
  @TempDir Path dir;

  private static final String VIDEO = "cam01/2026-01-05/22-00-00.mp4";

  private static PipelineSettings settings(String... overrides) {
    return PipelineSettings.from(FarmIdConfig.load(List.of(), List.of(overrides)));
  }

  private static RunContext run(String command) {
    return new RunContext(command, command, "test", line -> {});
  }

  @Test
  void meansMoveTowardTheCropsVotedForEachAnimalInTheirLight() throws java.io.IOException {
    Warehouse wh = new Warehouse(spark(), dir.resolve("wh"));
    wh.append(
        Tables.ENROLMENT,
        spark().createDataFrame(NightGalleryTest.twoAnimals(), Tables.ENROLMENT.schema()),
        "test-enrol");
    PipelineSettings half = settings("gallery.adapt-weight=0.5");
    assertThat(GalleryStage.run(wh, "test-embedder", null, null, half, run("gallery")).version())
        .isEqualTo(1);
    // one crop a frame: frames 0 and 1 colour crops of animal 1, frame 2 an infrared crop named
    // against its infrared mean (0.459506 from it), frame 3 a crop whose track was voted unknown,
    // frame 4 a colour crop of animal 2
    List<float[]> embeddings =
        List.of(
            new float[] {0.6f, 0.8f, 0, 0},
            new float[] {0.8f, 0.6f, 0, 0},
            new float[] {0, 0.6f, 0.8f, 0},
            new float[] {0, 0, 0, 1},
            new float[] {0, 0.6f, 0, 0.8f});
    List<Boolean> infrared = List.of(false, false, true, false, false);
    List<Row> detections = new ArrayList<>();
    for (int f = 0; f < embeddings.size(); f++) {
      detections.add(detection(VIDEO, f, embeddings.get(f), infrared.get(f)));
    }
    wh.append(
        Tables.DETECTIONS,
        spark().createDataFrame(detections, Tables.DETECTIONS.schema()),
        "test-detect");
    ClassifyStage.run(wh, null, half, run("classify"));
    // the identities a track vote gave (the crops alone are mostly unknown: 0.894 and 0.632 from
    // the nearest mean against thresholds of 0.3)
    List<String> voted = List.of("1", "1", "1", "unknown", "2");
    appendIdentities(wh, VIDEO, voted, 1);

    AdaptStage.Outcome o = AdaptStage.run(wh, half, false, run("adapt"));
    assertThat(o.report())
        .containsAllEntriesOf(
            Map.of(
                "adapted_gallery_version", 2L,
                "adapted_new_version", true,
                "adapted_from_version", 1L,
                "adapted_enrolment_version", 1L,
                "adapted_crops", 4L,
                "adapted_infrared_crops", 1L,
                "adapted_animals", 2,
                "adapted_videos", 1L));
    // animal 1: colour (1,0,0,0) and the archive's (0.7,0.7,0,0)/|.| at half each: (cos, sin) of
    // 22.5 degrees; infrared (0,0.894427,0.447214,0) and (0,0.6,0.8,0); animal 2: (0,0,0,1) and
    // (0,0.6,0,0.8) -> (0,0.3,0,0.9)/|.|. Counts, thresholds and stays stay the enrolment's
    assertMatchesGolden(
        getClass(),
        "adapt/gallery.csv",
        wh.read(Tables.GALLERY)
            .select(
                col("gallery_version"),
                col("animal_id"),
                expr("array_join(transform(mean, x -> format_number(x, 6)), ' ')").as("mean"),
                col("crops"),
                expr("round(threshold, 6)").as("threshold"),
                expr("array_join(transform(infrared_mean, x -> format_number(x, 6)), ' ')")
                    .as("infrared_mean"),
                col("infrared_crops"),
                expr("round(infrared_threshold, 6)").as("infrared_threshold"),
                col("status")));
    Row v2 = wh.read(Tables.GALLERY).where("gallery_version = 2 and animal_id = '1'").first();
    Row v1 = wh.read(Tables.GALLERY).where("gallery_version = 1 and animal_id = '1'").first();
    assertThat(v2.<String>getAs("fingerprint"))
        .startsWith(v1.<String>getAs("fingerprint") + "+archive:w=0.5:");
    assertThat(v2.<String>getAs("threshold_rule"))
        .isEqualTo(
            "clamp(2.0 * p95 + 0.0, 0.3, 1.2); infrared clamp(2.0 * p95 + 0.0, 0.3, 1.2); means"
                + " moved toward the archive's crops voted under version 1 at weight 0.5");

    // run's own call keeps an adapted version in force; gallery reuses it while the enrolment and
    // the weight stay
    assertThat(AdaptStage.run(wh, half, false, run("adapt")).created()).isFalse();
    GalleryStage.Outcome same = GalleryStage.run(wh, "test-embedder", null, null, half, run("g"));
    assertThat(same.version()).isEqualTo(2);
    assertThat(same.created()).isFalse();
    // the archive named and tracked under version 2 with the same votes: adapting again with no
    // video tracked since version 2 was made is a no-op
    ClassifyStage.run(wh, null, half, run("classify"));
    appendIdentities(wh, VIDEO, voted, 2);
    assertThat(AdaptStage.run(wh, half, true, run("adapt")).created()).isFalse();
    // a new video with one crop voted animal 2, (0,0,0,1): version 3 rests on version 1's means,
    // moved toward the crops voted under version 2; animal 2's archive mean (0,0.6,0,1.8)/|.|
    String next = "cam01/2026-01-06/22-00-00.mp4";
    wh.append(
        Tables.DETECTIONS,
        spark()
            .createDataFrame(
                List.of(detection(next, 0, new float[] {0, 0, 0, 1}, false)),
                Tables.DETECTIONS.schema()),
        "test-detect");
    ClassifyStage.run(wh, null, half, run("classify"));
    appendIdentities(wh, next, List.of("2"), 2);
    AdaptStage.Outcome again = AdaptStage.run(wh, half, true, run("adapt"));
    assertThat(again.report())
        .containsAllEntriesOf(
            Map.of(
                "adapted_gallery_version", 3L,
                "adapted_from_version", 2L,
                "adapted_enrolment_version", 1L,
                "adapted_crops", 5L,
                "adapted_videos", 2L));
    assertThat(
            wh.read(Tables.GALLERY)
                .where("gallery_version = 3")
                .orderBy("animal_id")
                .select(expr("array_join(transform(mean, x -> format_number(x, 6)), ' ')"))
                .as(org.apache.spark.sql.Encoders.STRING())
                .collectAsList())
        .containsExactly(
            "0.923880 0.382683 0.000000 0.000000", "0.000000 0.160182 0.000000 0.987087");

    // another weight is another gallery: at 0, back to the enrolment means without adapting
    PipelineSettings off = settings("gallery.adapt-weight=0");
    GalleryStage.Outcome plain =
        GalleryStage.run(wh, "test-embedder", null, null, off, run("gallery"));
    assertThat(plain.version()).isEqualTo(4);
    assertThat(plain.created()).isTrue();
    assertThatThrownBy(() -> AdaptStage.run(wh, off, true, run("adapt")))
        .hasMessageContaining("farmid.gallery.adapt-weight is 0");
  }

  /** One track's final identities of {@code video}'s frames 0, 1, ... under {@code version}. */
  private void appendIdentities(Warehouse wh, String video, List<String> animals, long version) {
    List<Row> rows = new ArrayList<>();
    for (int f = 0; f < animals.size(); f++) {
      rows.add(
          Tables.IDENTITIES
              .row()
              .set("track_id", video + "#1")
              .set("detection_id", video + "#" + f + "#0")
              .set("video_id", video)
              .set("camera", "cam01")
              .set("date", Date.valueOf(video.substring(6, 16)))
              .set("frame_index", f)
              .set("frame_time", null)
              .box(new Box(10, 10, 40, 40))
              .set("crop_animal_id", "unknown")
              .set("animal_id", animals.get(f))
              .set("gallery_version", version)
              .set("run_id", "test-track")
              .set("identity_run_id", null)
              .build());
    }
    wh.append(
        Tables.IDENTITIES, spark().createDataFrame(rows, Tables.IDENTITIES.schema()), "test-track");
  }

  /** The only detection of frame {@code frame} of {@code video}. */
  private static Row detection(String video, int frame, float[] embedding, Boolean infrared) {
    return NightGalleryTest.detection(video, frame, 0, embedding, infrared);
  }
}
