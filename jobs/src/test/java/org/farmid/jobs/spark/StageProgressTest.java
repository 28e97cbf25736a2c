package org.farmid.jobs.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.util.LongAccumulator;
import org.farmid.jobs.testing.SparkTestBase;
import org.junit.jupiter.api.Test;

class StageProgressTest extends SparkTestBase {
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
    // units that are the counted quantity: 12 of 40 files in 4 s, 28 left at 3 a second
    assertThat(StageProgress.line("ingest", 12, 40, "files", 4.0))
        .isEqualTo("ingest: 12/40 files, 3.0 files/s, ETA 0:09");
    assertThat(StageProgress.line("ingest", 40, 40, "files", 8.0))
        .isEqualTo("ingest: 40/40 files, 5.0 files/s");
  }

  @Test
  void unitsWorkedThroughSeveralToATaskAreCountedToTheirTotal() {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark().sparkContext());
    List<String> lines = new CopyOnWriteArrayList<>();
    // 5 files in 2 tasks: counted by task, the last line would read 2/5
    try (StageProgress p =
        StageProgress.startCounted(spark(), "ingest", "probe 5 files", "files", 5, lines::add)) {
      LongAccumulator probed = p.counter();
      jsc.parallelize(List.of(1, 2, 3, 4, 5), 2).setName(p.rddName()).foreach(i -> probed.add(1));
      p.awaitReported();
    }
    assertThat(lines).last().asString().startsWith("ingest: 5/5 files, ");
    assertThat(lines).allSatisfy(l -> assertThat(l).doesNotContain("/5 files, 5 files"));

    // one task per unit: units are tasks, the counted quantity beside them
    lines.clear();
    try (StageProgress p =
        StageProgress.start(spark(), "detect", "3 segments", "segments", 3, "frames", lines::add)) {
      LongAccumulator frames = p.counter();
      jsc.parallelize(List.of(10, 20, 30), 3).setName(p.rddName()).foreach(frames::add);
      p.awaitReported();
    }
    assertThat(lines).last().asString().startsWith("detect: 3/3 segments, 60 frames, ");
  }
}
