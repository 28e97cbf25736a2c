package org.farmid.jobs.pipeline.enrol;

import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.farmid.common.config.PipelineSettings;
import org.farmid.common.evaluate.GroundTruthSet;
import org.farmid.common.gallery.OpenSetClassifier;
import org.farmid.common.train.LabelledCrops;
import org.farmid.jobs.pipeline.GroundTruthJoin;
import org.farmid.jobs.pipeline.runtime.ModelProvider;
import org.farmid.jobs.spark.Rows;
import org.farmid.jobs.spark.RunContext;
import org.farmid.jobs.spark.Sql;
import org.farmid.jobs.spark.StageProgress;
import org.farmid.jobs.spark.Tables;
import org.farmid.jobs.spark.Warehouse;

/**
 * {@code enrol}: labelled embeddings into {@code enrolment}, either from crop folders (one folder
 * per animal, embedded on the executors) or from detections matched to ground-truth boxes. Rows of
 * the same source are replaced, so enrolling a folder twice does not count its crops twice.
 */
public final class EnrolStage {
  private EnrolStage() {}

  /** Crops per task when embedding folders. */
  static final int CROPS_PER_TASK = 64;

  /** What enrol wrote. */
  public record Outcome(long rows, int animals, int rejected, List<String> notes) {}

  public static Outcome fromCrops(Warehouse wh, Path cropsDir, ModelProvider models, RunContext run)
      throws IOException {
    Path root = cropsDir.toAbsolutePath().normalize();
    List<LabelledCrops.Crop> listed = LabelledCrops.fromFolders(root);
    List<String> notes = new ArrayList<>();
    Map<String, String> byLowerCase = new HashMap<>();
    Map<String, Integer> perAnimal = new java.util.TreeMap<>();
    List<EmbedCrops.Crop> crops = new ArrayList<>();
    for (LabelledCrops.Crop c : listed) {
      String id = c.identity();
      String seen = byLowerCase.putIfAbsent(id.toLowerCase(Locale.ROOT), id);
      if (seen != null && !seen.equals(id)) {
        throw new IllegalArgumentException(
            "crop folders '"
                + seen
                + "' and '"
                + id
                + "' under "
                + root
                + " differ only in case; animal ids must be unique ignoring case");
      }
      perAnimal.merge(id, 1, Integer::sum);
      crops.add(
          new EmbedCrops.Crop(
              c.path().toString(), root.relativize(c.path()).toString().replace('\\', '/'), id));
    }
    // an animal's folder holding no image at all: said, not silently skipped
    try (java.util.stream.Stream<Path> folders = java.nio.file.Files.list(root)) {
      folders
          .filter(java.nio.file.Files::isDirectory)
          .map(f -> f.getFileName().toString())
          .filter(name -> !perAnimal.containsKey(name))
          .sorted()
          .forEach(
              name ->
                  notes.add("animal " + name + " has no crops in its folder and is not enrolled"));
    }
    run.embedderId(models.embedderId());
    var spark = wh.spark();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    int tasks = Math.max(1, (crops.size() + CROPS_PER_TASK - 1) / CROPS_PER_TASK);
    List<EmbedCrops.Out> outs;
    try (StageProgress p =
        StageProgress.start(
            spark,
            "enrol",
            "embed " + crops.size() + " crops of " + perAnimal.size() + " animals",
            "tasks",
            tasks,
            "crops",
            run::progress)) {
      outs =
          jsc.parallelize(crops, tasks)
              .setName(p.rddName())
              .mapPartitions(new EmbedCrops(models, p.counter()))
              .collect();
    }
    List<Row> rows = new ArrayList<>();
    List<Row> rejected = new ArrayList<>();
    Timestamp now = Timestamp.from(Instant.now());
    for (EmbedCrops.Out o : outs) {
      if (o.error() != null) {
        rejected.add(
            Tables.rejection(
                o.crop().path(), root.toString(), "enrol", o.error(), run.runId(), now));
        run.progress("enrol: rejected " + o.crop().path() + ": " + o.error());
        perAnimal.merge(o.crop().animalId(), -1, Integer::sum);
      } else {
        rows.add(
            Tables.ENROLMENT
                .row()
                .set("animal_id", o.crop().animalId())
                .set("source", root.toString())
                .set("crop_ref", o.crop().ref())
                .set("date", null)
                .set("embedding", o.embedding())
                .set("embedder_id", o.embedderId())
                .set("run_id", run.runId())
                .build());
      }
    }
    perAnimal.forEach(
        (id, n) -> {
          if (n == 1) {
            notes.add("animal " + id + " has a single usable crop (allowed; its spread is 0)");
          } else if (n == 0) {
            notes.add("animal " + id + " has no usable crop and is not enrolled");
          }
        });
    String where = "source = " + Sql.literal(root.toString());
    spark.sparkContext().setJobDescription("enrol: write enrolment");
    wh.replace(
        Tables.ENROLMENT,
        spark.createDataFrame(rows, Tables.ENROLMENT.schema()),
        where,
        run.runId());
    wh.replace(
        Tables.REJECTED_INPUTS,
        spark.createDataFrame(rejected, Tables.REJECTED_INPUTS.schema()),
        "stage = 'enrol' AND archive = " + Sql.literal(root.toString()),
        run.runId());
    spark.sparkContext().setJobDescription(null);
    notes.forEach(n -> run.progress("enrol: " + n));
    int animals = (int) perAnimal.values().stream().filter(n -> n > 0).count();
    run.count("enrolment_rows", rows.size());
    run.count("animals", animals);
    run.count("rejected", rejected.size());
    return new Outcome(rows.size(), animals, rejected.size(), notes);
  }

