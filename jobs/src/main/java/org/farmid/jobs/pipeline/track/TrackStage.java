package org.farmid.jobs.pipeline.track;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.farmid.common.config.PipelineSettings;
import org.farmid.common.gallery.OpenSetClassifier;
import org.farmid.common.ingest.Selection;
import org.farmid.jobs.pipeline.ChangedVideos;
import org.farmid.jobs.pipeline.StageInputs;
import org.farmid.jobs.spark.RunContext;
import org.farmid.jobs.spark.Sql;
import org.farmid.jobs.spark.Tables;
import org.farmid.jobs.spark.Warehouse;

/**
 * {@code track}: links the classified detections ({@code crop_identities}) of one gallery version
 * into tracks, one task per video, votes one identity per track, and replaces that version's rows
 * of {@code tracks} and of {@code identities}, each detection's final identity.
 */
public final class TrackStage {
  private TrackStage() {}

  /** What track wrote. */
  public record Outcome(long version, long tracks, long points, long named, long videosTracked) {
    /** The figures the command reports, by their JSON names. */
    public Map<String, Object> report() {
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("tracks", tracks());
      f.put("tracks_named", named());
      f.put("identities", points());
      f.put("videos_tracked", videosTracked());
      return f;
    }
  }

  /** Every video whose tracks under the version are missing or out of date. */
  public static Outcome run(Warehouse wh, Long galleryVersion, PipelineSettings s, RunContext run) {
    return run(wh, galleryVersion, s, Selection.all(), false, run);
  }

  /**
   * @param selection the footage covered
   * @param reprocess track every covered video again
   */
  public static Outcome run(
      Warehouse wh,
      Long galleryVersion,
      PipelineSettings s,
      Selection selection,
      boolean reprocess,
      RunContext run) {
    Dataset<Row> all = wh.read(Tables.CROP_IDENTITIES);
    long version = StageInputs.classifiedVersion(galleryVersion, all, wh);
    run.galleryVersion(version);
    // the version's rows of the footage covered, in every table read here
    String scope = "gallery_version = " + version + " AND " + Sql.covering(selection);
    Dataset<Row> identities = all.where(scope);
    // a video tracked under other tracking settings is out of date: its identities are read as
    // made from no input run, so the comparison below redoes it
    Dataset<Row> current =
        wh.read(Tables.TRACKS)
            .where(scope + " AND track_fingerprint = " + Sql.literal(s.trackFingerprint()))
            .select(col("video_id"), lit(true).as("tracked_under_current"))
            .distinct();
    Dataset<Row> existing =
        wh.read(Tables.IDENTITIES)
            .where(scope)
            .join(current, "video_id", "left")
            .withColumn(
                "identity_run_id", when(col("tracked_under_current"), col("identity_run_id")))
            .drop("tracked_under_current");
    wh.spark().sparkContext().setJobDescription("track: find the videos to track");
    ChangedVideos changed =
        ChangedVideos.toRedo(reprocess, identities, "run_id", existing, "identity_run_id");
    if (changed.isEmpty()) {
      run.progress(
          "track: gallery version "
              + version
              + ": every track of "
              + selection.describe()
              + " is up to date, nothing to track");
      return counted(wh, version, 0, run);
    }
    String where = scope + " AND " + changed.predicate();
    identities = changed.restrict(identities);
    long videos = changed.size();
    run.progress("track: gallery version " + version + ", " + videos + " videos to track");
    Dataset<Row> rows =
        identities.join(
            wh.read(Tables.DETECTIONS).select("detection_id", "embedding"), "detection_id");
    var spark = wh.spark();
    spark.sparkContext().setJobDescription("track: link detections per video, vote identities");
    String runId = run.runId();
    JavaRDD<TrackVideos.Out> out =
        rows.toJavaRDD()
            .keyBy(r -> r.<String>getAs("video_id"))
            .groupByKey()
            .mapPartitions(new TrackVideos(s, version, runId))
            .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      wh.replace(
          Tables.TRACKS,
          spark.createDataFrame(out.flatMap(o -> o.tracks().iterator()), Tables.TRACKS.schema()),
          where,
          runId);
      wh.replace(
          Tables.IDENTITIES,
          spark.createDataFrame(
              out.flatMap(o -> o.points().iterator()), Tables.IDENTITIES.schema()),
          where,
          runId);
      return counted(wh, version, videos, run);
    } finally {
      out.unpersist(false);
    }
  }

  /** The outcome, with the version's tracks counted in the table. */
  private static Outcome counted(Warehouse wh, long version, long videos, RunContext run) {
    var spark = wh.spark();
    spark.sparkContext().setJobDescription("track: count");
    Row counts =
        wh.read(Tables.TRACKS)
            .where(col("gallery_version").equalTo(version))
            .selectExpr(
                "count(1)",
                "coalesce(sum(detections), 0)",
                "count_if(animal_id != " + Sql.literal(OpenSetClassifier.UNKNOWN) + ")")
            .first();
    spark.sparkContext().setJobDescription(null);
    run.count("tracks", counts.getLong(0));
    run.count("identities", counts.getLong(1));
    run.count("videos_tracked", videos);
    run.progress(
        "track: "
            + counts.getLong(0)
            + " tracks, "
            + counts.getLong(2)
            + " named, gallery version "
            + version);
    return new Outcome(version, counts.getLong(0), counts.getLong(1), counts.getLong(2), videos);
  }
}
