package org.farmid.jobs.pipeline.gallery;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.farmid.common.config.PipelineSettings;
import org.farmid.common.gallery.ArchiveMeans;
import org.farmid.common.gallery.GalleryEntry;
import org.farmid.common.gallery.OpenSetClassifier;
import org.farmid.jobs.pipeline.StageInputs;
import org.farmid.jobs.spark.Rows;
import org.farmid.jobs.spark.RunContext;
import org.farmid.jobs.spark.Tables;
import org.farmid.jobs.spark.Warehouse;

/**
 * {@code adapt}: the gallery's means moved toward the archive's own crops. Every crop whose final
 * identity (voted along its track, in {@code identities}) under the gallery version in force is an
 * animal joins that animal's archive mean in its light (colour, or infrared for a crop named
 * against the infrared means), aggregated with the typed {@link MeanEmbedding}; each mean of the
 * enrolment version the gallery rests on is blended with it at {@code gallery.adapt-weight} ({@link
 * ArchiveMeans}), and the result is written as a new gallery version with the enrolment's spreads,
 * thresholds and stays. {@code classify} then names every video again under it.
 *
 * <p>An adapted version's fingerprint is its enrolment version's, then {@code +archive:w=W}, then a
 * hash of the videos whose crops made it: {@code gallery} keeps it in force while the enrolment
 * inputs and the weight stay, and adapting again with no video tracked since is a no-op.
 */
public final class AdaptStage {
  private AdaptStage() {}

  /** What marks an adapted version's fingerprint, after its enrolment version's. */
  static final String MARK = "+archive:w=";

  /** What adapt did: the version in force, whether this run wrote it, and what it rests on. */
  public record Outcome(
      long version,
      boolean created,
      long fromVersion,
      long enrolmentVersion,
      long crops,
      long infraredCrops,
      int animals,
      long videos) {
    /** The figures the command reports, by their JSON names. */
    public Map<String, Object> report() {
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("adapted_gallery_version", version());
      f.put("adapted_new_version", created());
      f.put("adapted_from_version", fromVersion());
      f.put("adapted_enrolment_version", enrolmentVersion());
      f.put("adapted_crops", crops());
      f.put("adapted_infrared_crops", infraredCrops());
      f.put("adapted_animals", animals());
      f.put("adapted_videos", videos());
      return f;
    }
  }

  /** The part of the marker that names the weight, as fingerprints carry it. */
  static String mark(double weight) {
    return MARK + String.format(Locale.ROOT, "%s", weight) + ":";
  }

  /** Whether {@code fingerprint} is an adapted version's that rests on {@code enrolment}. */
  static boolean adaptedFrom(String fingerprint, String enrolment, double weight) {
    return fingerprint.startsWith(enrolment + mark(weight));
  }

