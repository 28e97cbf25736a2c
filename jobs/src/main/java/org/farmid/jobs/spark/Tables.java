package org.farmid.jobs.spark;

import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.DateType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.FloatType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.TimestampType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;
import static org.apache.spark.sql.types.DataTypes.createMapType;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Every Delta table of the warehouse: its name (the folder below the warehouse root), explicit
 * schema and partition columns. Each column carries a comment, so {@code DESCRIBE} documents it.
 */
public enum Tables {
  VIDEOS(
      "videos",
      List.of(),
      col("video_id", StringType, false, "path below the archive root, '/'-separated"),
      col("archive", StringType, false, "archive root the video was ingested from"),
      col("path", StringType, false, "absolute path of the file"),
      col("camera", StringType, false, "camera, from the path pattern"),
      col("start_time", TimestampType, true, "recording start (UTC wall clock), from the path"),
      col("date", DateType, true, "recording day, from the path"),
      col("duration_s", DoubleType, false, "duration the container declares"),
      col("fps", DoubleType, false, "frame rate"),
      col("width", IntegerType, false, "frame width, pixels"),
      col("height", IntegerType, false, "frame height, pixels"),
      col("frame_count", LongType, false, "frames the container declares"),
      col("codec", StringType, true, "video codec"),
      col("size_bytes", LongType, false, "file size"),
      col("segments", IntegerType, false, "segments planned"),
      Columns.RUN_ID,
      col("modified_at", TimestampType, true, "file modification time when probed"),
      col("plan_fingerprint", StringType, true, "hash of the settings that planned its segments"),
      col("missing_since", TimestampType, true, "when ingest found the file gone; null = present")),
  SEGMENTS(
      "segments",
      List.of(),
      col("segment_id", StringType, false, "video_id#index"),
      col("video_id", StringType, false, "video the segment cuts"),
      col("archive", StringType, false, "archive root"),
      col("path", StringType, false, "absolute path of the file"),
      col("camera", StringType, false, "camera"),
      col("start_time", TimestampType, true, "recording start of the video"),
      col("date", DateType, true, "recording day"),
      col("fps", DoubleType, false, "frame rate of the video"),
      col("segment_index", IntegerType, false, "0-based position in the video"),
      col("start_s", DoubleType, false, "segment start, seconds from the video start"),
      col("end_s", DoubleType, false, "planned end (exclusive), seconds"),
      col("to_end", BooleanType, false, "the last segment: decoded to the end of the file"),
      Columns.RUN_ID),
  DETECTED_SEGMENTS(
      "detected_segments",
      List.of(),
      col("segment_id", StringType, false, "segment"),
      col("video_id", StringType, false, "video"),
      col("path", StringType, false, "absolute path of the file"),
      Columns.CAMERA_DAY,
      col("fingerprint", StringType, false, "hash of the models and detection settings used"),
      col("segment_run_id", StringType, false, "ingest run that planned the segment"),
      col("status", StringType, false, "done, or failed (see rejected_inputs)"),
      col("frames_decoded", LongType, false, "frames decoded"),
      col("frames_sampled", LongType, false, "frames kept and detected"),
      col("detections", LongType, false, "detections written"),
      col("detected_at", TimestampType, false, "when the segment's batch was committed"),
      Columns.RUN_ID),
  REJECTED_INPUTS(
      "rejected_inputs",
      List.of(),
      col("path", StringType, false, "file or segment that could not be used"),
      col("archive", StringType, true, "archive root or crops folder it came from"),
      col("stage", StringType, false, "ingest, detect or enrol"),
      col("reason", StringType, false, "what went wrong"),
      col("run_id", StringType, false, "run that found it"),
      col("recorded_at", TimestampType, false, "when")),
  DETECTIONS(
      "detections",
      List.of("date"),
      col("detection_id", StringType, false, "video_id#frame_index#rank"),
      col("video_id", StringType, false, "video"),
      col("segment_id", StringType, false, "segment that produced the row"),
      Columns.CAMERA_DAY,
      col("frame_index", IntegerType, false, "0-based frame number in the video"),
      col("frame_offset_s", DoubleType, false, "frame time, seconds from the video start"),
      col("frame_time", TimestampType, true, "frame time (UTC wall clock); null when undated"),
      Columns.BOX,
      col("score", FloatType, false, "detector score"),
      col("multi_animal", BooleanType, false, "another box covers a large share of this one"),
      col("embedding", createArrayType(FloatType, false), false, "L2-normalised embedding"),
      Columns.MODELS,
      Columns.RUN_ID,
      Columns.INFRARED),
  FRAMES(
      "frames",
      List.of("date"),
      col("video_id", StringType, false, "video"),
      col("segment_id", StringType, false, "segment"),
      Columns.CAMERA_DAY,
      col("frame_index", IntegerType, false, "0-based frame number in the video"),
      col("frame_offset_s", DoubleType, false, "seconds from the video start"),
      col("detections", IntegerType, false, "detections kept in the frame"),
      Columns.RUN_ID,
      Columns.INFRARED),
  ENROLMENT(
      "enrolment",
      List.of(),
      col("animal_id", StringType, false, "animal"),
      col("source", StringType, false, "crops folder or ground-truth folder the row came from"),
      col("crop_ref", StringType, false, "crop file, or the detection_id it was labelled from"),
      col("date", DateType, true, "day the crop was taken; null when unknown"),
      col("embedding", createArrayType(FloatType, false), false, "L2-normalised embedding"),
      col("embedder_id", StringType, false, "embedder model"),
      Columns.RUN_ID,
      col(
          "source_fingerprint",
          StringType,
          true,
          "hash of the crop files (names, sizes, times) and embedder; null for ground truth"),
      col(
          "infrared_embedding",
          createArrayType(FloatType, false),
          true,
          "embedding of the crop in the night cameras' look (gallery.infrared-look; the crop's own"
              + " when it is infrared); null when there is none")),
  GALLERY(
      "gallery",
      List.of(),
      col("gallery_version", LongType, false, "1, 2, ...; one per distinct gallery build"),
      col("animal_id", StringType, false, "animal"),
      col("mean", createArrayType(FloatType, false), false, "re-normalised mean embedding"),
      col("crops", LongType, false, "enrolment embeddings averaged"),
      col("spread_mean", DoubleType, false, "mean distance of its embeddings to the mean"),
      col("spread_p95", DoubleType, false, "95th percentile distance to the mean"),
      col("threshold", DoubleType, false, "open-set distance threshold"),
      col("threshold_rule", StringType, false, "how the threshold was derived"),
      col("valid_from", DateType, true, "first day in the herd; null = always"),
      col("valid_to", DateType, true, "last day in the herd; null = still there"),
      col("camera", StringType, true, "camera of the animal's pen; null = any camera"),
      col("status", StringType, false, "active or retired"),
      col("as_of", DateType, true, "enrolment considered up to this day; null = all"),
      col("embedder_id", StringType, false, "embedder model of the means"),
      col("fingerprint", StringType, false, "hash of the inputs; equal inputs reuse a version"),
      col("created_at", TimestampType, false, "when the version was built"),
      Columns.RUN_ID,
      col(
          "infrared_mean",
          createArrayType(FloatType, false),
          true,
          "mean of the infrared embeddings, for crops of infrared frames; null = none, use mean"),
      col("infrared_crops", LongType, true, "infrared embeddings averaged"),
      col("infrared_spread_p95", DoubleType, true, "95th percentile distance to infrared_mean"),
      col("infrared_threshold", DoubleType, true, "open-set threshold of infrared_mean")),
  /**
   * Each crop's own identity, the nearest mean alone ({@code classify}): the input of {@code
   * track}, kept for audits. The identity to read is in {@link #IDENTITIES}.
   */
  CROP_IDENTITIES(
      "crop_identities",
      List.of("date"),
      col("detection_id", StringType, false, "detection"),
      col("video_id", StringType, false, "video"),
      Columns.CAMERA_DAY,
      Columns.FRAME_AT,
      Columns.BOX,
      col("score", FloatType, false, "detector score"),
      col("multi_animal", BooleanType, false, "another box covers much of this one"),
      col("animal_id", StringType, false, "the crop's own animal, or 'unknown'"),
      col("nearest_animal", StringType, true, "nearest mean, even when over its threshold"),
      col("distance", DoubleType, true, "distance to the nearest mean"),
      col("margin", DoubleType, true, "second-nearest distance minus nearest distance"),
      col("threshold", DoubleType, true, "threshold of the nearest animal"),
      col("gallery_version", LongType, false, "gallery version used"),
      Columns.MODELS,
      Columns.RUN_ID,
      col("detection_run_id", StringType, true, "run that wrote the detection classified"),
      col(
          "infrared",
          BooleanType,
          true,
          "named against the infrared means (a crop of an infrared frame); null when older")),
  TRACKS(
      "tracks",
      List.of("date"),
      col("track_id", StringType, false, "video_id#n"),
      col("video_id", StringType, false, "video"),
      Columns.CAMERA_DAY,
      col("first_frame", IntegerType, false, "first frame with a detection"),
      col("last_frame", IntegerType, false, "last frame with a detection"),
      col("start_time", TimestampType, true, "time of the first frame"),
      col("end_time", TimestampType, true, "time of the last frame"),
      col("detections", IntegerType, false, "detections linked"),
      col("animal_id", StringType, false, "identity voted along the track, or 'unknown'"),
      col("vote_strength", DoubleType, false, "share of the vote behind the identity"),
      col("gallery_version", LongType, false, "gallery version of the identities voted"),
      Columns.RUN_ID,
      col(
          "track_fingerprint",
          StringType,
          true,
          "hash of the tracking settings used; a video tracked under others is tracked again")),
  /**
   * The final identity of every detection ({@code track}): the animal voted along its track, and
   * the crop's own identity beside it for audits. What analysts query.
   */
  IDENTITIES(
      "identities",
      List.of("date"),
      col("track_id", StringType, false, "track"),
      col("detection_id", StringType, false, "detection"),
      col("video_id", StringType, false, "video"),
      Columns.CAMERA_DAY,
      Columns.FRAME_AT,
      Columns.BOX,
      col("crop_animal_id", StringType, false, "the crop's own identity (crop_identities)"),
      col("animal_id", StringType, false, "final identity: voted along its track, or 'unknown'"),
      col("gallery_version", LongType, false, "gallery version"),
      Columns.RUN_ID,
      col("identity_run_id", StringType, true, "run that wrote the crop identity tracked")),
  METRICS(
      "metrics",
      List.of(),
      col("ground_truth", StringType, false, "ground-truth folder evaluated against"),
      col("gallery_version", LongType, false, "gallery version evaluated"),
      Columns.MODELS,
      col(
          "video",
          StringType,
          true,
          "video (path without extension) for per-video rows; null for all"),
      col("animal_id", StringType, true, "animal for per-animal rows; null for overall figures"),
      col("metric", StringType, false, "figure name, e.g. macro_f1, precision"),
      col("value", DoubleType, true, "figure; null when undefined (no support)"),
      col("support", LongType, true, "count the figure rests on"),
      Columns.RUN_ID),
  MATCHES(
      "matches",
      List.of(),
      col("ground_truth", StringType, false, "ground-truth folder"),
      col("gallery_version", LongType, false, "gallery version"),
      col("video_id", StringType, false, "video"),
      col("frame_index", IntegerType, false, "0-based frame number"),
      col("outcome", StringType, false, "matched, missed (no detection) or spurious (no truth)"),
      col("detection_id", StringType, true, "detection; null when missed"),
      col("truth_animal", StringType, true, "ground-truth id; null when spurious"),
      col("true_label", StringType, true, "animal, or 'unknown' for visitors"),
      col("predicted_label", StringType, true, "animal_id of the identity"),
      col("nearest_animal", StringType, true, "nearest mean"),
      col("distance", DoubleType, true, "distance to the nearest mean"),
      col("score", FloatType, true, "detector score"),
      Columns.RUN_ID),
  CONFUSION(
      "confusion",
      List.of(),
      col("ground_truth", StringType, false, "ground-truth folder"),
      col("gallery_version", LongType, false, "gallery version"),
      col("true_label", StringType, false, "animal, or 'unknown' for visitors"),
      col("predicted_label", StringType, false, "animal, or 'unknown'"),
      col("count", LongType, false, "matched detections"),
      Columns.RUN_ID),
  JOB_RUNS(
      "job_runs",
      List.of(),
      col("run_id", StringType, false, "run"),
      col("command", StringType, false, "CLI command"),
      col("arguments", StringType, false, "command line"),
      col("config_hash", StringType, false, "hash of the effective settings"),
      col("started_at", TimestampType, false, "start"),
      col("finished_at", TimestampType, false, "end"),
      col("status", StringType, false, "succeeded or failed"),
      col("detector_id", StringType, true, "detector model"),
      col("embedder_id", StringType, true, "embedder model"),
      col("gallery_version", LongType, true, "gallery version"),
      col("counts", createMapType(StringType, LongType, false), false, "rows written and read"),
      col("message", StringType, true, "failure reason"));

