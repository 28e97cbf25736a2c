package org.farmid.jobs.pipeline.gallery;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.farmid.common.config.PipelineSettings;
import org.farmid.common.gallery.GalleryBuild;
import org.farmid.common.gallery.GalleryEntry;
import org.farmid.common.gallery.HerdRegister;
import org.farmid.jobs.pipeline.StageInputs;
import org.farmid.jobs.spark.Rows;
import org.farmid.jobs.spark.RunContext;
import org.farmid.jobs.spark.Tables;
import org.farmid.jobs.spark.Warehouse;
import scala.Tuple2;

/**
 * {@code gallery}: one mean embedding per animal from {@code enrolment} with the typed {@link
 * MeanEmbedding} aggregation, the spread of each animal's embeddings around its mean, its open-set
 * threshold, and its stay in the herd from the register. Writes a new {@code gallery_version} when
 * its inputs changed; the same inputs again reuse the latest version (so re-runs do not pile up
 * versions). Old versions stay in the table and in Delta's history.
 */
public final class GalleryStage {
  private GalleryStage() {}

  /** What gallery did: the version in force and whether this run wrote it. */
  public record Outcome(
      long version, boolean created, int active, int retired, List<String> notes) {
    /** The figures the command reports, by their JSON names. */
    public Map<String, Object> report() {
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("gallery_version", version());
      f.put("new_version", created());
      f.put("active_animals", active());
      f.put("retired_animals", retired());
      f.put("notes", notes());
      return f;
    }
  }

  public static Outcome run(
      Warehouse wh,
      String embedderId,
      LocalDate asOf,
      Path registerFile,
      PipelineSettings s,
      RunContext run)
      throws IOException {
    HerdRegister register =
        registerFile == null ? HerdRegister.empty() : HerdRegister.read(registerFile);
    Dataset<Row> enrolment =
        wh.read(Tables.ENROLMENT).where(col("embedder_id").equalTo(embedderId));
    if (asOf != null) {
      enrolment = enrolment.where(col("date").isNull().or(col("date").leq(Date.valueOf(asOf))));
    }
    run.embedderId(embedderId);
    var spark = wh.spark();
    spark.sparkContext().setJobDescription("gallery: fingerprint the enrolment");
    Row print =
        enrolment
            .agg(
                count(lit(1)),
                expr(
                    // null infrared embeddings leave the hash as it was before they existed
                    "sum(xxhash64(animal_id, crop_ref, embedding, infrared_embedding) % 1000000007)"))
            .first();
    long rows = print.getLong(0);
    if (rows == 0) {
      throw new IllegalStateException(
          "no enrolment rows for embedder "
              + embedderId
              + (asOf == null ? "" : " up to " + asOf)
              + " in "
              + wh.root()
              + ": run `farmid enrol` first");
    }
    List<String> inputs =
        new ArrayList<>(
            List.of(
                embedderId,
                String.valueOf(asOf),
                register.stays().toString(),
                s.thresholdRule().describe(),
                s.infraredThresholdRule().describe(),
                rows + ":" + print.get(1)));
    if (s.frameExclusive()) {
      // classify names each frame's crops together under it: turning it on or off is a new
      // version, so every video is named again (versions made without it keep their fingerprint)
      inputs.add(s.frameRule().describe());
    }
    String fingerprint = RunContext.fingerprint(inputs.toArray(String[]::new));
    Outcome reused = reuse(wh, fingerprint, s, run);
    if (reused != null) {
      return reused;
    }
    Dataset<Row> gallery = wh.read(Tables.GALLERY);
    long version =
        gallery.isEmpty() ? 1 : gallery.agg(max("gallery_version")).first().getLong(0) + 1;
    spark.sparkContext().setJobDescription("gallery: mean embedding per animal");
    GalleryBuild.Result result =
        GalleryBuild.build(
            animalMeans(enrolment),
            register,
            asOf,
            s.thresholdRule(),
            s.infraredThresholdRule(),
            s.minCrops());
    Version v = new Version(version, embedderId, asOf, fingerprint);
    String rule = s.thresholdRule().describe();
    String withInfrared = rule + "; infrared " + s.infraredThresholdRule().describe();
    List<Row> out =
        rows(result.entries(), v, e -> e.infrared() == null ? rule : withInfrared, run.runId());
    spark.sparkContext().setJobDescription("gallery: write version " + version);
    wh.append(Tables.GALLERY, spark.createDataFrame(out, Tables.GALLERY.schema()), run.runId());
    spark.sparkContext().setJobDescription(null);
    run.galleryVersion(version);
    run.count("animals", out.size());
    run.count("enrolment_rows", rows);
    result.notes().forEach(n -> run.progress("gallery: " + n));
    return new Outcome(version, true, result.active(), result.retired(), result.notes());
  }

  /**
   * The latest version, when it was built from the same inputs, or adapted ({@link AdaptStage}) at
   * the configured weight from a version built from them; null when there is none.
   */
  private static Outcome reuse(
      Warehouse wh, String fingerprint, PipelineSettings s, RunContext run) {
    Row latest = latest(wh);
    if (latest == null) {
      return null;
    }
    boolean adapted =
        s.adapts() && AdaptStage.adaptedFrom(latest.getString(1), fingerprint, s.adaptWeight());
    if (!adapted && !latest.getString(1).equals(fingerprint)) {
      return null;
    }
    long v = latest.getLong(0);
    run.galleryVersion(v);
    run.progress(
        "gallery: inputs unchanged since version "
            + v
            + (adapted ? " (its means moved toward the archive's crops)" : "")
            + "; reusing it");
    List<GalleryEntry> entries = StageInputs.galleryEntries(wh, v);
    int active = (int) entries.stream().filter(GalleryEntry::active).count();
    return new Outcome(v, false, active, entries.size() - active, List.of());
  }

