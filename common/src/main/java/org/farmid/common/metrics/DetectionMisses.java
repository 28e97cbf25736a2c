package org.farmid.common.metrics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.farmid.common.detect.Detection;
import org.farmid.common.geom.Box;

/**
 * What a detector misses and adds at one operating point: the detections at or above a score,
 * matched to ground truth with the rule of {@link DetectionAp} (greedily by score, each to the
 * unmatched box of highest IoU at or above the threshold), with recall split by how much of each
 * animal is visible. Average precision says how good a detector is; this says where it fails.
 */
public final class DetectionMisses {

  /** Upper bounds of the visibility bands; the last band includes 1.0. */
  public static final double[] BANDS = {0.3, 0.5, 0.8, 1.0};

  /** IoU from which a detection counts as near a ground-truth box it does not match. */
  public static final double NEAR = 0.3;

  /** A ground-truth box and the share of the animal seen in the picture. */
  public record Truth(Box box, double visibility) {}

  /**
   * The counts.
   *
   * @param boxes ground-truth boxes per visibility band of {@link #BANDS}
   * @param found of those, matched by a detection
   * @param detections detections at or above the score
   * @param falsePositives of those, matched to no ground-truth box
   * @param duplicates of the false positives, those that fit an animal already found (IoU at or
   *     above the threshold with a box matched by a higher-scoring detection)
   * @param misplaced of the other false positives, those that overlap some animal (IoU at least
   *     0.1): boxes too loose, too tight, or over two animals
   * @param missedNear of the ground-truth boxes not found, those that some unmatched detection
   *     overlaps with an IoU of at least {@link #NEAR} (a box is there, placed too loosely); the
   *     others have no box of their own near them
   */
  public record Counts(
      long[] boxes,
      long[] found,
      long detections,
      long falsePositives,
      long duplicates,
      long misplaced,
      long missedNear) {
    /** Ground-truth boxes no detection matched. */
    public long missed() {
      long m = 0;
      for (int i = 0; i < boxes.length; i++) {
        m += boxes[i] - found[i];
      }
      return m;
    }

    public double recall() {
      long b = 0;
      long f = 0;
      for (int i = 0; i < boxes.length; i++) {
        b += boxes[i];
        f += found[i];
      }
      return b == 0 ? 0 : (double) f / b;
    }

    public double precision() {
      return detections == 0 ? 0 : (double) (detections - falsePositives) / detections;
    }

    /** Recall in band {@code i}, or NaN when it holds no box. */
    public double recall(int band) {
      return boxes[band] == 0 ? Double.NaN : (double) found[band] / boxes[band];
    }

    /** Share of the ground-truth boxes in the bands below {@code band} (0 when there is none). */
    public double shareBelow(int band) {
      long below = 0;
      long all = 0;
      for (int i = 0; i < boxes.length; i++) {
        all += boxes[i];
        below += i < band ? boxes[i] : 0;
      }
      return all == 0 ? 0 : (double) below / all;
    }

    /** Recall of the boxes in band {@code band} and above, or NaN when they hold no box. */
    public double recallFrom(int band) {
      long b = 0;
      long f = 0;
      for (int i = band; i < boxes.length; i++) {
        b += boxes[i];
        f += found[i];
      }
      return b == 0 ? Double.NaN : (double) f / b;
    }

    /**
     * The recall there would be if every box in band {@code band} and above were found and those
     * below were found as they are: how far better detection of the animals that show can take
     * recall before the hidden ones cap it.
     */
    public double recallIfFoundFrom(int band) {
      long b = 0;
      long f = 0;
      for (int i = 0; i < boxes.length; i++) {
        b += boxes[i];
        f += i < band ? found[i] : boxes[i];
      }
      return b == 0 ? 0 : (double) f / b;
    }
  }

  /** The first band of animals at least half visible. */
  public static final int HALF_VISIBLE = 2;

  private DetectionMisses() {}

  /** The band of a visibility: the first whose upper bound exceeds it, the last for 1.0. */
  public static int band(double visibility) {
    for (int i = 0; i < BANDS.length - 1; i++) {
      if (visibility < BANDS[i]) {
        return i;
      }
    }
    return BANDS.length - 1;
  }

  /**
   * Counts per frame key; frames with detections but no ground truth count their detections as
   * false positives.
   */
  public static Counts count(
      Map<String, List<Truth>> groundTruth,
      Map<String, List<Detection>> detections,
      double iouThreshold,
      float minScore) {
    long[] boxes = new long[BANDS.length];
    long[] found = new long[BANDS.length];
    long dets = 0;
    long falsePositives = 0;
    long duplicates = 0;
    long misplaced = 0;
    long missedNear = 0;
    for (List<Truth> truths : groundTruth.values()) {
      for (Truth t : truths) {
        boxes[band(t.visibility())]++;
      }
    }
    for (Map.Entry<String, List<Detection>> e : detections.entrySet()) {
      List<Truth> gt = groundTruth.getOrDefault(e.getKey(), List.of());
      List<Detection> kept = new ArrayList<>();
      for (Detection d : e.getValue()) {
        if (d.score() >= minScore) {
          kept.add(d);
        }
      }
      kept.sort(Comparator.comparingDouble(Detection::score).reversed());
      List<Box> gtBoxes = gt.stream().map(Truth::box).toList();
      int[] match = DetectionAp.greedyMatch(gtBoxes, kept, iouThreshold);
      // Boxes matched by the detections scoring higher than the one at hand.
      boolean[] taken = new boolean[gt.size()];
      // Boxes an unmatched detection overlaps by at least NEAR.
      boolean[] near = new boolean[gt.size()];
      for (int i = 0; i < kept.size(); i++) {
        dets++;
        if (match[i] >= 0) {
          taken[match[i]] = true;
          found[band(gt.get(match[i]).visibility())]++;
          continue;
        }
        falsePositives++;
        double nearest = 0;
        boolean duplicate = false;
        for (int g = 0; g < gt.size(); g++) {
          double iou = kept.get(i).box().iou(gtBoxes.get(g));
          nearest = Math.max(nearest, iou);
          duplicate |= taken[g] && iou >= iouThreshold;
          near[g] |= iou >= NEAR;
        }
        if (duplicate) {
          duplicates++;
        } else if (nearest >= 0.1) {
          misplaced++;
        }
      }
      for (int g = 0; g < gt.size(); g++) {
        if (near[g] && !taken[g]) {
          missedNear++;
        }
      }
    }
    return new Counts(boxes, found, dets, falsePositives, duplicates, misplaced, missedNear);
  }
}