  /**
   * Labels detections by the ground-truth box they match (IoU at or above {@code match-iou}); only
   * registered animals are enrolled, only detections up to {@code until} when given.
   */
  public static Outcome fromGroundTruth(
      Warehouse wh, Path groundTruth, LocalDate until, PipelineSettings s, RunContext run)
      throws IOException {
    GroundTruthSet truth = GroundTruthSet.read(groundTruth);
    String source = groundTruth.toAbsolutePath().normalize().toString();
    Dataset<Row> detections = wh.read(Tables.DETECTIONS);
    if (until != null) {
      detections = detections.where(col("date").leq(Date.valueOf(until)));
    }
    var spark = wh.spark();
    String runId = run.runId();
    spark.sparkContext().setJobDescription("enrol: label detections by ground truth");
    JavaRDD<Row> rows =
        GroundTruthJoin.match(wh.read(Tables.FRAMES), detections, truth, s.matchIou(), 0)
            .filter(
                p ->
                    p.row() != null
                        && p.animalId() != null
                        && !OpenSetClassifier.UNKNOWN.equals(p.truthLabel()))
            .map(
                p ->
                    Tables.ENROLMENT
                        .row()
                        .set("animal_id", p.animalId())
                        .set("source", source)
                        .set("crop_ref", p.row().<String>getAs("detection_id"))
                        .copy(p.row(), "date")
                        .set("embedding", Rows.floats(p.row(), "embedding"))
                        .copy(p.row(), "embedder_id")
                        .set("run_id", runId)
                        .build());
    var df = spark.createDataFrame(rows, Tables.ENROLMENT.schema()).cache();
    try {
      wh.replace(Tables.ENROLMENT, df, "source = " + Sql.literal(source), run.runId());
      long n = df.count();
      int animals = (int) df.select("animal_id").distinct().count();
      run.count("enrolment_rows", n);
      run.count("animals", animals);
      spark.sparkContext().setJobDescription(null);
      return new Outcome(n, animals, 0, List.of());
    } finally {
      df.unpersist();
    }
  }
}
