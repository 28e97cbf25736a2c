package org.farmid.models.detect;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.farmid.common.detect.Detection;
import org.farmid.common.detect.Detector;
import org.farmid.common.geom.Box;
import org.farmid.common.metrics.DetectionAp;
import org.farmid.common.metrics.DetectionMisses;

/** Runs a detector over labelled frames and measures COCO-style AP. */
public final class DetectorEvaluation {

  /** Score at or above which a detection counts as found in {@link Outcome#misses}. */
  public static final float CONFIDENT = 0.3f;

  /**
   * The figures; how many confident detections also cover much of another one; what the confident
   * detections find and add at IoU 0.5, and what all detections do (the most recall any score
   * threshold reaches).
   */
  public record Outcome(
      DetectionAp.Summary ap,
      DetectionMisses.Counts misses,
      DetectionMisses.Counts all,
      int frames,
      long groundTruthBoxes,
      long multiAnimal,
      double framesPerSecond) {}

  private DetectorEvaluation() {}

  /** A detection whose box covers at least half of another confident detection's box. */
  public static boolean coversAnother(Detection d, List<Detection> all) {
    for (Detection o : all) {
      if (o != d && o.box().area() > 0 && d.box().intersection(o.box()) / o.box().area() >= 0.5) {
        return true;
      }
    }
    return false;
  }

  /** Measures the detector on the frames of an archive made by {@code farmid synth}. */
  public static Outcome run(
      Detector detector, Path archiveRoot, int step, Consumer<String> progress) throws IOException {
    return run(detector, SynthFrames.of(archiveRoot), step, progress);
  }

  /** Measures the detector on every {@code step}-th frame of a labelled source. */
  public static Outcome run(
      Detector detector, LabelledFrames source, int step, Consumer<String> progress)
      throws IOException {
    Map<String, List<DetectionMisses.Truth>> truth = new LinkedHashMap<>();
    Map<String, List<Detection>> found = new LinkedHashMap<>();
    long[] multi = {0};
    long[] boxes = {0};
    double[] seconds = {0};
    source.forEach(
        step,
        f -> {
          String key = f.video() + "#" + f.frame().index();
          long t0 = System.nanoTime();
          List<Detection> dets = detector.detect(List.of(f.frame())).get(0);
          seconds[0] += (System.nanoTime() - t0) / 1e9;
          truth.put(
              key,
              f.truth().stream()
                  .map(r -> new DetectionMisses.Truth(r.box(), r.visibility()))
                  .toList());
          found.put(key, dets);
          boxes[0] += f.truth().size();
          List<Detection> confident = new ArrayList<>();
          for (Detection d : dets) {
            if (d.score() >= CONFIDENT) {
              confident.add(d);
            }
          }
          for (Detection d : confident) {
            if (coversAnother(d, confident)) {
              multi[0]++;
            }
          }
          if (truth.size() % 100 == 0) {
            progress.accept(truth.size() + " frames evaluated");
          }
        });
    Map<String, List<Box>> truthBoxes = new LinkedHashMap<>();
    truth.forEach(
        (key, rows) -> truthBoxes.put(key, rows.stream().map(DetectionMisses.Truth::box).toList()));
    return new Outcome(
        DetectionAp.evaluate(truthBoxes, found),
        DetectionMisses.count(truth, found, 0.5, CONFIDENT),
        DetectionMisses.count(truth, found, 0.5, 0f),
        truth.size(),
        boxes[0],
        multi[0],
        seconds[0] > 0 ? truth.size() / seconds[0] : 0);
  }
}
