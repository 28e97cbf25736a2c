package org.farmid.jobs.pipeline;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.farmid.common.config.PipelineSettings;
import org.farmid.common.evaluate.GroundTruthSet;
import org.farmid.common.evaluate.OpenSetFigures;
import org.farmid.common.metrics.ClassificationReport;
import org.farmid.common.metrics.MotAccumulator;
import org.farmid.common.metrics.MotSummary;
import org.farmid.jobs.spark.RunContext;
import org.farmid.jobs.spark.Sql;
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
      MotSummary mot) {}

  public static Outcome run(
      Warehouse wh, Path groundTruth, Long galleryVersion, PipelineSettings s, RunContext run)
      throws IOException {
    GroundTruthSet truth = GroundTruthSet.read(groundTruth);
    String gtName = groundTruth.toAbsolutePath().normalize().toString();
    Dataset<Row> identities = wh.read(Tables.IDENTITIES);
    long version = galleryVersion != null ? galleryVersion : latestVersion(identities, wh);
    identities = identities.where(col("gallery_version").equalTo(version));
    List<Row> ids =
        identities.select("detector_id", "embedder_id").distinct().limit(2).collectAsList();
    if (ids.isEmpty()) {
      throw new IllegalStateException(
          "no identities for gallery version " + version + " in " + wh.root());
    }
    String detectorId = ids.get(0).getString(0);
    String embedderId = ids.get(0).getString(1);
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
    wh.replace(Tables.MATCHES, matches, where, run.runId());
    Map<String, Long> counts = new LinkedHashMap<>();
    for (Row r :
        wh.read(Tables.MATCHES)
            .where(where)
            .groupBy("outcome", "true_label", "predicted_label")
            .count()
            .collectAsList()) {
      String outcome = r.getString(0);
      String key =
          switch (outcome) {
            case "missed" -> "FN";
            case "spurious" -> "FP";
            default -> "TP\t" + r.getString(1) + "\t" + r.getString(2);
          };
      counts.merge(key, r.getLong(3), Long::sum);
    }
    long tp = 0;
    Map<List<String>, Long> identity = new LinkedHashMap<>();
    for (Map.Entry<String, Long> e : counts.entrySet()) {
      if (e.getKey().startsWith("TP\t")) {
        String[] f = e.getKey().split("\t", -1);
        identity.merge(List.of(f[1], f[2]), e.getValue(), Long::sum);
        tp += e.getValue();
      }
    }
    OpenSetFigures figures =
        OpenSetFigures.of(
            tp, counts.getOrDefault("FP", 0L), counts.getOrDefault("FN", 0L), identity);
    MetricRows metrics = new MetricRows(gtName, version, detectorId, embedderId, run.runId());
    long matched = tp;
    long visitors =
        identity.entrySet().stream()
            .filter(e -> e.getKey().get(0).equals("unknown"))
            .mapToLong(Map.Entry::getValue)
            .sum();
    Map<String, Long> support = new LinkedHashMap<>();
    support.put("detection_precision", tp + figures.falsePositives());
    support.put("detection_recall", tp + figures.falseNegatives());
    support.put("accuracy", matched);
    support.put("macro_f1", (long) figures.perAnimal().size());
    support.put("weighted_f1", matched - visitors);
    support.put("unknown_rejection_rate", visitors);
    support.put("false_unknown_rate", matched - visitors);
    for (Map.Entry<String, Object> e : figures.summary().entrySet()) {
      metrics.add(null, null, e.getKey(), e.getValue(), support.get(e.getKey()));
    }
    for (ClassificationReport.ClassFigures c : figures.perAnimal()) {
      metrics.add(null, c.label(), "precision", c.precision(), c.support());
      metrics.add(null, c.label(), "recall", c.recall(), c.support());
      metrics.add(null, c.label(), "f1", c.f1(), c.support());
    }
    OpenSetFigures trackFigures = null;
    MotSummary mot = null;
    if (wh.exists(Tables.TRACK_POINTS)) {
      Dataset<Row> points =
          wh.read(Tables.TRACK_POINTS).where(col("gallery_version").equalTo(version));
      if (!points.isEmpty()) {
        trackFigures = trackFigures(wh, points, where);
        Map<String, MotSummary> perVideo = mot(wh, points, truth, s.minVisibility());
        mot = perVideo.get("");
        for (Map.Entry<String, Object> e : trackSummary(trackFigures).entrySet()) {
          metrics.add(null, null, e.getKey(), e.getValue(), matched);
        }
        for (Map.Entry<String, MotSummary> v : perVideo.entrySet()) {
          String video = v.getKey().isEmpty() ? null : v.getKey();
          for (Map.Entry<String, Object> e : motFigures(v.getValue()).entrySet()) {
            metrics.add(video, null, e.getKey(), e.getValue(), v.getValue().groundTruthBoxes());
          }
        }
      }
    }
    List<Row> confusion = new ArrayList<>();
    identity.forEach(
        (k, n) ->
            confusion.add(RowFactory.create(gtName, version, k.get(0), k.get(1), n, run.runId())));
    var spark = wh.spark();
    spark.sparkContext().setJobDescription("evaluate: write metrics and confusion");
    wh.replace(
        Tables.METRICS,
        spark.createDataFrame(metrics.rows, Tables.METRICS.schema()),
        where,
        run.runId());
    wh.replace(
        Tables.CONFUSION,
        spark.createDataFrame(confusion, Tables.CONFUSION.schema()),
        where,
        run.runId());
    spark.sparkContext().setJobDescription(null);
    run.count("true_positives", tp);
    run.count("false_positives", figures.falsePositives());
    run.count("false_negatives", figures.falseNegatives());
    return new Outcome(figures, version, detectorId, embedderId, trackFigures, mot);
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

    void add(String video, String animal, String metric, Object value, long support) {
      double v = ((Number) value).doubleValue();
      rows.add(
          RowFactory.create(
              groundTruth,
              version,
              detectorId,
              embedderId,
              video,
              animal,
              metric,
              Double.isNaN(v) ? null : v,
              support,
              runId));
    }
  }

  /** Identity figures of track-voted detections, by their JSON and metric names. */
  public static Map<String, Object> trackSummary(OpenSetFigures f) {
    Map<String, Object> t = new LinkedHashMap<>();
    t.put("track_accuracy", f.accuracy());
    t.put("track_macro_f1", f.macroF1());
    t.put("track_weighted_f1", f.weightedF1());
    t.put("track_unknown_rejection_rate", f.unknownRejectionRate());
    t.put("track_false_unknown_rate", f.falseUnknownRate());
    return t;
  }

  /** Identity figures when each matched detection takes its track's identity. */
  private static OpenSetFigures trackFigures(Warehouse wh, Dataset<Row> points, String where) {
    Dataset<Row> m = wh.read(Tables.MATCHES).where(where);
    long tp = m.where("outcome = 'matched'").count();
    long fp = m.where("outcome = 'spurious'").count();
    long fn = m.where("outcome = 'missed'").count();
    Map<List<String>, Long> counts = new LinkedHashMap<>();
    for (Row r :
        m.where("outcome = 'matched'")
            .join(points.select("detection_id", "animal_id"), "detection_id")
            .groupBy("true_label", "animal_id")
            .count()
            .collectAsList()) {
      counts.put(List.of(r.getString(0), r.getString(1)), r.getLong(2));
    }
    return OpenSetFigures.of(tp, fp, fn, counts);
  }

  /**
   * CLEAR MOT and identity figures of the tracks on the sampled frames of videos with ground truth,
   * all videos in one accumulator (ids made unique per video), as py-motmetrics merges sequences
   * for its overall row. Ground truth and track points of evaluation sets are small: they are
   * gathered on the driver.
   */
  private static Map<String, MotSummary> mot(
      Warehouse wh, Dataset<Row> points, GroundTruthSet truth, double minVisibility) {
    java.util.Set<String> keys = new java.util.TreeSet<>();
    truth.rows().forEach(t -> keys.add(t.videoKey()));
    Map<String, java.util.TreeMap<Integer, List<MotAccumulator.Labelled>>> hyp =
        new java.util.TreeMap<>();
    for (Row r : wh.read(Tables.FRAMES).select("video_id", "frame_index").collectAsList()) {
      String key = GroundTruthJoin.videoKey(r.getString(0));
      if (keys.contains(key)) {
        hyp.computeIfAbsent(key, k -> new java.util.TreeMap<>())
            .put(r.getInt(1), new ArrayList<>());
      }
    }
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
      var frames = hyp.get(GroundTruthJoin.videoKey(r.getString(0)));
      if (frames == null || !frames.containsKey(r.getInt(1))) {
        continue;
      }
      String tid = r.getString(2);
      long local = Long.parseLong(tid.substring(tid.lastIndexOf('#') + 1));
      frames
          .get(r.getInt(1))
          .add(
              new MotAccumulator.Labelled(
                  local,
                  new org.farmid.common.geom.Box(
                      r.getDouble(3), r.getDouble(4), r.getDouble(5), r.getDouble(6))));
    }
    Map<String, Map<Integer, List<MotAccumulator.Labelled>>> gt = new LinkedHashMap<>();
    for (GroundTruthSet.Truth t : truth.rows()) {
      if (t.visibility() >= minVisibility) {
        gt.computeIfAbsent(t.videoKey(), k -> new LinkedHashMap<>())
            .computeIfAbsent(t.frameIndex(), k -> new ArrayList<>())
            .add(new MotAccumulator.Labelled(numericId(t.animalId()), t.box()));
      }
    }
    MotAccumulator acc = new MotAccumulator();
    Map<String, MotSummary> out = new java.util.TreeMap<>();
    long offset = 0;
    final long stride = 10_000_000L;
    for (var video : hyp.entrySet()) {
      MotAccumulator one = new MotAccumulator();
      Map<Integer, List<MotAccumulator.Labelled>> g = gt.getOrDefault(video.getKey(), Map.of());
      for (var frame : video.getValue().entrySet()) {
        List<MotAccumulator.Labelled> objects = new ArrayList<>();
        for (MotAccumulator.Labelled o : g.getOrDefault(frame.getKey(), List.of())) {
          objects.add(new MotAccumulator.Labelled(o.id() + offset, o.box()));
        }
        List<MotAccumulator.Labelled> hs = new ArrayList<>();
        for (MotAccumulator.Labelled h : frame.getValue()) {
          hs.add(new MotAccumulator.Labelled(h.id() + offset, h.box()));
        }
        acc.update(offset + frame.getKey(), objects, hs);
        one.update(frame.getKey(), objects, hs);
      }
      out.put(video.getKey(), one.summary());
      offset += stride;
    }
    out.put("", acc.summary());
    return out;
  }

  private static long numericId(String id) {
    try {
      return Long.parseLong(id);
    } catch (NumberFormatException e) {
      return Math.abs((long) id.hashCode()) % 1_000_000L;
    }
  }

  /** MOT figures by their JSON and metric names. */
  public static Map<String, Object> motFigures(MotSummary m) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("mota", m.mota());
    f.put("motp", m.motp());
    f.put("idf1", m.idf1());
    f.put("idp", m.idp());
    f.put("idr", m.idr());
    f.put("id_switches", m.idSwitches());
    f.put("fragmentations", m.fragmentations());
    f.put("mostly_tracked", m.mostlyTracked());
    f.put("mostly_lost", m.mostlyLost());
    return f;
  }

  private static Row matchRow(GroundTruthJoin.Pair p, String gtName, long version, String runId) {
    Row d = p.row();
    String outcome = d == null ? "missed" : p.animalId() == null ? "spurious" : "matched";
    return RowFactory.create(
        gtName,
        version,
        d == null ? p.videoId() : d.<String>getAs("video_id"),
        d == null ? p.frameIndex() : d.<Integer>getAs("frame_index"),
        outcome,
        d == null ? null : d.getAs("detection_id"),
        p.animalId(),
        p.truthLabel(),
        d == null ? null : d.getAs("animal_id"),
        d == null ? null : d.getAs("nearest_animal"),
        d == null ? null : d.getAs("distance"),
        d == null ? null : d.getAs("score"),
        runId);
  }

  static long latestVersion(Dataset<Row> identities, Warehouse wh) {
    Row r = identities.agg(max("gallery_version")).first();
    if (r.isNullAt(0)) {
      throw new IllegalStateException(
          "table identities in " + wh.root() + " is empty: run `farmid classify` first");
    }
    return r.getLong(0);
  }
}
