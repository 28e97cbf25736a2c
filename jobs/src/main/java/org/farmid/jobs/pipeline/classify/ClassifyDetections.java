package org.farmid.jobs.pipeline.classify;

import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.farmid.common.gallery.OpenSetClassifier;
import org.farmid.jobs.spark.Rows;
import org.farmid.jobs.spark.StageTimers;
import org.farmid.jobs.spark.Tables;

/**
 * The classify task: names each detection of its partition with the broadcast {@link
 * OpenSetClassifier} (never a join against the gallery) and returns {@code crop_identities} rows.
 * Frame-exclusive naming needs each frame's detections one after another in the partition ({@link
 * ClassifyStage} sorts them so) and names them together.
 */
public final class ClassifyDetections implements MapPartitionsFunction<Row, Row> {
  private static final long serialVersionUID = 1L;

  private final Broadcast<OpenSetClassifier> gallery;
  private final long version;

  /** How a frame's crops are named together; null: each crop alone. */
  private final OpenSetClassifier.FrameRule rule;

  private final String runId;
  private final StageTimers timers;

  public ClassifyDetections(
      Broadcast<OpenSetClassifier> gallery,
      long version,
      OpenSetClassifier.FrameRule rule,
      String runId,
      StageTimers timers) {
    this.timers = timers;
    this.gallery = gallery;
    this.version = version;
    this.rule = rule;
    this.runId = runId;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> detections) {
    OpenSetClassifier classifier = gallery.value();
    List<Row> out = new ArrayList<>();
    List<Row> frame = new ArrayList<>();
    long nanos = 0;
    while (detections.hasNext()) {
      Row d = detections.next();
      if (!frame.isEmpty() && !(rule != null && sameFrame(frame.get(0), d))) {
        nanos += name(classifier, frame, out);
        frame.clear();
      }
      frame.add(d);
    }
    if (!frame.isEmpty()) {
      nanos += name(classifier, frame, out);
    }
    timers.add("nearest_mean_ns", nanos);
    timers.add("rows", out.size());
    return out.iterator();
  }

  private static boolean sameFrame(Row a, Row b) {
    return a.<String>getAs("video_id").equals(b.getAs("video_id"))
        && a.<Integer>getAs("frame_index").equals(b.getAs("frame_index"));
  }

  /** Names the detections of one frame (or one detection) into {@code out}; the nanoseconds. */
  private long name(OpenSetClassifier classifier, List<Row> frame, List<Row> out) {
    Row first = frame.get(0);
    Date date = first.getAs("date");
    LocalDate day = date == null ? null : date.toLocalDate();
    boolean infrared = Rows.infrared(first);
    String camera = first.getAs("camera");
    List<float[]> embeddings = new ArrayList<>(frame.size());
    for (Row d : frame) {
      embeddings.add(Rows.floats(d, "embedding"));
    }
    long t0 = System.nanoTime();
    List<OpenSetClassifier.Match> matches =
        frame.size() == 1
            ? List.of(classifier.classify(embeddings.get(0), day, camera, infrared))
            : classifier.classifyFrame(embeddings, day, camera, infrared, rule);
    long nanos = System.nanoTime() - t0;
    for (int i = 0; i < frame.size(); i++) {
      Row d = frame.get(i);
      OpenSetClassifier.Match m = matches.get(i);
      out.add(
          Tables.CROP_IDENTITIES
              .row()
              .copy(d, "detection_id", "video_id", "camera", "date", "frame_index", "frame_time")
              .copy(d, "box_left", "box_top", "box_width", "box_height", "score", "multi_animal")
              .set("animal_id", m.label())
              .set("nearest_animal", m.nearest())
              .set("distance", nullIfNaN(m.distance()))
              .set("margin", nullIfNaN(m.margin()))
              .set("threshold", nullIfNaN(m.threshold()))
              .set("gallery_version", version)
              .copy(d, "detector_id", "embedder_id")
              .set("run_id", runId)
              .set("detection_run_id", d.<String>getAs("run_id"))
              .set("infrared", m.infrared())
              .build());
    }
    return nanos;
  }

  private static Double nullIfNaN(double v) {
    return Double.isNaN(v) ? null : v;
  }
}
