package org.farmid.common.evaluate;

import java.util.List;
import org.farmid.common.geom.Box;
import org.farmid.common.track.Assignment;

/**
 * Matches one frame's detections to its ground-truth boxes one to one: pairs below the IoU
 * threshold are never matched, and among the rest the assignment with the most pairs and then the
 * highest total IoU wins (Hungarian, as in MOT and COCO-style evaluation with a fixed threshold).
 */
public final class FrameMatching {
  private FrameMatching() {}

  /** For each ground-truth box, the index of its detection, or -1 when it was missed. */
  public static int[] match(List<Box> truth, List<Box> detections, double minIou) {
    double[][] cost = new double[truth.size()][detections.size()];
    for (int i = 0; i < truth.size(); i++) {
      for (int j = 0; j < detections.size(); j++) {
        double iou = truth.get(i).iou(detections.get(j));
        cost[i][j] = iou >= minIou ? 1 - iou : Double.NaN;
      }
    }
    return Assignment.minCost(cost);
  }
}
