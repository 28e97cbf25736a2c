package org.farmid.jobs.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.farmid.jobs.testing.SparkTestBase;
import org.junit.jupiter.api.Test;

class StageTimersTest extends SparkTestBase {
  @Test
  void tasksOnEveryPartitionAddUpAndNanosecondsReadAsMilliseconds() {
    StageTimers t = StageTimers.register(spark(), "test", "work_ns", "items");
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark().sparkContext());
    jsc.parallelize(List.of(1, 2, 3, 4), 4)
        .foreach(
            i -> {
              t.add("work_ns", i * 1_500_000L); // 1.5, 3, 4.5, 6 ms
              t.add("items", i);
            });
    assertThat(t.values())
        .containsExactly(java.util.Map.entry("work_ms", 15L), java.util.Map.entry("items", 10L));
    assertThatThrownBy(() -> t.add("other_ns", 1)).hasMessageContaining("no timer other_ns");
    StageTimers off = StageTimers.off();
    off.add("anything", 5);
    assertThat(off.values()).isEmpty();
  }
}
