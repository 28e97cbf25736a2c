package org.farmid.jobs.spark;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StageProgressTest {
  @Test
  void linesShowDoneOverTotalRateAndTheTimeLeftAtThePaceSoFar() {
    // 3 of 8 segments in 30 s: 10 s each, 5 left -> 50 s
    assertThat(StageProgress.line("detect", 3, 8, "segments", 180, "frames", 30.0))
        .isEqualTo("detect: 3/8 segments, 180 frames, 6.0 frames/s, ETA 0:50");
    assertThat(StageProgress.line("detect", 1, 200, "segments", 60, "frames", 75.0))
        .isEqualTo("detect: 1/200 segments, 60 frames, 0.8 frames/s, ETA 248:45");
    assertThat(StageProgress.line("detect", 8, 8, "segments", 480, "frames", 10.0))
        .isEqualTo("detect: 8/8 segments, 480 frames, 48.0 frames/s");
    assertThat(StageProgress.line("enrol", 0, 4, "tasks", 0, "crops", 0.0))
        .isEqualTo("enrol: 0/4 tasks, 0 crops, 0.0 crops/s");
  }
}
