package org.farmid.jobs.pipeline.classify;

import static org.apache.spark.sql.functions.col;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.farmid.common.config.PipelineSettings;
import org.farmid.common.gallery.GalleryEntry;
import org.farmid.common.gallery.OpenSetClassifier;
import org.farmid.common.ingest.Selection;
import org.farmid.jobs.pipeline.ChangedVideos;
import org.farmid.jobs.pipeline.StageInputs;
import org.farmid.jobs.spark.RunContext;
import org.farmid.jobs.spark.Sql;
import org.farmid.jobs.spark.StageTimers;
import org.farmid.jobs.spark.Tables;
import org.farmid.jobs.spark.Warehouse;

/**
 * {@code classify}: broadcasts one gallery version and names the detections of the videos whose
 * identities under it are missing or out of date (all of them for a new version), from the stored
 * embeddings; replaces that version's rows of those videos in {@code crop_identities}, so results
 * of other gallery versions stay queryable beside them (the {@code gallery_version} column), and
 * every earlier state stays in Delta's history.
 */
public final class ClassifyStage {
  private ClassifyStage() {}

  /** What classify did. */
  public record Outcome(
      long version,
      long identities,
      long unknown,
      int animals,
      long videosClassified,
      Map<String, Long> timings) {
    /** The figures the command reports, by their JSON names. */
    public Map<String, Object> report() {
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("gallery_version", version());
      f.put("animals", animals());
      f.put("crop_identities", identities());
      f.put("unknown", unknown());
      f.put("videos_classified", videosClassified());
      f.put("classify_timings", timings());
      return f;
    }
  }

  /** Every video whose identities under the version are missing or out of date. */
  public static Outcome run(Warehouse wh, Long galleryVersion, PipelineSettings s, RunContext run) {
    return run(wh, galleryVersion, s, Selection.all(), false, run);
  }

  /**
   * @param selection the footage covered
   * @param s its {@code frameRule}, where set, names each frame's crops together, no animal twice
   *     in one frame ({@link OpenSetClassifier#classifyFrame}); else each crop alone
   * @param reprocess classify every covered detection again
   */
  public static Outcome run(
      Warehouse wh,
      Long galleryVersion,
      PipelineSettings s,
      Selection selection,
      boolean reprocess,
      RunContext run) {
    boolean frameExclusive = s.frameExclusive();
    long version = StageInputs.galleryVersion(galleryVersion, wh);
    List<GalleryEntry> entries = StageInputs.galleryEntries(wh, version);
    if (entries.isEmpty()) {
      throw new IllegalArgumentException(
          "gallery version " + version + " does not exist in " + wh.root());
    }
    String embedderId = StageInputs.galleryEmbedder(wh, version);
    run.galleryVersion(version);
    run.embedderId(embedderId);
    String covering = Sql.covering(selection);
    Dataset<Row> detections = wh.read(Tables.DETECTIONS).where(covering);
    checkOneEmbedder(detections, embedderId, version);
    String versionWhere = "gallery_version = " + version;
    Dataset<Row> existing =
        wh.read(Tables.CROP_IDENTITIES).where(versionWhere + " AND " + covering);
    var spark = wh.spark();
    spark.sparkContext().setJobDescription("classify: find the videos to classify");
    ChangedVideos changed =
        ChangedVideos.toRedo(reprocess, detections, "run_id", existing, "detection_run_id");
    if (changed.isEmpty()) {
      run.progress(
          "classify: gallery version "
              + version
              + ": every identity of "
              + selection.describe()
              + " is up to date, nothing to classify");
      return counted(wh, version, new OpenSetClassifier(entries).size(), 0, Map.of(), run);
    }
    String where = versionWhere + " AND " + covering + " AND " + changed.predicate();
    detections = changed.restrict(detections);
    long videos = changed.size();
    OpenSetClassifier classifier = new OpenSetClassifier(entries);
    run.progress(
        "classify: gallery version "
            + version
            + ", "
            + classifier.size()
            + " active animals, broadcast; "
            + videos
            + " videos to classify");
    Broadcast<OpenSetClassifier> b =
        JavaSparkContext.fromSparkContext(spark.sparkContext()).broadcast(classifier);
    spark
        .sparkContext()
        .setJobDescription("classify: nearest mean per detection, write crop_identities");
    StageTimers timers = StageTimers.register(spark, "classify", "nearest_mean_ns", "rows");
    long started = System.nanoTime();
    if (frameExclusive) {
      // each frame's detections in one partition, one after another
      detections =
          detections
              .repartition(col("video_id"))
              .sortWithinPartitions(col("video_id"), col("frame_index"));
    }
    Dataset<Row> identities =
        detections.mapPartitions(
            new ClassifyDetections(b, version, s.frameRule(), run.runId(), timers),
            Encoders.row(Tables.CROP_IDENTITIES.schema()));
    wh.replace(Tables.CROP_IDENTITIES, identities, where, run.runId());
    // the nearest-mean search runs inside the write's job: the rest of its wall clock is reading,
    // encoding and committing
    Map<String, Long> timings = new LinkedHashMap<>();
    timings.put("classify_write_wall_ms", Math.round((System.nanoTime() - started) / 1e6));
    timings.putAll(timers.values());
    b.destroy();
    return counted(wh, version, classifier.size(), videos, timings, run);
  }

  /** The outcome, with the version's identities counted in the table. */
  private static Outcome counted(
      Warehouse wh,
      long version,
      int animals,
      long videos,
      Map<String, Long> timings,
      RunContext run) {
    var spark = wh.spark();
    spark.sparkContext().setJobDescription("classify: count");
    Row counts =
        wh.read(Tables.CROP_IDENTITIES)
            .where(col("gallery_version").equalTo(version))
            .selectExpr(
                "count(1)", "count_if(animal_id = " + Sql.literal(OpenSetClassifier.UNKNOWN) + ")")
            .first();
    spark.sparkContext().setJobDescription(null);
    run.count("crop_identities", counts.getLong(0));
    run.count("unknown", counts.getLong(1));
    run.count("videos_classified", videos);
    timings.forEach((k, v) -> run.count(k, v));
    return new Outcome(version, counts.getLong(0), counts.getLong(1), animals, videos, timings);
  }

  /** Refuses detections embedded by another embedder than the gallery's means. */
  private static void checkOneEmbedder(Dataset<Row> detections, String embedderId, long version) {
    List<Row> others =
        detections
            .where(col("embedder_id").notEqual(embedderId))
            .select("embedder_id")
            .distinct()
            .limit(3)
            .collectAsList();
    if (!others.isEmpty()) {
      throw new IllegalStateException(
          "detections embedded by "
              + others.get(0).getString(0)
              + " cannot be compared with gallery version "
              + version
              + " (means from "
              + embedderId
              + "): re-run detect and gallery with one embedder");
    }
  }
}
