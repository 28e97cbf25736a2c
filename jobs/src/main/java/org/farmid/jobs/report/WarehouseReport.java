package org.farmid.jobs.report;

import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.apache.spark.ml.feature.PCA;
import org.apache.spark.ml.feature.PCAModel;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.farmid.common.evaluate.MatchOutcome;
import org.farmid.common.gallery.GalleryBuild;
import org.farmid.common.gallery.OpenSetClassifier;
import org.farmid.jobs.spark.Rows;
import org.farmid.jobs.spark.Tables;
import org.farmid.jobs.spark.Warehouse;

/**
 * Gathers from the warehouse what the report draws (small aggregates, collected to the driver) and
 * writes the PNG charts and the TensorFlow Projector files. Every chart is skipped, with the
 * reason, when the tables it needs are missing or empty.
 */
public final class WarehouseReport {
  /** What the report was asked to cover. */
  public record Request(Long galleryVersion, String groundTruth, int maxPoints, long seed) {}

  /** What was written, and what was skipped and why. */
  public record Outcome(
      long galleryVersion,
      String groundTruth,
      Map<String, Path> written,
      Map<String, String> skipped,
      Map<String, Object> figures) {}

  private final Warehouse wh;
  private final Path out;
  private final Consumer<String> progress;
  private final Map<String, Path> written = new LinkedHashMap<>();
  private final Map<String, String> skipped = new LinkedHashMap<>();
  private final Map<String, Object> figures = new LinkedHashMap<>();

  private WarehouseReport(Warehouse wh, Path out, Consumer<String> progress) {
    this.wh = wh;
    this.out = out;
    this.progress = progress;
  }

  /** Builds every chart the warehouse has data for into {@code out}. */
  public static Outcome write(Warehouse wh, Path out, Request r, Consumer<String> progress)
      throws IOException {
    Files.createDirectories(out);
    return new WarehouseReport(wh, out, progress).run(r);
  }

  private Outcome run(Request r) throws IOException {
    if (!wh.exists(Tables.GALLERY)) {
      throw new IllegalStateException(
          "no gallery in " + wh.root() + ": run enrol and gallery (or run) first");
    }
    long version = r.galleryVersion() != null ? r.galleryVersion() : latestGallery();
    Dataset<Row> gallery = wh.read(Tables.GALLERY).where(col("gallery_version").equalTo(version));
    if (gallery.isEmpty()) {
      throw new IllegalArgumentException("gallery version " + version + " does not exist");
    }
    String gt = groundTruth(version, r.groundTruth());
    figures.put("gallery_version", version);
    figures.put("ground_truth", gt);
    confusion(version, gt);
    f1(version, gt);
    projection(gallery, version, r);
    distances(gallery, version, gt);
    return new Outcome(version, gt, written, skipped, figures);
  }

  private long latestGallery() {
    Row max = wh.read(Tables.GALLERY).agg(functions.max("gallery_version")).first();
    if (max.isNullAt(0)) {
      throw new IllegalStateException("the gallery table of " + wh.root() + " is empty");
    }
    return max.getLong(0);
  }

  /** The ground truth evaluated for this version: the one asked for, or the only one. */
  private String groundTruth(long version, String asked) {
    if (!wh.exists(Tables.CONFUSION)) {
      return null;
    }
    List<String> evaluated =
        wh
            .read(Tables.CONFUSION)
            .where(col("gallery_version").equalTo(version))
            .select("ground_truth")
            .distinct()
            .orderBy("ground_truth")
            .collectAsList()
            .stream()
            .map(row -> row.getString(0))
            .toList();
    if (asked != null) {
      if (!evaluated.contains(asked)) {
        throw new IllegalArgumentException(
            "gallery version "
                + version
                + " was not evaluated against "
                + asked
                + "; evaluated: "
                + (evaluated.isEmpty() ? "none" : String.join(", ", evaluated)));
      }
      return asked;
    }
    if (evaluated.size() > 1) {
      throw new IllegalArgumentException(
          "gallery version "
              + version
              + " was evaluated against several ground truths ("
              + String.join(", ", evaluated)
              + "): choose one with --ground-truth");
    }
    return evaluated.isEmpty() ? null : evaluated.get(0);
  }

