package org.farmid.jobs.bench;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.farmid.common.gallery.GalleryEntry;
import org.farmid.common.gallery.OpenSetClassifier;
import org.farmid.jobs.pipeline.classify.ClassifyDetections;
import org.farmid.jobs.spark.StageTimers;
import org.farmid.jobs.spark.Tables;

/**
 * Figure 5: naming embeddings with the broadcast nearest-mean classifier (what {@code classify}
 * does) against a Spark cross join of the embeddings with the gallery table, followed by the
 * nearest mean per embedding. Both read the same cached embeddings and write to Spark's no-op sink,
 * so the figures are the classification alone.
 */
public final class ClassifyFigures {
  private static final int DIM = 64;

  private final SparkSession spark;
  private final Consumer<String> progress;

  public ClassifyFigures(SparkSession spark, Consumer<String> progress) {
    this.spark = spark;
    this.progress = progress;
  }

  /** {@code rows} unit embeddings in the detections schema, pseudo-random from the row number. */
  Dataset<Row> embeddings(long rows, int partitions) {
    Dataset<Row> d =
        spark
            .range(0, rows, 1, partitions)
            .selectExpr(
                "concat('bench#', id) AS detection_id",
                "'bench' AS video_id",
                "'bench#0' AS segment_id",
                "'cam01' AS camera",
                "DATE'2026-01-01' AS date",
                "CAST(id AS INT) AS frame_index",
                "id * 0.2D AS frame_offset_s",
                "CAST(NULL AS TIMESTAMP) AS frame_time",
                "10D AS box_left",
                "10D AS box_top",
                "100D AS box_width",
                "60D AS box_height",
                "CAST(0.9 AS FLOAT) AS score",
                "false AS multi_animal",
                "transform(sequence(0, " + (DIM - 1) + "), i -> hash(id, i) / 2147483648D) AS v",
                "'bench-detector' AS detector_id",
                "'bench-embedder' AS embedder_id",
                "'bench' AS run_id",
                "false AS infrared")
            .selectExpr(
                "*",
                "transform(v, x -> CAST(x / sqrt(aggregate(v, 0D, (a, y) -> a + y * y)) AS FLOAT))"
                    + " AS embedding")
            .drop("v");
    StructType schema = Tables.DETECTIONS.schema();
    return d.select(
        java.util.Arrays.stream(schema.fieldNames())
            .map(org.apache.spark.sql.functions::col)
            .toArray(org.apache.spark.sql.Column[]::new));
  }

  /** {@code animals} random unit means, each with the same threshold. */
  static List<GalleryEntry> gallery(int animals, double threshold) {
    SplittableRandom rnd = new SplittableRandom(animals);
    List<GalleryEntry> out = new ArrayList<>();
    for (int a = 0; a < animals; a++) {
      float[] m = new float[DIM];
      double n = 0;
      for (int i = 0; i < DIM; i++) {
        m[i] = (float) (rnd.nextDouble() * 2 - 1);
        n += m[i] * m[i];
      }
      for (int i = 0; i < DIM; i++) {
        m[i] = (float) (m[i] / Math.sqrt(n));
      }
      out.add(
          new GalleryEntry(
              "a" + a,
              m,
              10,
              0.5,
              0.8,
              threshold,
              LocalDate.of(2026, 1, 1),
              null,
              null,
              true,
              null));
    }
    return out;
  }

  /** Embeddings per second of the broadcast classifier over {@code data}. */
  double broadcast(Dataset<Row> data, long rows, List<GalleryEntry> entries) {
    Broadcast<OpenSetClassifier> b =
        JavaSparkContext.fromSparkContext(spark.sparkContext())
            .broadcast(new OpenSetClassifier(entries));
    long t0 = System.nanoTime();
    data.mapPartitions(
            new ClassifyDetections(b, 1, null, "bench", StageTimers.off()),
            Encoders.row(Tables.CROP_IDENTITIES.schema()))
        .write()
        .format("noop")
        .mode("overwrite")
        .save();
    double s = (System.nanoTime() - t0) / 1e9;
    b.destroy();
    return rows / s;
  }

