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
 */
public final class ClassifyDetections implements MapPartitionsFunction<Row, Row> {
  private static final long serialVersionUID = 1L;

  private final Broadcast<OpenSetClassifier> gallery;
  private final long version;
  private final String runId;
  private final StageTimers timers;

  public ClassifyDetections(
      Broadcast<OpenSetClassifier> gallery, long version, String runId, StageTimers timers) {
    this.timers = timers;
    this.gallery = gallery;
    this.version = version;
    this.runId = runId;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> detections) {
    OpenSetClassifier classifier = gallery.value();
    List<Row> out = new ArrayList<>();
    long nanos = 0;
    while (detections.hasNext()) {
      Row d = detections.next();
      float[] v = Rows.floats(d, "embedding");
      Date date = d.getAs("date");
      LocalDate day = date == null ? null : date.toLocalDate();
      boolean infrared = Rows.infrared(d);
      long t0 = System.nanoTime();
      OpenSetClassifier.Match m = classifier.classify(v, day, d.<String>getAs("camera"), infrared);
      nanos += System.nanoTime() - t0;
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
    timers.add("nearest_mean_ns", nanos);
    timers.add("rows", out.size());
    return out.iterator();
  }

  private static Double nullIfNaN(double v) {
    return Double.isNaN(v) ? null : v;
  }
}