  private final String tableName;
  private final List<String> partitionColumns;
  private final StructType schema;

  /**
   * @param parts the columns in order: each a {@link StructField} or a group of them from {@link
   *     Columns}
   */
  Tables(String name, List<String> partitionColumns, Object... parts) {
    this.tableName = name;
    this.partitionColumns = partitionColumns;
    List<StructField> fields = new ArrayList<>();
    for (Object part : parts) {
      if (part instanceof StructField f) {
        fields.add(f);
      } else {
        for (Object f : (List<?>) part) {
          fields.add((StructField) f);
        }
      }
    }
    this.schema = new StructType(fields.toArray(StructField[]::new));
  }

  public String tableName() {
    return tableName;
  }

  public List<String> partitionColumns() {
    return partitionColumns;
  }

  public StructType schema() {
    return schema;
  }

  /**
   * Whether the table records Delta's change data feed ({@code table_changes}, {@code
   * readChangeFeed}), for jobs downstream that read only what changed: the identity tables.
   */
  public boolean changeDataFeed() {
    return this == CROP_IDENTITIES || this == IDENTITIES;
  }

  /** A new row of this table, its columns set by name ({@link TableRow}). */
  public TableRow row() {
    return new TableRow(this);
  }

  /** A row of {@link #REJECTED_INPUTS}: what {@code stage} could not use, and why. */
  public static Row rejection(
      String path, String archive, String stage, String reason, String runId, Timestamp at) {
    return REJECTED_INPUTS
        .row()
        .set("path", path)
        .set("archive", archive)
        .set("stage", stage)
        .set("reason", reason)
        .set("run_id", runId)
        .set("recorded_at", at)
        .build();
  }

