package org.farmid.jobs.pipeline.enrol;

import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.farmid.common.config.Fingerprint;
import org.farmid.common.config.PipelineSettings;
import org.farmid.common.embed.InfraredLook;
import org.farmid.common.evaluate.GroundTruthSet;
import org.farmid.common.gallery.OpenSetClassifier;
import org.farmid.common.train.EnrolmentTally;
import org.farmid.common.train.LabelledCrops;
import org.farmid.jobs.pipeline.GroundTruthJoin;
import org.farmid.jobs.pipeline.runtime.LocalCopies;
import org.farmid.jobs.pipeline.runtime.ModelProvider;
import org.farmid.jobs.spark.Rows;
import org.farmid.jobs.spark.RunContext;
import org.farmid.jobs.spark.Sql;
import org.farmid.jobs.spark.StageProgress;
import org.farmid.jobs.spark.Storage;
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

  /** Enrols a local crops folder without infrared embeddings. */
  public static Outcome fromCrops(Warehouse wh, Path cropsDir, ModelProvider models, RunContext run)
      throws IOException {
    return fromCrops(wh, cropsDir.toAbsolutePath().normalize().toString(), models, null, run);
  }

  /** Enrols a local crops folder, each crop also embedded in {@code look} (null: not). */
  public static Outcome fromCrops(
      Warehouse wh, Path cropsDir, ModelProvider models, InfraredLook look, RunContext run)
      throws IOException {
    return fromCrops(wh, cropsDir.toAbsolutePath().normalize().toString(), models, look, run);
  }

  /**
   * Enrols the crop folders below a local folder or a Hadoop filesystem URI ({@code
   * hdfs://nn/farm/enrol}): a URI's files are listed from this JVM's copy of them, and each
   * executor reads its crops from the filesystem itself. Given the night cameras' {@code look}
   * (null: none), each crop is also embedded as they would show it ({@code infrared_embedding}, the
   * gallery's infrared means).
   */
  public static Outcome fromCrops(
      Warehouse wh, String cropsLocation, ModelProvider models, InfraredLook look, RunContext run)
      throws IOException {
    String source = Storage.location(cropsLocation);
    boolean local = Storage.isLocal(source);
    LocalCopies.Folder copy = local ? null : LocalCopies.folder("--enrol-crops", source);
    Path root = local ? Path.of(source) : copy.local();
    List<LabelledCrops.Crop> listed = LabelledCrops.fromFolders(root);
    EnrolmentTally tally = EnrolmentTally.of(root, listed);
    List<EmbedCrops.Crop> crops = new ArrayList<>();
    for (LabelledCrops.Crop c : listed) {
      String ref = root.relativize(c.path()).toString().replace('\\', '/');
      crops.add(
          new EmbedCrops.Crop(
              local ? c.path().toString() : Storage.resolve(source, ref), ref, c.identity()));
    }
    run.embedderId(models.embedderId());
    // enrolment made without the look, or with another, is embedded again
    String embedding =
        look == null ? models.embedderId() : models.embedderId() + "+infrared(" + look.key() + ")";
    String fingerprint =
        local
            ? fingerprint(root, listed, embedding)
            : Fingerprint.of("enrol", embedding, copy.fingerprint());
    Outcome unchanged = unchanged(wh, source, fingerprint);
    if (unchanged != null) {
      run.progress(
          "enrol: the "
              + listed.size()
              + " crops of "
              + root
              + " are unchanged since they were enrolled with this embedder: "
              + unchanged.rows()
              + " rows of "
              + unchanged.animals()
              + " animals kept");
      run.count("enrolment_rows", unchanged.rows());
      run.count("animals", unchanged.animals());
      return unchanged;
    }
    List<EmbedCrops.Out> outs = embed(wh.spark(), crops, tally.listed(), models, look, run);
    List<Row> rows = new ArrayList<>();
    List<Row> rejected = new ArrayList<>();
    Timestamp now = Timestamp.from(Instant.now());
    for (EmbedCrops.Out o : outs) {
      if (o.error() != null) {
        rejected.add(
            Tables.rejection(o.crop().path(), source, "enrol", o.error(), run.runId(), now));
        run.progress("enrol: rejected " + o.crop().path() + ": " + o.error());
        tally.rejected(o.crop().animalId());
      } else {
        rows.add(
            Tables.ENROLMENT
                .row()
                .set("animal_id", o.crop().animalId())
                .set("source", source)
                .set("crop_ref", o.crop().ref())
                .set("date", null)
                .set("embedding", o.embedding())
                .set("embedder_id", o.embedderId())
                .set("run_id", run.runId())
                .set("source_fingerprint", fingerprint)
                .set("infrared_embedding", o.infraredEmbedding())
                .build());
      }
    }
    write(wh, rows, rejected, source, run.runId());
    List<String> notes = tally.notes();
    notes.forEach(n -> run.progress("enrol: " + n));
    run.count("enrolment_rows", rows.size());
    run.count("animals", tally.enrolled());
    run.count("rejected", rejected.size());
    return new Outcome(rows.size(), tally.enrolled(), rejected.size(), notes);
  }

  /**
   * A labelled detection's infrared embedding: its own embedding when its frame was infrared, none
   * otherwise (its pixels are not kept to be seen in the night look).
   */
  private static float[] infraredOf(Row detection) {
    return Rows.infrared(detection) ? Rows.floats(detection, "embedding") : null;
  }

  /** The hash of the crop files (relative names, sizes, modification times) and the embedder. */
  private static String fingerprint(Path root, List<LabelledCrops.Crop> crops, String embedderId)
      throws IOException {
    List<String> parts = new ArrayList<>();
    parts.add("enrol");
    parts.add(embedderId);
    for (LabelledCrops.Crop c : crops) {
      var a =
          java.nio.file.Files.readAttributes(
              c.path(), java.nio.file.attribute.BasicFileAttributes.class);
      parts.add(
          c.identity()
              + "/"
              + root.relativize(c.path())
              + ":"
              + a.size()
              + ":"
              + a.lastModifiedTime().toMillis());
    }
    return Fingerprint.of(parts.toArray(String[]::new));
  }

  /**
   * The stored outcome when every enrolment row of the folder was made from these very files by
   * this embedder (nothing to embed again); null otherwise.
   */
  private static Outcome unchanged(Warehouse wh, String source, String fingerprint) {
    Row have =
        wh.read(Tables.ENROLMENT)
            .where("source = " + Sql.literal(source))
            .selectExpr(
                "count(1)",
                "count_if(source_fingerprint = " + Sql.literal(fingerprint) + ")",
                "count(DISTINCT animal_id)")
            .first();
    if (have.getLong(0) == 0 || have.getLong(0) != have.getLong(1)) {
      return null;
    }
    long rejected =
        wh.read(Tables.REJECTED_INPUTS)
            .where("stage = 'enrol' AND archive = " + Sql.literal(source))
            .count();
    return new Outcome(have.getLong(0), (int) have.getLong(2), (int) rejected, List.of());
  }

  /** Embeds the crops on the executors, {@link #CROPS_PER_TASK} a task. */
  private static List<EmbedCrops.Out> embed(
      SparkSession spark,
      List<EmbedCrops.Crop> crops,
      int animals,
      ModelProvider models,
      InfraredLook look,
      RunContext run) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    int tasks = Math.max(1, (crops.size() + CROPS_PER_TASK - 1) / CROPS_PER_TASK);
    try (StageProgress p =
        StageProgress.start(
            spark,
            "enrol",
            "embed " + crops.size() + " crops of " + animals + " animals",
            "tasks",
            tasks,
            "crops",
            run::progress)) {
      List<EmbedCrops.Out> rows =
          jsc.parallelize(crops, tasks)
              .setName(p.rddName())
              .mapPartitions(new EmbedCrops(models, look, p.counter()))
              .collect();
      p.awaitReported();
      return rows;
    }
  }

  private static void write(
      Warehouse wh, List<Row> rows, List<Row> rejected, String source, String runId) {
    var spark = wh.spark();
    spark.sparkContext().setJobDescription("enrol: write enrolment");
    wh.replace(
        Tables.ENROLMENT,
        spark.createDataFrame(rows, Tables.ENROLMENT.schema()),
        "source = " + Sql.literal(source),
        runId);
    wh.replace(
        Tables.REJECTED_INPUTS,
        spark.createDataFrame(rejected, Tables.REJECTED_INPUTS.schema()),
        "stage = 'enrol' AND archive = " + Sql.literal(source),
        runId);
    spark.sparkContext().setJobDescription(null);
  }

  /**
   * Labels detections by the ground-truth box they match (IoU at or above {@code match-iou}); only
   * registered animals are enrolled, only detections up to {@code until} when given. A detection of
   * an infrared frame gives its embedding as its infrared one too, unless {@code
   * gallery.infrared-look} is none.
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
    // gallery.infrared-look = none turns infrared means off for labelled detections too
    boolean infrared = s.infraredLook() != null;
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
                        .set("source_fingerprint", null)
                        .set("infrared_embedding", infrared ? infraredOf(p.row()) : null)
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
