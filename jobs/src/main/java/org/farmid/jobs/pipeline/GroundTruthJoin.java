package org.farmid.jobs.pipeline;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.farmid.common.evaluate.FrameMatching;
import org.farmid.common.evaluate.GroundTruthSet;
import org.farmid.common.evaluate.MatchOutcome;
import org.farmid.jobs.spark.Rows;
import scala.Tuple2;

/**
 * Matches rows that carry a detection's box ({@code detections} or {@code identities}) to
 * ground-truth boxes, frame by frame, on the executors. Only frames the pipeline sampled (rows of
 * {@code frames}) of videos that have ground truth take part, so a frame where nothing was detected
 * still counts its missed animals.
 */
public final class GroundTruthJoin {
  private GroundTruthJoin() {}

  /**
   * One outcome: a matched pair, a missed ground-truth box ({@code row} null) or a detection with
   * no ground truth ({@code animalId} null).
   */
  public record Pair(String animalId, String truthLabel, Row row, String videoId, int frameIndex)
      implements Serializable {
    /** Whether the pair is a match, a missed box or a spurious detection. */
    public MatchOutcome outcome() {
      return row == null
          ? MatchOutcome.MISSED
          : animalId == null ? MatchOutcome.SPURIOUS : MatchOutcome.MATCHED;
    }
  }

  public static JavaRDD<Pair> match(
      Dataset<Row> frames,
      Dataset<Row> rows,
      GroundTruthSet truth,
      double minIou,
      double minVisibility) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(frames.sparkSession().sparkContext());
    List<Tuple2<String, GroundTruthSet.Truth>> gt = new ArrayList<>();
    Set<String> keys = new HashSet<>();
    for (GroundTruthSet.Truth t : truth.rows()) {
      keys.add(t.videoKey());
      if (t.visibility() >= minVisibility) {
        gt.add(new Tuple2<>(t.videoKey() + "#" + t.frameIndex(), t));
      }
    }
    var keySet = jsc.broadcast(keys);
    JavaPairRDD<String, String> evaluated =
        frames
            .select("video_id", "frame_index")
            .toJavaRDD()
            .filter(r -> keySet.value().contains(GroundTruthSet.videoKey(r.getString(0))))
            .mapToPair(
                r ->
                    new Tuple2<>(
                        GroundTruthSet.videoKey(r.getString(0)) + "#" + r.getInt(1),
                        r.getString(0)));
    JavaPairRDD<String, Row> detected =
        rows.toJavaRDD()
            .filter(
                r -> keySet.value().contains(GroundTruthSet.videoKey(r.<String>getAs("video_id"))))
            .mapToPair(
                r ->
                    new Tuple2<>(
                        GroundTruthSet.videoKey(r.<String>getAs("video_id"))
                            + "#"
                            + r.<Integer>getAs("frame_index"),
                        r));
    JavaPairRDD<String, GroundTruthSet.Truth> boxes = jsc.parallelizePairs(gt);
    GroundTruthSet labels = new GroundTruthSet(List.of(), truth.register(), truth.visitors());
    return evaluated
        .reduceByKey((a, b) -> a)
        .cogroup(boxes, detected)
        .flatMap(
            e -> {
              if (!e._2()._1().iterator().hasNext()) {
                return Collections.emptyIterator(); // not a sampled frame
              }
              List<GroundTruthSet.Truth> ts = new ArrayList<>();
              e._2()._2().forEach(ts::add);
              List<Row> ds = new ArrayList<>();
              e._2()._3().forEach(ds::add);
              return frame(e._2()._1().iterator().next(), ts, ds, labels, minIou).iterator();
            });
  }

  /** The outcomes of one sampled frame: its truth boxes matched to its detections by IoU. */
  private static List<Pair> frame(
      String videoId,
      List<GroundTruthSet.Truth> ts,
      List<Row> ds,
      GroundTruthSet labels,
      double minIou) {
    ds.sort(Comparator.comparing(r -> r.<String>getAs("detection_id")));
    int[] m =
        FrameMatching.match(
            ts.stream().map(GroundTruthSet.Truth::box).toList(),
            ds.stream().map(Rows::box).toList(),
            minIou);
    List<Pair> out = new ArrayList<>();
    boolean[] used = new boolean[ds.size()];
    for (int i = 0; i < ts.size(); i++) {
      String id = ts.get(i).animalId();
      Row r = m[i] >= 0 ? ds.get(m[i]) : null;
      if (m[i] >= 0) {
        used[m[i]] = true;
      }
      out.add(new Pair(id, labels.truthLabel(id), r, videoId, ts.get(i).frameIndex()));
    }
    for (int j = 0; j < ds.size(); j++) {
      if (!used[j]) {
        Row d = ds.get(j);
        out.add(new Pair(null, null, d, d.getAs("video_id"), d.<Integer>getAs("frame_index")));
      }
    }
    return out;
  }
}
