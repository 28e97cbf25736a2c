package org.farmid.common.metrics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.farmid.common.detect.Detection;
import org.farmid.common.geom.Box;

/**
 * COCO-style average precision of a one-class detector, as pycocotools computes it: per image the
 * 100 best detections, each matched greedily (by score) to the unmatched ground-truth box of
 * highest IoU at or above the threshold; precision made monotone and read at 101 recall points; mAP
 * averages IoU thresholds 0.50:0.05:0.95; recall100 is the mean best recall over them.
 */
public final class DetectionAp {

  /** The figures. */
  public record Summary(double map, double map50, double map75, double recall100) {}

  private DetectionAp() {}

  public static Summary evaluate(
      Map<String, List<Box>> groundTruth, Map<String, List<Detection>> detections) {
    double[] thresholds = new double[10];
    for (int i = 0; i < 10; i++) {
      thresholds[i] = 0.5 + 0.05 * i;
    }
    double apSum = 0;
    double recallSum = 0;
    double ap50 = 0;
    double ap75 = 0;
    for (int t = 0; t < thresholds.length; t++) {
      double[] apRecall = averagePrecision(groundTruth, detections, thresholds[t]);
      apSum += apRecall[0];
      recallSum += apRecall[1];
      if (t == 0) {
        ap50 = apRecall[0];
      }
      if (t == 5) {
        ap75 = apRecall[0];
      }
    }
    return new Summary(apSum / thresholds.length, ap50, ap75, recallSum / thresholds.length);
  }

  /** {AP, best recall} at one IoU threshold. */
  static double[] averagePrecision(
      Map<String, List<Box>> groundTruth, Map<String, List<Detection>> detections, double iouT) {
    record Scored(float score, boolean tp) {}
    List<Scored> all = new ArrayList<>();
    long positives = 0;
    for (List<Box> boxes : groundTruth.values()) {
      positives += boxes.size();
    }
    for (Map.Entry<String, List<Detection>> e : detections.entrySet()) {
      List<Box> gt = groundTruth.getOrDefault(e.getKey(), List.of());
      List<Detection> dets = new ArrayList<>(e.getValue());
      dets.sort(Comparator.comparingDouble(Detection::score).reversed());
      if (dets.size() > 100) {
        dets = dets.subList(0, 100);
      }
      int[] match = greedyMatch(gt, dets, iouT);
      for (int i = 0; i < dets.size(); i++) {
        all.add(new Scored(dets.get(i).score(), match[i] >= 0));
      }
    }
    if (positives == 0) {
      return new double[] {0, 0};
    }
    // A stable sort by score, as pycocotools' mergesort over images in order.
    all.sort(Comparator.comparingDouble((Scored s) -> s.score()).reversed());
    int n = all.size();
    double[] precision = new double[n];
    double[] recall = new double[n];
    long tp = 0;
    long fp = 0;
    for (int i = 0; i < n; i++) {
      if (all.get(i).tp()) {
        tp++;
      } else {
        fp++;
      }
      recall[i] = (double) tp / positives;
      precision[i] = (double) tp / (tp + fp);
    }
    for (int i = n - 2; i >= 0; i--) {
      precision[i] = Math.max(precision[i], precision[i + 1]);
    }
    double sum = 0;
    int k = 0;
    for (int r = 0; r <= 100; r++) {
      double at = r / 100.0;
      while (k < n && recall[k] < at) {
        k++;
      }
      sum += k < n ? precision[k] : 0;
    }
    return new double[] {sum / 101, n == 0 ? 0 : recall[n - 1]};
  }

  /**
   * pycocotools' matching in one image: each detection, in the given order (best score first),
   * takes the not yet matched ground-truth box of highest IoU at or above the threshold. The index
   * of the box each detection matched, -1 for none.
   */
  static int[] greedyMatch(List<Box> gt, List<Detection> byScore, double iouT) {
    int[] match = new int[byScore.size()];
    boolean[] taken = new boolean[gt.size()];
    for (int i = 0; i < byScore.size(); i++) {
      double best = Math.min(iouT, 1 - 1e-10);
      match[i] = -1;
      for (int g = 0; g < gt.size(); g++) {
        if (taken[g]) {
          continue;
        }
        double iou = byScore.get(i).box().iou(gt.get(g));
        if (iou >= best) {
          best = iou;
          match[i] = g;
        }
      }
      if (match[i] >= 0) {
        taken[match[i]] = true;
      }
    }
    return match;
  }
}