  /**
   * Adapts the gallery in force under {@code s.adaptWeight()}. With {@code again} false, only an
   * enrolment version is adapted (an adapted one in force stays, as {@code run} wants); with it
   * true, an adapted one is adapted again from the crops tracked under it, unless no video was
   * tracked under it since it was made.
   */
  public static Outcome run(Warehouse wh, PipelineSettings s, boolean again, RunContext run) {
    if (!s.adapts()) {
      throw new IllegalArgumentException(
          "farmid.gallery.adapt-weight is 0: set it above 0 (at most 1) to adapt the gallery");
    }
    Row latest = GalleryStage.latest(wh);
    if (latest == null) {
      throw new IllegalStateException(
          "table gallery in " + wh.root() + " is empty: run `farmid gallery` first");
    }
    long inForce = latest.getLong(0);
    String fingerprint = latest.getString(1);
    int at = fingerprint.indexOf(MARK);
    String enrolmentPrint = at < 0 ? fingerprint : fingerprint.substring(0, at);
    long enrolmentVersion = at < 0 ? inForce : versionOf(wh, enrolmentPrint, inForce);
    if (!again && adaptedFrom(fingerprint, enrolmentPrint, s.adaptWeight())) {
      run.progress("adapt: version " + inForce + " in force is already adapted; keeping it");
      return new Outcome(inForce, false, inForce, enrolmentVersion, 0, 0, 0, 0);
    }
    var spark = wh.spark();
    spark.sparkContext().setJobDescription("adapt: crops voted for an animal under " + inForce);
    Dataset<Row> voted =
        wh.read(Tables.IDENTITIES)
            .where(col("gallery_version").equalTo(inForce))
            .where(col("animal_id").notEqual(lit(OpenSetClassifier.UNKNOWN)))
            .select("detection_id", "animal_id", "video_id")
            .join(
                wh.read(Tables.CROP_IDENTITIES)
                    .where(col("gallery_version").equalTo(inForce))
                    .select(
                        col("detection_id"),
                        expr("coalesce(infrared, false)").as("named_infrared")),
                "detection_id")
            .join(wh.read(Tables.DETECTIONS).select("detection_id", "embedding"), "detection_id")
            .cache();
    try {
      Row videos =
          wh.read(Tables.IDENTITIES)
              .where(col("gallery_version").equalTo(inForce))
              .select("video_id")
              .distinct()
              .agg(count(lit(1)), expr("sum(xxhash64(video_id) % 1000000007)"))
              .first();
      long videoCount = videos.getLong(0);
      if (videoCount == 0) {
        throw new IllegalStateException(
            "no tracked video under gallery version "
                + inForce
                + " in "
                + wh.root()
                + ": run `farmid classify` and `farmid track` first");
      }
      String newPrint =
          enrolmentPrint
              + mark(s.adaptWeight())
              + RunContext.fingerprint(
                  "videos", Long.toString(videoCount), String.valueOf(videos.get(1)));
      if (newPrint.equals(fingerprint)) {
        run.progress(
            "adapt: no video tracked since version " + inForce + " was adapted; keeping it");
        return new Outcome(inForce, false, inForce, enrolmentVersion, 0, 0, 0, videoCount);
      }
      ArchiveMeans archive = new ArchiveMeans();
      long crops = 0;
      long infraredCrops = 0;
      for (boolean infrared : new boolean[] {false, true}) {
        Dataset<Row> light = voted.where(col("named_infrared").equalTo(infrared));
        for (Row r : GalleryStage.meansFrame(light).collectAsList()) {
          long n = r.<Long>getAs("crops");
          archive.add(r.getAs("animal_id"), Rows.floats(r, "mean"), n, infrared);
          if (infrared) {
            infraredCrops += n;
          } else {
            crops += n;
          }
        }
      }
      List<GalleryEntry> base = StageInputs.galleryEntries(wh, enrolmentVersion);
      List<GalleryEntry> moved = archive.blend(base, s.adaptWeight());
      int animals =
          (int)
              base.stream()
                  .filter(
                      e ->
                          archive.crops(e.animalId(), false) + archive.crops(e.animalId(), true)
                              > 0)
                  .count();
      long version = wh.read(Tables.GALLERY).agg(max("gallery_version")).first().getLong(0) + 1;
      Map<String, String> rules = new LinkedHashMap<>();
      Row first = null;
      for (Row r :
          wh.read(Tables.GALLERY)
              .where(col("gallery_version").equalTo(enrolmentVersion))
              .select("animal_id", "threshold_rule", "as_of", "embedder_id")
              .collectAsList()) {
        rules.put(r.getString(0), r.getString(1));
        first = r;
      }
      java.sql.Date asOf = first.getAs("as_of");
      GalleryStage.Version v =
          new GalleryStage.Version(
              version, first.getString(3), asOf == null ? null : asOf.toLocalDate(), newPrint);
      String moves =
          String.format(
              Locale.ROOT,
              "; means moved toward the archive's crops voted under version %d at weight %s",
              inForce,
              s.adaptWeight());
      List<Row> out =
          GalleryStage.rows(moved, v, e -> rules.get(e.animalId()) + moves, run.runId());
      spark.sparkContext().setJobDescription("adapt: write version " + version);
      wh.append(Tables.GALLERY, spark.createDataFrame(out, Tables.GALLERY.schema()), run.runId());
      run.galleryVersion(version);
      run.count("adapted_crops", crops + infraredCrops);
      run.progress(
          String.format(
              Locale.ROOT,
              "adapt: version %d: the means of version %d moved toward %d crops (%d infrared) of"
                  + " %d animals voted under version %d in %d videos, at weight %s",
              version,
              enrolmentVersion,
              crops + infraredCrops,
              infraredCrops,
              animals,
              inForce,
              videoCount,
              s.adaptWeight()));
      return new Outcome(
          version,
          true,
          inForce,
          enrolmentVersion,
          crops + infraredCrops,
          infraredCrops,
          animals,
          videoCount);
    } finally {
      voted.unpersist();
      spark.sparkContext().setJobDescription(null);
    }
  }

  /** The latest enrolment version with {@code fingerprint}, which an adapted version rests on. */
  private static long versionOf(Warehouse wh, String fingerprint, long adapted) {
    Row r =
        wh.read(Tables.GALLERY)
            .where(col("fingerprint").equalTo(fingerprint))
            .agg(max("gallery_version"))
            .first();
    if (r.isNullAt(0)) {
      throw new IllegalStateException(
          "gallery version "
              + adapted
              + " in "
              + wh.root()
              + " was adapted from an enrolment version no longer in the table: run `farmid"
              + " gallery` again");
    }
    return r.getLong(0);
  }
}