  /** Embeddings per second of the cross join and nearest mean in Spark SQL. */
  double crossJoin(Dataset<Row> data, long rows, List<GalleryEntry> entries) {
    List<Row> g = new ArrayList<>();
    for (GalleryEntry e : entries) {
      List<Float> mean = new ArrayList<>();
      for (float x : e.mean()) {
        mean.add(x);
      }
      g.add(RowFactory.create(e.animalId(), mean, e.threshold()));
    }
    StructType gs =
        new StructType()
            .add("animal_id", DataTypes.StringType)
            .add("mean", DataTypes.createArrayType(DataTypes.FloatType))
            .add("threshold", DataTypes.DoubleType);
    spark.createDataFrame(g, gs).createOrReplaceTempView("bench_gallery");
    data.createOrReplaceTempView("bench_embeddings");
    long t0 = System.nanoTime();
    spark
        .sql(
            "SELECT detection_id,"
                + " CASE WHEN min(d) <= min_by(threshold, d) THEN min_by(animal_id, d)"
                + " ELSE 'unknown' END AS animal_id, min(d) AS distance FROM ("
                + " SELECT e.detection_id, g.animal_id, g.threshold,"
                + " sqrt(aggregate(zip_with(e.embedding, g.mean, (x, y) -> (x - y) * (x - y)),"
                + " 0D, (a, z) -> a + z)) AS d"
                + " FROM bench_embeddings e CROSS JOIN bench_gallery g)"
                + " GROUP BY detection_id")
        .write()
        .format("noop")
        .mode("overwrite")
        .save();
    double s = (System.nanoTime() - t0) / 1e9;
    return rows / s;
  }

  /**
   * The broadcast classifier on {@code rows} embeddings for each gallery size, the cross join on as
   * many rows as keep it within {@code pairBudget} embedding-mean pairs (its cost grows with rows
   * times animals, so its rate per embedding holds at any row count), and the broadcast rate at a
   * quarter of the rows to show it is flat.
   */
  public List<BenchRow> run(long rows, List<Integer> animals, long pairBudget) {
    int cores = spark.sparkContext().defaultParallelism();
    int partitions = Math.max(cores * 4, (int) (rows / 100_000));
    Dataset<Row> data = embeddings(rows, partitions).persist(StorageLevel.MEMORY_ONLY());
    long t0 = System.nanoTime();
    data.count();
    progress.accept(
        String.format(
            Locale.ROOT,
            "classify: %,d embeddings of %d floats cached in %.1f s, %d partitions",
            rows,
            DIM,
            (System.nanoTime() - t0) / 1e9,
            partitions));
    List<BenchRow> out = new ArrayList<>();
    broadcast(data, rows, gallery(animals.get(0), 1.3)); // warm-up
    for (int k : animals) {
      List<GalleryEntry> entries = gallery(k, 1.3);
      double ours = broadcast(data, rows, entries);
      long refRows = Math.min(rows, Math.max(1000, pairBudget / k));
      Dataset<Row> ref =
          data.limit((int) refRows).repartition(partitions).persist(StorageLevel.MEMORY_ONLY());
      ref.count();
      double reference = crossJoin(ref, refRows, entries);
      ref.unpersist(true);
      progress.accept(
          String.format(
              Locale.ROOT,
              "classify: %d animals, broadcast %.0f/s over %,d rows, cross join %.0f/s over %,d"
                  + " rows",
              k,
              ours,
              rows,
              reference,
              refRows));
      out.add(
          BenchRow.of(
              String.format(Locale.ROOT, "5. classify %,d embeddings, %d animals", rows, k),
              ours,
              reference,
              ">= 5",
              "embeddings/s",
              String.format(
                  Locale.ROOT,
                  "broadcast nearest mean (classify's code) vs CROSS JOIN gallery + min_by, %d"
                      + " cores; the join timed on %,d rows",
                  cores,
                  refRows)));
    }
    int mid = animals.get(animals.size() / 2);
    List<GalleryEntry> entries = gallery(mid, 1.3);
    double all = broadcast(data, rows, entries);
    long quarterRows = rows / 4;
    Dataset<Row> quarter =
        data.limit((int) quarterRows).repartition(partitions).persist(StorageLevel.MEMORY_ONLY());
    quarter.count();
    double small = broadcast(quarter, quarterRows, entries);
    quarter.unpersist(true);
    data.unpersist(true);
    out.add(
        BenchRow.of(
            String.format(
                Locale.ROOT,
                "5. classify rate, %,d vs %,d rows per core, %d animals",
                rows / cores,
                quarterRows / cores,
                mid),
            all,
            small,
            ">= 0.9",
            "embeddings/s",
            "broadcast classifier at full and a quarter of the rows: flat when the ratio is ~1"));
    return out;
  }
}
