package org.farmid.jobs.pipeline;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.max;

import java.sql.Date;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.farmid.common.evaluate.GroundTruthSet;
import org.farmid.common.evaluate.MotEvaluation;
import org.farmid.common.gallery.GalleryBuild;
import org.farmid.common.gallery.GalleryEntry;
import org.farmid.jobs.spark.Rows;
import org.farmid.jobs.spark.Tables;
import org.farmid.jobs.spark.Warehouse;

/**
 * What a stage reads of an earlier stage's tables, in one place: the version, embedder and entries
 * of a gallery (for {@code classify}), and the latest gallery version that classified detections
 * (for {@code track} and {@code evaluate}). Stages read upstream tables only through here or {@link
 * Warehouse#read}, never through another stage's class.
 */
public final class StageInputs {
  private StageInputs() {}

  /** The entries of one gallery version, by animal id, for broadcasting. */
  public static List<GalleryEntry> galleryEntries(Warehouse wh, long version) {
    List<GalleryEntry> out = new ArrayList<>();
    for (Row r :
        wh.read(Tables.GALLERY)
            .where(col("gallery_version").equalTo(version))
            .orderBy("animal_id")
            .collectAsList()) {
      Date from = r.getAs("valid_from");
      Date to = r.getAs("valid_to");
      out.add(
          new GalleryEntry(
              r.getAs("animal_id"),
              Rows.floats(r, "mean"),
              r.<Long>getAs("crops"),
              r.<Double>getAs("spread_mean"),
              r.<Double>getAs("spread_p95"),
              r.<Double>getAs("threshold"),
              from == null ? null : from.toLocalDate(),
              to == null ? null : to.toLocalDate(),
              r.<String>getAs("camera"),
              GalleryBuild.ACTIVE.equals(r.getAs("status")),
              r.isNullAt(r.fieldIndex("infrared_mean"))
                  ? null
                  : new GalleryEntry.Infrared(
                      Rows.floats(r, "infrared_mean"),
                      r.<Long>getAs("infrared_crops"),
                      r.<Double>getAs("infrared_spread_p95"),
                      r.<Double>getAs("infrared_threshold"))));
    }
    return out;
  }

  /** The gallery version given, or else the latest one in {@code crop_identities}. */
  public static long classifiedVersion(Long given, Dataset<Row> identities, Warehouse wh) {
    if (given != null) {
      return given;
    }
    Row r = identities.agg(max("gallery_version")).first();
    if (r.isNullAt(0)) {
      throw new IllegalStateException(
          "table crop_identities in " + wh.root() + " is empty: run `farmid classify` first");
    }
    return r.getLong(0);
  }

  /** The gallery version given, or else the latest one built. */
  public static long galleryVersion(Long given, Warehouse wh) {
    if (given != null) {
      return given;
    }
    Row r = wh.read(Tables.GALLERY).agg(max("gallery_version")).first();
    if (r.isNullAt(0)) {
      throw new IllegalStateException(
          "table gallery in " + wh.root() + " is empty: run `farmid gallery` first");
    }
    return r.getLong(0);
  }

  /** The embedder whose embeddings made the means of a gallery version. */
  public static String galleryEmbedder(Warehouse wh, long version) {
    return wh.read(Tables.GALLERY)
        .where(col("gallery_version").equalTo(version))
        .select("embedder_id")
        .first()
        .getString(0);
  }

  /** Every frame the pipeline sampled, keyed as ground truth keys its videos (for MOT figures). */
  public static List<MotEvaluation.Frame> sampledFrames(Warehouse wh) {
    List<MotEvaluation.Frame> frames = new ArrayList<>();
    for (Row r : wh.read(Tables.FRAMES).select("video_id", "frame_index").collectAsList()) {
      frames.add(new MotEvaluation.Frame(GroundTruthSet.videoKey(r.getString(0)), r.getInt(1)));
    }
    return frames;
  }
}