  private void confusion(long version, String gt) throws IOException {
    if (gt == null) {
      skipped.put(
          "confusion.png", "no evaluation of gallery version " + version + " (run evaluate)");
      return;
    }
    List<Row> rows =
        wh.read(Tables.CONFUSION)
            .where(col("gallery_version").equalTo(version).and(col("ground_truth").equalTo(gt)))
            .select("true_label", "predicted_label", "count")
            .collectAsList();
    TreeSet<String> labels = new TreeSet<>(Charts.NATURAL);
    for (Row row : rows) {
      labels.add(row.getString(0));
      labels.add(row.getString(1));
    }
    // 'unknown' last, after the animals.
    List<String> order = new ArrayList<>(labels);
    if (order.remove(OpenSetClassifier.UNKNOWN)) {
      order.add(OpenSetClassifier.UNKNOWN);
    }
    long[][] counts = new long[order.size()][order.size()];
    for (Row row : rows) {
      counts[order.indexOf(row.getString(0))][order.indexOf(row.getString(1))] += row.getLong(2);
    }
    Path png = out.resolve("confusion.png");
    Charts.confusion(
        "Confusion matrix, gallery version " + version + " (rows: share of each true label)",
        order,
        counts,
        png);
    done("confusion.png", png);
  }

  private void f1(long version, String gt) throws IOException {
    if (gt == null || !wh.exists(Tables.METRICS)) {
      skipped.put("f1.png", "no evaluation of gallery version " + version + " (run evaluate)");
      return;
    }
    List<Row> rows =
        overall(version, gt, "f1")
            .where(col("animal_id").isNotNull())
            .select("animal_id", "value", "support")
            .orderBy("animal_id")
            .collectAsList();
    Map<String, Double> f1 = new LinkedHashMap<>();
    Map<String, Long> support = new LinkedHashMap<>();
    rows = new ArrayList<>(rows);
    rows.sort((a, b) -> Charts.NATURAL.compare(a.getString(0), b.getString(0)));
    for (Row row : rows) {
      f1.put(row.getString(0), row.isNullAt(1) ? null : row.getDouble(1));
      support.put(row.getString(0), row.isNullAt(2) ? 0L : row.getLong(2));
    }
    Map<String, Double> macro = new HashMap<>();
    for (Row row :
        overall(version, gt, "macro_f1", "track_macro_f1")
            .where(col("animal_id").isNull())
            .select("metric", "value")
            .collectAsList()) {
      if (!row.isNullAt(1)) {
        macro.put(row.getString(0), row.getDouble(1));
      }
    }
    String macroText =
        figure(macro, "macro_f1", ", macro F1 %.3f")
            + figure(
                macro,
                "track_macro_f1",
                "; final identities (identities, voted along tracks): macro F1 %.3f");
    Path png = out.resolve("f1.png");
    Charts.f1Bars(
        "Per-animal F1 of single crops, gallery version " + version + macroText, f1, support, png);
    done("f1.png", png);
  }

  /** The figure formatted, or nothing when the evaluation has no value for it. */
  private static String figure(Map<String, Double> figures, String metric, String format) {
    Double v = figures.get(metric);
    return v == null ? "" : String.format(Locale.ROOT, format, v);
  }

  /** Rows of the given metrics of an evaluation, over all videos. */
  private Dataset<Row> overall(long version, String gt, String... metrics) {
    return wh.read(Tables.METRICS)
        .where(
            col("gallery_version")
                .equalTo(version)
                .and(col("ground_truth").equalTo(gt))
                .and(col("video").isNull())
                .and(col("metric").isin((Object[]) metrics)));
  }