  /** Column groups that several tables share, defined once. */
  public static final class Columns {
    private Columns() {}

    /** A detection's box in pixels: {@code box_left, box_top, box_width, box_height}. */
    public static final List<StructField> BOX =
        List.of(
            col("box_left", DoubleType, false, "box left, pixels"),
            col("box_top", DoubleType, false, "box top, pixels"),
            col("box_width", DoubleType, false, "box width, pixels"),
            col("box_height", DoubleType, false, "box height, pixels"));

    /** The camera and the recording day, the partition column of the per-frame tables. */
    public static final List<StructField> CAMERA_DAY =
        List.of(
            col("camera", StringType, false, "camera"),
            col("date", DateType, true, "recording day (partition)"));

    /** A frame of a video and its wall-clock time. */
    public static final List<StructField> FRAME_AT =
        List.of(
            col("frame_index", IntegerType, false, "0-based frame number"),
            col("frame_time", TimestampType, true, "frame time; null when undated"));

    /** The models that made a row. */
    public static final List<StructField> MODELS =
        List.of(
            col("detector_id", StringType, false, "detector model"),
            col("embedder_id", StringType, false, "embedder model"));

    /** The run that wrote a row. */
    public static final StructField RUN_ID =
        col("run_id", StringType, false, "run that wrote the row");

    /**
     * The frame's lighting: an infrared camera's grey picture ({@code FrameLight}); null in rows
     * written before lighting was recorded (read as colour).
     */
    public static final StructField INFRARED =
        col("infrared", BooleanType, true, "infrared (night) frame; null when not recorded");
  }

  private static StructField col(String name, DataType type, boolean nullable, String comment) {
    return new StructField(name, type, nullable, Metadata.empty()).withComment(comment);
  }
}
