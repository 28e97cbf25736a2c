package org.farmid.jobs.pipeline.track;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Date;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.farmid.common.config.FarmIdConfig;
import org.farmid.common.config.PipelineSettings;
import org.junit.jupiter.api.Test;
import scala.collection.JavaConverters;

/**
 * The track task on one video's classified detections, without Spark: two animals far apart, the
 * crops of the first named animal 1 for four frames and then animal 2, who is also seen elsewhere.
 */
class TrackVideosTest {
  static final StructType SCHEMA =
      new StructType()
          .add("detection_id", DataTypes.StringType)
          .add("camera", DataTypes.StringType)
          .add("date", DataTypes.DateType)
          .add("frame_index", DataTypes.IntegerType)
          .add("frame_time", DataTypes.TimestampType)
          .add("box_left", DataTypes.DoubleType)
          .add("box_top", DataTypes.DoubleType)
          .add("box_width", DataTypes.DoubleType)
          .add("box_height", DataTypes.DoubleType)
          .add("animal_id", DataTypes.StringType)
          .add("margin", DataTypes.DoubleType)
          .add("embedding", DataTypes.createArrayType(DataTypes.FloatType))
          .add("run_id", DataTypes.StringType);

  static Row detection(String id, int frame, double left, String label, double margin, float... e) {
    List<Float> embedding = new ArrayList<>();
    for (float f : e) {
      embedding.add(f);
    }
    return new GenericRowWithSchema(
        new Object[] {
          id,
          "cam01",
          Date.valueOf("2026-01-05"),
          frame,
          null,
          left,
          100.0,
          80.0,
          40.0,
          label,
          margin,
          JavaConverters.asScalaBuffer(embedding).toList(),
          "classify-run"
        },
        SCHEMA);
  }

  static List<Row> video() {
    List<Row> rows = new ArrayList<>();
    for (int f = 0; f < 8; f++) {
      // The first animal walks right; its crops are named 1, then 2 from frame 4 on.
      rows.add(detection("a" + f, f, 100 + 10 * f, f < 4 ? "1" : "2", 0.5, 1, 0));
      // Animal 2 stands still far away, clearly named.
      rows.add(detection("b" + f, f, 600, "2", 0.9, 0, 1));
    }
    return rows;
  }

  static List<String> tracks(String... settings) {
    PipelineSettings s = PipelineSettings.from(FarmIdConfig.load(List.of(), List.of(settings)));
    TrackVideos.Out out = new TrackVideos(s, 1, "run").track("v", video());
    List<String> summary = new ArrayList<>();
    for (Row t : out.tracks()) {
      // track id, first and last frame, detections, animal, vote strength
      summary.add(
          String.format(
              java.util.Locale.ROOT,
              "%s %d-%d %d %s %.3f",
              t.get(0),
              t.get(4),
              t.get(5),
              t.get(8),
              t.get(9),
              t.get(10)));
    }
    summary.sort(null);
    return summary;
  }

  @Test
  void aTrackWhoseCropsChangeAnimalIsCutAndItsSecondPieceNeverTakesAnAnimalSeenElsewhere() {
    // Four crops of weight 0.55 (2.2) outweigh one cut (default penalty 2): the first piece keeps
    // the track's id and is animal 1; the second gets the next free id (3) and would be animal 2,
    // whom track 2 holds in the same frames, so it is unknown.
    assertThat(tracks())
        .containsExactly("v#1 0-3 4 1 1.000", "v#2 0-7 8 2 1.000", "v#3 4-7 4 unknown 0.000");
    // Without cuts the whole path is animal 1, half of it wrongly.
    assertThat(tracks("track.switch-penalty=0"))
        .containsExactly("v#1 0-7 8 1 0.500", "v#2 0-7 8 2 1.000");
  }
}