  /** The latest gallery version and its fingerprint; null when the table is empty. */
  static Row latest(Warehouse wh) {
    return wh
        .read(Tables.GALLERY)
        .orderBy(col("gallery_version").desc())
        .select("gallery_version", "fingerprint")
        .limit(1)
        .collectAsList()
        .stream()
        .findFirst()
        .orElse(null);
  }

  /**
   * Each animal's mean (typed aggregation) and the spread of its embeddings around it, and the same
   * of its infrared embeddings where it has them.
   */
  private static List<GalleryBuild.AnimalMean> animalMeans(Dataset<Row> enrolment) {
    Map<String, GalleryBuild.AnimalMean> infrared = new LinkedHashMap<>();
    for (GalleryBuild.AnimalMean s :
        spreads(
            enrolment
                .where(col("infrared_embedding").isNotNull())
                .drop("embedding")
                .withColumnRenamed("infrared_embedding", "embedding"))) {
      infrared.put(s.animalId(), s);
    }
    List<GalleryBuild.AnimalMean> animals = new ArrayList<>();
    for (GalleryBuild.AnimalMean d : spreads(enrolment)) {
      GalleryBuild.AnimalMean n = infrared.get(d.animalId());
      animals.add(
          new GalleryBuild.AnimalMean(
              d.animalId(),
              d.mean(),
              d.crops(),
              d.spreadMean(),
              d.spreadP95(),
              n == null ? null : n.mean(),
              n == null ? 0 : n.crops(),
              n == null ? Double.NaN : n.spreadP95()));
    }
    return animals;
  }

  /** The mean and spread of each animal's rows of {@code embeddings}, by animal id. */
  private static List<GalleryBuild.AnimalMean> spreads(Dataset<Row> embeddings) {
    Dataset<Row> means = meansFrame(embeddings);
    Dataset<Row> spread =
        embeddings
            .join(broadcast(means), "animal_id")
            .withColumn(
                "distance",
                expr(
                    "sqrt(aggregate(zip_with(embedding, mean, (a, b) -> (a - b) * (a - b)),"
                        + " 0D, (acc, x) -> acc + x))"))
            .groupBy("animal_id")
            .agg(
                avg("distance").as("spread_mean"),
                expr("percentile(distance, 0.95)").as("spread_p95"));
    List<GalleryBuild.AnimalMean> out = new ArrayList<>();
    for (Row r : means.join(spread, "animal_id").orderBy("animal_id").collectAsList()) {
      out.add(
          new GalleryBuild.AnimalMean(
              r.getAs("animal_id"),
              Rows.floats(r, "mean"),
              r.<Long>getAs("crops"),
              r.<Double>getAs("spread_mean"),
              r.<Double>getAs("spread_p95")));
    }
    return out;
  }

  /** What one gallery version's rows share. */
  record Version(long version, String embedderId, LocalDate asOf, String fingerprint) {}

  /** The table's rows of one version: {@code rule} gives each animal's threshold_rule text. */
  static List<Row> rows(
      List<GalleryEntry> entries,
      Version v,
      java.util.function.Function<GalleryEntry, String> rule,
      String runId) {
    Timestamp now = Timestamp.from(Instant.now());
    List<Row> out = new ArrayList<>();
    for (GalleryEntry e : entries) {
      out.add(
          Tables.GALLERY
              .row()
              .set("gallery_version", v.version())
              .set("animal_id", e.animalId())
              .set("mean", e.mean())
              .set("crops", e.count())
              .set("spread_mean", e.spreadMean())
              .set("spread_p95", e.spreadP95())
              .set("threshold", e.threshold())
              .set("threshold_rule", rule.apply(e))
              .set("valid_from", date(e.validFrom()))
              .set("valid_to", date(e.validTo()))
              .set("camera", e.camera())
              .set("status", e.active() ? GalleryBuild.ACTIVE : GalleryBuild.RETIRED)
              .set("as_of", date(v.asOf()))
              .set("embedder_id", v.embedderId())
              .set("fingerprint", v.fingerprint())
              .set("created_at", now)
              .set("run_id", runId)
              .set("infrared_mean", e.infrared() == null ? null : e.infrared().mean())
              .set("infrared_crops", e.infrared() == null ? null : e.infrared().count())
              .set("infrared_spread_p95", e.infrared() == null ? null : e.infrared().spreadP95())
              .set("infrared_threshold", e.infrared() == null ? null : e.infrared().threshold())
              .build());
    }
    return out;
  }

  /** Per-animal normalised means and counts, computed by the typed aggregation. */
  static Dataset<Row> meansFrame(Dataset<Row> enrolment) {
    Dataset<Tuple2<String, MeanEmbedding.Mean>> agg =
        enrolment
            .groupByKey((MapFunction<Row, String>) r -> r.getAs("animal_id"), Encoders.STRING())
            .agg(new MeanEmbedding().toColumn());
    return agg.toDF("animal_id", "m")
        .select(col("animal_id"), col("m.mean").as("mean"), col("m.count").as("crops"));
  }

  private static Date date(LocalDate day) {
    return day == null ? null : Date.valueOf(day);
  }
}