  private void projection(Dataset<Row> gallery, long version, Request r) throws IOException {
    String embedder = gallery.select("embedder_id").first().getString(0);
    if (!wh.exists(Tables.ENROLMENT)) {
      skipped.put("projection.png", "no enrolment table");
      return;
    }
    Dataset<Row> enrolled =
        wh.read(Tables.ENROLMENT)
            .where(col("embedder_id").equalTo(embedder))
            .select(col("animal_id"), col("embedding"));
    long total = enrolled.count();
    if (total < 3) {
      skipped.put("projection.png", "fewer than 3 enrolment embeddings of " + embedder);
      return;
    }
    Dataset<Row> sample =
        total > r.maxPoints()
            ? enrolled
                .sample(false, Math.min(1.0, 1.2 * r.maxPoints() / total), r.seed())
                .limit(r.maxPoints())
            : enrolled;
    Dataset<Row> means = gallery.select(col("animal_id"), col("mean").as("embedding"));
    Dataset<Row> vectors =
        sample
            .withColumn("kind", functions.lit("crop"))
            .unionByName(means.withColumn("kind", functions.lit("mean")))
            .withColumn(
                "features", org.apache.spark.ml.functions.array_to_vector(col("embedding")));
    PCAModel pca =
        new PCA()
            .setInputCol("features")
            .setOutputCol("xy")
            .setK(2)
            .fit(vectors.where(col("kind").equalTo("crop")));
    List<Row> projected =
        pca.transform(vectors).select("animal_id", "kind", "xy", "embedding").collectAsList();
    List<String> labels = new ArrayList<>();
    List<double[]> xy = new ArrayList<>();
    Map<String, double[]> meanXy = new TreeMap<>(Charts.NATURAL);
    List<ProjectorExport.Point> points = new ArrayList<>();
    for (Row row : projected) {
      Vector v = row.getAs(2);
      double[] p = {v.apply(0), v.apply(1)};
      String animal = row.getString(0);
      String kind = row.getString(1);
      if ("mean".equals(kind)) {
        meanXy.put(animal, p);
      } else {
        labels.add(animal);
        xy.add(p);
      }
      points.add(new ProjectorExport.Point(Rows.floats(row, "embedding"), List.of(animal, kind)));
    }
    double[] explained = pca.explainedVariance().toArray();
    figures.put("projection_points", labels.size());
    figures.put("projection_explained_variance", explained[0] + explained[1]);
    Path png = out.resolve("projection.png");
    Charts.projection(
        String.format(
            Locale.ROOT,
            "Enrolment embeddings (%d of %d) and gallery means (diamonds), PCA: %.0f%% of variance",
            labels.size(),
            total,
            100 * (explained[0] + explained[1])),
        labels,
        xy.toArray(new double[0][]),
        meanXy,
        png);
    done("projection.png", png);
    Path projector = out.resolve("projector");
    ProjectorExport.write(projector, List.of("animal", "kind"), points);
    done("projector/vectors.tsv", projector.resolve("vectors.tsv"));
    done("projector/metadata.tsv", projector.resolve("metadata.tsv"));
  }

  private void distances(Dataset<Row> gallery, long version, String gt) throws IOException {
    List<Double> thresholds =
        gallery
            .where(col("status").equalTo(GalleryBuild.ACTIVE))
            .select("threshold")
            .collectAsList()
            .stream()
            .map(row -> row.getDouble(0))
            .sorted()
            .toList();
    if (thresholds.isEmpty()) {
      skipped.put("distances.png", "gallery version " + version + " has no active animal");
      return;
    }
    double median = thresholds.get(thresholds.size() / 2);
    List<Double> first;
    List<Double> second;
    String firstName;
    String secondName;
    String basis;
    if (gt != null && wh.exists(Tables.MATCHES)) {
      // Ground truth known: registered animals against visitors, whatever the classifier said.
      Dataset<Row> m =
          wh.read(Tables.MATCHES)
              .where(
                  col("gallery_version")
                      .equalTo(version)
                      .and(col("ground_truth").equalTo(gt))
                      .and(col("outcome").equalTo(MatchOutcome.MATCHED.word()))
                      .and(col("distance").isNotNull()));
      first = doubles(m.where(col("true_label").notEqual(OpenSetClassifier.UNKNOWN)));
      second = doubles(m.where(col("true_label").equalTo(OpenSetClassifier.UNKNOWN)));
      firstName = "registered animals";
      secondName = "visitors (not in the gallery)";
      basis = "ground truth";
    } else if (wh.exists(Tables.CROP_IDENTITIES)) {
      Dataset<Row> i =
          wh.read(Tables.CROP_IDENTITIES)
              .where(col("gallery_version").equalTo(version).and(col("distance").isNotNull()));
      first = doubles(i.where(col("animal_id").notEqual(OpenSetClassifier.UNKNOWN)));
      second = doubles(i.where(col("animal_id").equalTo(OpenSetClassifier.UNKNOWN)));
      firstName = "named";
      secondName = OpenSetClassifier.UNKNOWN;
      basis = "classification";
    } else {
      skipped.put("distances.png", "no identities for gallery version " + version);
      return;
    }
    if (first.isEmpty() && second.isEmpty()) {
      skipped.put("distances.png", "no detections with a distance in gallery version " + version);
      return;
    }
    Path png = out.resolve("distances.png");
    Charts.distances(
        String.format(
            Locale.ROOT,
            "Distance to the nearest mean by %s; line: median threshold %.3f (range %.3f to %.3f)",
            basis,
            median,
            thresholds.get(0),
            thresholds.get(thresholds.size() - 1)),
        firstName,
        first,
        secondName,
        second,
        median,
        png);
    figures.put(
        "distance_groups",
        firstName + " " + first.size() + ", " + secondName + " " + second.size());
    done("distances.png", png);
  }

  private static List<Double> doubles(Dataset<Row> rows) {
    return rows.select("distance").collectAsList().stream().map(row -> row.getDouble(0)).toList();
  }

  private void done(String name, Path file) {
    written.put(name, file);
    progress.accept("report: wrote " + file);
  }
}
