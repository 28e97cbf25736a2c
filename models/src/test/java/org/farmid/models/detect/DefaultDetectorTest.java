package org.farmid.models.detect;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Set;
import java.util.stream.LongStream;
import org.farmid.common.metrics.DetectionMisses;
import org.farmid.common.synth.ArchivePlan;
import org.farmid.common.synth.SynthSettings;
import org.farmid.models.synth.SynthArchiveWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The committed default detector finds the animals of pens it never saw. */
class DefaultDetectorTest {
  static final Path MODEL = Path.of(System.getProperty("basedir", "."), "detector-default");

  @Test
  void findsAnimalsInAnUnseenPen(@TempDir Path dir) throws Exception {
    // Seed 303 is neither the training archive's (31) nor the evaluation archive's (22).
    SynthSettings s =
        new SynthSettings(
            303, 1, 1, 0.2, 0.2, 8, 1, 5, 1280, 720, 0, 0, 0, 1200, LocalDate.of(2026, 3, 1), 1);
    new SynthArchiveWriter(ArchivePlan.create(s), l -> {}).write(dir);
    try (DjlDetector d = DjlDetector.open(MODEL, new DetectorOptions(0.01f, Set.of(), 100, 0))) {
      DetectorEvaluation.Outcome o = DetectorEvaluation.run(d, dir, 6, l -> {});
      assertThat(o.frames()).isEqualTo(10);
      assertThat(o.ap().map50()).as("mAP50 on an unseen pen").isGreaterThanOrEqualTo(0.9);
      // Every ground-truth box lands in one visibility band, and the confident detections find
      // nearly all animals that nothing covers.
      assertThat(LongStream.of(o.misses().boxes()).sum()).isEqualTo(o.groundTruthBoxes());
      assertThat(o.misses().recall(DetectionMisses.BANDS.length - 1))
          .as("recall50 of animals at least 80% visible")
          .isGreaterThanOrEqualTo(0.95);
    }
  }
}
