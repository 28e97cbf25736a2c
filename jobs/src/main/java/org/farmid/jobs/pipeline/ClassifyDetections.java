package org.farmid.jobs.pipeline;

import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.farmid.common.gallery.OpenSetClassifier;
import org.farmid.jobs.spark.Rows;
import org.farmid.jobs.spark.StageTimers;

/**
 * The classify task: names each detection of its partition with the broadcast {@link
 * OpenSetClassifier} (never a join against the gallery) and returns {@code identities} rows.
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
      long t0 = System.nanoTime();
      OpenSetClassifier.Match m = classifier.classify(v, day, d.<String>getAs("camera"));
      nanos += System.nanoTime() - t0;
      out.add(
          RowFactory.create(
              d.getAs("detection_id"),
              d.getAs("video_id"),
              d.getAs("camera"),
              date,
              d.getAs("frame_index"),
              d.getAs("frame_time"),
              d.getAs("box_left"),
              d.getAs("box_top"),
              d.getAs("box_width"),
              d.getAs("box_height"),
              d.getAs("score"),
              d.getAs("multi_animal"),
              m.label(),
              m.nearest(),
              nullIfNaN(m.distance()),
              nullIfNaN(m.margin()),
              nullIfNaN(m.threshold()),
              version,
              d.getAs("detector_id"),
              d.getAs("embedder_id"),
              runId));
    }
    timers.add("nearest_mean_ns", nanos);
    timers.add("rows", out.size());
    return out.iterator();
  }

  private static Double nullIfNaN(double v) {
    return Double.isNaN(v) ? null : v;
  }
}
