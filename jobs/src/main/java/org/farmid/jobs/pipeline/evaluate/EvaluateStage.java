package org.farmid.jobs.pipeline.evaluate;

import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.farmid.common.config.PipelineSettings;
import org.farmid.common.evaluate.GroundTruthSet;
import org.farmid.common.evaluate.MatchCounts;
import org.farmid.common.evaluate.MatchOutcome;
import org.farmid.common.evaluate.MotEvaluation;
import org.farmid.common.evaluate.OpenSetFigures;
import org.farmid.common.metrics.ClassificationReport;
import org.farmid.common.metrics.MotSummary;
import org.farmid.jobs.pipeline.GroundTruthJoin;
import org.farmid.jobs.pipeline.StageInputs;
import org.farmid.jobs.spark.Rows;
import org.farmid.jobs.spark.RunContext;
import org.farmid.jobs.spark.Sql;
import org.farmid.jobs.spark.TableRow;
import org.farmid.jobs.spark.Tables;
import org.farmid.jobs.spark.Warehouse;

/**
 * {@code evaluate}: matches the identities of one gallery version to ground truth frame by frame
 * (IoU at or above {@code farmid.pipeline.match-iou}) on the executors, counts the outcomes with
 * Spark, and replaces this (ground truth, gallery version) pair's rows of {@code metrics} and
 * {@code confusion}.
 */
public final class EvaluateStage {
  private EvaluateStage() {}

