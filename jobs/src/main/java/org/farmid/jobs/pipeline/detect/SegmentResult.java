package org.farmid.jobs.pipeline.detect;

import java.io.Serializable;
import java.util.List;
import org.apache.spark.sql.Row;

/**
 * What a detect task made of one segment: rows for {@code detections} and {@code frames}, or the
 * reason it failed (then no rows: the segment's earlier rows are kept).
 */
public record SegmentResult(
    SegmentTask segment, List<Row> detections, List<Row> frames, long decoded, String error)
    implements Serializable {

  public static SegmentResult failed(SegmentTask segment, String error) {
    return new SegmentResult(segment, List.of(), List.of(), 0, error);
  }

  public boolean ok() {
    return error == null;
  }
}
