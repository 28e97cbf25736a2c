package org.farmid.jobs.pipeline.track;

import static org.apache.spark.sql.functions.col;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.farmid.common.config.PipelineSettings;
import org.farmid.common.gallery.OpenSetClassifier;
import org.farmid.jobs.pipeline.StageInputs;
import org.farmid.jobs.spark.RunContext;
import org.farmid.jobs.spark.Sql;
import org.farmid.jobs.spark.Tables;
import org.farmid.jobs.spark.Warehouse;

/**
 * {@code track}: links the classified detections of one gallery version into tracks, one task per
 * video, votes one identity per track, and replaces that version's rows of {@code tracks} and
 * {@code track_points}.
 */
public final class TrackStage {
  private TrackStage() {}

  /** What track wrote. */
  public record Outcome(long version, long tracks, long points, long named) {
    /** The figures the command reports, by their JSON names. */
    public Map<String, Object> report() {
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("tracks", tracks());
      f.put("tracks_named", named());
      f.put("track_points", points());
      return f;
    }
  }

  public static Outcome run(Warehouse wh, Long galleryVersion, PipelineSettings s, RunContext run) {
    Dataset<Row> identities = wh.read(Tables.IDENTITIES);
    long version = StageInputs.classifiedVersion(galleryVersion, identities, wh);
    run.galleryVersion(version);
    Dataset<Row> rows =
        identities
            .where(col("gallery_version").equalTo(version))
            .join(wh.read(Tables.DETECTIONS).select("detection_id", "embedding"), "detection_id");
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
      String where = "gallery_version = " + version;
      wh.replace(
          Tables.TRACKS,
          spark.createDataFrame(out.flatMap(o -> o.tracks().iterator()), Tables.TRACKS.schema()),
          where,
          runId);
      wh.replace(
          Tables.TRACK_POINTS,
          spark.createDataFrame(
              out.flatMap(o -> o.points().iterator()), Tables.TRACK_POINTS.schema()),
          where,
          runId);
      Row counts =
          wh.read(Tables.TRACKS)
              .where(where)
              .selectExpr(
                  "count(1)",
                  "coalesce(sum(detections), 0)",
                  "count_if(animal_id != " + Sql.literal(OpenSetClassifier.UNKNOWN) + ")")
              .first();
      spark.sparkContext().setJobDescription(null);
      run.count("tracks", counts.getLong(0));
      run.count("track_points", counts.getLong(1));
      run.progress(
          "track: "
              + counts.getLong(0)
              + " tracks, "
              + counts.getLong(2)
              + " named, gallery version "
              + version);
      return new Outcome(version, counts.getLong(0), counts.getLong(1), counts.getLong(2));
    } finally {
      out.unpersist(false);
    }
  }
}
