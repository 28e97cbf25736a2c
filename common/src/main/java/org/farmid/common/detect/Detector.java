package org.farmid.common.detect;

import java.util.List;
import org.farmid.common.video.VideoFrame;

/**
 * Finds animals in frames. Boxes come back in the frame's pixel coordinates, highest score first,
 * already filtered by the detector's own settings (score threshold, classes, maximum count).
 */
public interface Detector {
  /** Identifies the model for provenance columns. */
  String modelId();

  /** One list of detections per frame, in frame order. */
  List<List<Detection>> detect(List<VideoFrame> frames);
}
