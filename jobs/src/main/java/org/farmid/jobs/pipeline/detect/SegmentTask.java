package org.farmid.jobs.pipeline.detect;

import java.io.Serializable;
import java.sql.Date;
import java.sql.Timestamp;
import org.apache.spark.sql.Row;

/** One row of {@code segments}, as a detect task receives it. */
public record SegmentTask(
    String segmentId,
    String videoId,
    String archive,
    String path,
    String camera,
    Timestamp videoStart,
    Date date,
    double fps,
    long startMicros,
    long endMicros,
    boolean toEnd,
    String segmentRunId)
    implements Serializable {

  public static SegmentTask of(Row r) {
    return new SegmentTask(
        r.getAs("segment_id"),
        r.getAs("video_id"),
        r.getAs("archive"),
        r.getAs("path"),
        r.getAs("camera"),
        r.getAs("start_time"),
        r.getAs("date"),
        r.<Double>getAs("fps"),
        Math.round(r.<Double>getAs("start_s") * 1e6),
        Math.round(r.<Double>getAs("end_s") * 1e6),
        r.<Boolean>getAs("to_end"),
        r.getAs("run_id"));
  }

  public long decodeEndMicros() {
    return toEnd ? Long.MAX_VALUE : endMicros;
  }
}