  /** The figures and the ids they belong to. */
  public record Outcome(
      OpenSetFigures figures,
      long galleryVersion,
      String detectorId,
      String embedderId,
      OpenSetFigures trackFigures,
      MotSummary mot) {
    /** The figures the command reports, by their JSON names. */
    public Map<String, Object> report() {
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("gallery_version", galleryVersion());
      f.put("detector_id", detectorId());
      f.put("embedder_id", embedderId());
      f.put("true_positives", figures().truePositives());
      f.put("false_positives", figures().falsePositives());
      f.put("false_negatives", figures().falseNegatives());
      f.putAll(figures().summary());
      if (trackFigures() != null) {
        f.putAll(trackFigures().trackSummary());
        f.putAll(MotEvaluation.figures(mot()));
      }
      List<Map<String, Object>> perAnimal = new ArrayList<>();
      for (ClassificationReport.ClassFigures c : figures().perAnimal()) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("animal_id", c.label());
        a.put("precision", c.precision());
        a.put("recall", c.recall());
        a.put("f1", c.f1());
        a.put("support", c.support());
        perAnimal.add(a);
      }
      f.put("per_animal", perAnimal);
      return f;
    }
  }

  public static Outcome run(
      Warehouse wh, Path groundTruth, Long galleryVersion, PipelineSettings s, RunContext run)
      throws IOException {
    GroundTruthSet truth = GroundTruthSet.read(groundTruth);
    String gtName = groundTruth.toAbsolutePath().normalize().toString();
    Dataset<Row> identities = wh.read(Tables.CROP_IDENTITIES);
    long version = StageInputs.classifiedVersion(galleryVersion, identities, wh);
    identities = identities.where(col("gallery_version").equalTo(version));
    Row models = models(identities, version, wh);
    String detectorId = models.getString(0);
    String embedderId = models.getString(1);
    run.detectorId(detectorId);
    run.embedderId(embedderId);
    run.galleryVersion(version);
    wh.spark()
        .sparkContext()
        .setJobDescription("evaluate: match identities to ground truth frame by frame");
    String runId = run.runId();
    var pairs =
        GroundTruthJoin.match(
                wh.read(Tables.FRAMES), identities, truth, s.matchIou(), s.minVisibility())
            .map(p -> matchRow(p, gtName, version, runId));
    var matches = wh.spark().createDataFrame(pairs, Tables.MATCHES.schema());
    String where = "ground_truth = " + Sql.literal(gtName) + " AND gallery_version = " + version;
    wh.replace(Tables.MATCHES, matches, where, runId);
    MatchCounts counts = counts(wh.read(Tables.MATCHES).where(where));
    OpenSetFigures figures = counts.figures();
    MetricRows metrics = new MetricRows(gtName, version, detectorId, embedderId, runId);
    metrics.addIdentity(figures, counts.support(figures));
    OpenSetFigures trackFigures = null;
    MotSummary mot = null;
    Dataset<Row> points =
        wh.exists(Tables.IDENTITIES)
            ? wh.read(Tables.IDENTITIES).where(col("gallery_version").equalTo(version))
            : null;
    if (points != null && !points.isEmpty()) {
      trackFigures = trackFigures(wh.read(Tables.MATCHES).where(where), points);
      Map<String, MotSummary> perVideo = mot(wh, points, truth, s.minVisibility());
      mot = perVideo.get(MotEvaluation.ALL);
      metrics.addTracks(trackFigures, perVideo, counts.matched());
    }
    write(wh, metrics.rows, confusion(counts, gtName, version, runId), where, runId);
    run.count("true_positives", counts.matched());
    run.count("false_positives", figures.falsePositives());
    run.count("false_negatives", figures.falseNegatives());
    return new Outcome(figures, version, detectorId, embedderId, trackFigures, mot);
  }

  /** The detector and embedder of the identities of one gallery version. */
  private static Row models(Dataset<Row> identities, long version, Warehouse wh) {
    List<Row> ids =
        identities.select("detector_id", "embedder_id").distinct().limit(2).collectAsList();
    if (ids.isEmpty()) {
      throw new IllegalStateException(
          "no identities for gallery version " + version + " in " + wh.root());
    }
    return ids.get(0);
  }

  /** The outcomes of {@code matches} rows, counted by Spark and added up on the driver. */
  private static MatchCounts counts(Dataset<Row> matches) {
    MatchCounts counts = new MatchCounts();
    for (Row r :
        matches.groupBy("outcome", "true_label", "predicted_label").count().collectAsList()) {
      counts.add(MatchOutcome.of(r.getString(0)), r.getString(1), r.getString(2), r.getLong(3));
    }
    return counts;
  }

  private static List<Row> confusion(
      MatchCounts counts, String gtName, long version, String runId) {
    List<Row> confusion = new ArrayList<>();
    counts
        .identity()
        .forEach(
            (k, n) ->
                confusion.add(
                    Tables.CONFUSION
                        .row()
                        .set("ground_truth", gtName)
                        .set("gallery_version", version)
                        .set("true_label", k.get(0))
                        .set("predicted_label", k.get(1))
                        .set("count", n)
                        .set("run_id", runId)
                        .build()));
    return confusion;
  }

  private static void write(
      Warehouse wh, List<Row> metrics, List<Row> confusion, String where, String runId) {
    var spark = wh.spark();
    spark.sparkContext().setJobDescription("evaluate: write metrics and confusion");
    wh.replace(
        Tables.METRICS, spark.createDataFrame(metrics, Tables.METRICS.schema()), where, runId);
    wh.replace(
        Tables.CONFUSION,
        spark.createDataFrame(confusion, Tables.CONFUSION.schema()),
        where,
        runId);
    spark.sparkContext().setJobDescription(null);
  }

  /** Rows of {@code metrics} for one evaluation; NaN figures become nulls. */
  private static final class MetricRows {
    final List<Row> rows = new ArrayList<>();
    private final String groundTruth;
    private final long version;
    private final String detectorId;
    private final String embedderId;
    private final String runId;

    MetricRows(
        String groundTruth, long version, String detectorId, String embedderId, String runId) {
      this.groundTruth = groundTruth;
      this.version = version;
      this.detectorId = detectorId;
      this.embedderId = embedderId;
      this.runId = runId;
    }

    /** The overall identity figures and each animal's precision, recall and F1. */
    void addIdentity(OpenSetFigures figures, Map<String, Long> support) {
      for (Map.Entry<String, Object> e : figures.summary().entrySet()) {
        add(null, null, e.getKey(), e.getValue(), support.get(e.getKey()));
      }
      for (ClassificationReport.ClassFigures c : figures.perAnimal()) {
        add(null, c.label(), "precision", c.precision(), c.support());
        add(null, c.label(), "recall", c.recall(), c.support());
        add(null, c.label(), "f1", c.f1(), c.support());
      }
    }

    /** The track-voted identity figures and the MOT figures per video and overall. */
    void addTracks(OpenSetFigures trackFigures, Map<String, MotSummary> perVideo, long matched) {
      for (Map.Entry<String, Object> e : trackFigures.trackSummary().entrySet()) {
        add(null, null, e.getKey(), e.getValue(), matched);
      }
      for (Map.Entry<String, MotSummary> v : perVideo.entrySet()) {
        String video = v.getKey().equals(MotEvaluation.ALL) ? null : v.getKey();
        for (Map.Entry<String, Object> e : MotEvaluation.figures(v.getValue()).entrySet()) {
          add(video, null, e.getKey(), e.getValue(), v.getValue().groundTruthBoxes());
        }
      }
    }

    void add(String video, String animal, String metric, Object value, long support) {
      double v = ((Number) value).doubleValue();
      rows.add(
          Tables.METRICS
              .row()
              .set("ground_truth", groundTruth)
              .set("gallery_version", version)
              .set("detector_id", detectorId)
              .set("embedder_id", embedderId)
              .set("video", video)
              .set("animal_id", animal)
              .set("metric", metric)
              .set("value", Double.isNaN(v) ? null : v)
              .set("support", support)
              .set("run_id", runId)
              .build());
    }
  }

  /**
   * Identity figures when each matched detection takes its track's identity: the detection counts
   * of all matches, the identity counts of the matched detections on a track.
   */
  private static OpenSetFigures trackFigures(Dataset<Row> matches, Dataset<Row> points) {
    String matched = "outcome = '" + MatchOutcome.MATCHED.word() + "'";
    long tp = matches.where(matched).count();
    long fp = matches.where("outcome = '" + MatchOutcome.SPURIOUS.word() + "'").count();
    long fn = matches.where("outcome = '" + MatchOutcome.MISSED.word() + "'").count();
    Map<List<String>, Long> counts = new LinkedHashMap<>();
    for (Row r :
        matches
            .where(matched)
            .join(points.select("detection_id", "animal_id"), "detection_id")
            .groupBy("true_label", "animal_id")
            .count()
            .collectAsList()) {
      counts.put(List.of(r.getString(0), r.getString(1)), r.getLong(2));
    }
    return OpenSetFigures.of(tp, fp, fn, counts);
  }

  /**
   * The MOT figures of the tracks (see {@link MotEvaluation}). Ground truth and track points of
   * evaluation sets are small: they are gathered on the driver.
   */
  private static Map<String, MotSummary> mot(
      Warehouse wh, Dataset<Row> points, GroundTruthSet truth, double minVisibility) {
    List<MotEvaluation.Frame> frames = StageInputs.sampledFrames(wh);
    List<MotEvaluation.Point> hyp = new ArrayList<>();
    for (Row r :
        points
            .select(
                "video_id",
                "frame_index",
                "track_id",
                "box_left",
                "box_top",
                "box_width",
                "box_height")
            .collectAsList()) {
      String tid = r.getString(2);
      hyp.add(
          new MotEvaluation.Point(
              GroundTruthSet.videoKey(r.getString(0)),
              r.getInt(1),
              Long.parseLong(tid.substring(tid.lastIndexOf('#') + 1)),
              Rows.box(r)));
    }
    return MotEvaluation.evaluate(truth, minVisibility, frames, hyp);
  }

  private static Row matchRow(GroundTruthJoin.Pair p, String gtName, long version, String runId) {
    Row d = p.row();
    MatchOutcome outcome = p.outcome();
    TableRow m =
        Tables.MATCHES
            .row()
            .set("ground_truth", gtName)
            .set("gallery_version", version)
            .set("video_id", d == null ? p.videoId() : d.<String>getAs("video_id"))
            .set("frame_index", d == null ? p.frameIndex() : d.<Integer>getAs("frame_index"))
            .set("outcome", outcome.word())
            .set("truth_animal", p.animalId())
            .set("true_label", p.truthLabel())
            .set("run_id", runId);
    if (d == null) {
      m.set("detection_id", null)
          .set("predicted_label", null)
          .set("nearest_animal", null)
          .set("distance", null)
          .set("score", null);
    } else {
      m.copy(d, "detection_id", "nearest_animal", "distance", "score")
          .set("predicted_label", d.getAs("animal_id"));
    }
    return m.build();
  }
}
