package org.farmid.jobs.spark;

import static org.apache.spark.sql.functions.expr;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Date;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.farmid.jobs.testing.SparkTestBase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two writers replacing the same rows at once: Delta refuses one commit, which is tried again. */
class WarehouseConcurrencyTest extends SparkTestBase {
  @TempDir Path dir;

  private Dataset<Row> frames(String runId, int count) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      rows.add(
          RowFactory.create(
              "v.mp4",
              "v.mp4#0",
              "cam01",
              Date.valueOf("2026-01-05"),
              i * 5,
              i * 1.0,
              i,
              runId,
              false));
    }
    return spark().createDataFrame(rows, Tables.FRAMES.schema());
  }

  @Test
  void aReplaceOvertakenByAnotherCommitIsTriedAgainAndLandsWhole() throws Exception {
    Warehouse first = new Warehouse(spark(), dir);
    first.replace(Tables.FRAMES, frames("run-0", 2), "video_id = 'v.mp4'", "run-0");
    long retriedBefore = Warehouse.retriedCommits();

    // A computes its rows slowly (reflect sleeps 1.5 s per row and returns the text "null"), so B
    // commits inside A's transaction
    Dataset<Row> slowA =
        frames("run-a", 4)
            .where(expr("reflect('java.lang.Thread', 'sleep', cast(1500 as bigint)) IS NOT NULL"));
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread a =
        new Thread(
            () -> {
              try {
                new Warehouse(spark(), dir)
                    .replace(Tables.FRAMES, slowA, "video_id = 'v.mp4'", "run-a");
              } catch (Throwable t) {
                failure.set(t);
              }
            });
    a.start();
    Thread.sleep(500);
    new Warehouse(spark(), dir)
        .replace(Tables.FRAMES, frames("run-b", 3), "video_id = 'v.mp4'", "run-b");
    a.join(60_000);
    assertThat(failure.get()).isNull();

    // A's first commit was refused and tried again; the table holds A's rows only, each once
    assertThat(Warehouse.retriedCommits() - retriedBefore).isGreaterThanOrEqualTo(1);
    List<Row> rows = first.read(Tables.FRAMES).orderBy("frame_index").collectAsList();
    assertThat(rows).hasSize(4);
    assertThat(rows).allSatisfy(r -> assertThat(r.<String>getAs("run_id")).isEqualTo("run-a"));
    assertThat(rows.stream().map(r -> r.<Integer>getAs("frame_index")).toList())
        .containsExactly(0, 5, 10, 15);
    // and the history shows both writers' commits, B's before A's
    List<String> runs =
        spark()
            .sql("DESCRIBE HISTORY delta.`" + first.location(Tables.FRAMES) + "`")
            .orderBy("version")
            .select("userMetadata")
            .collectAsList()
            .stream()
            .map(r -> r.getString(0))
            .filter(m -> m != null)
            .toList();
    assertThat(runs).containsSubsequence("run_id=run-0", "run_id=run-b", "run_id=run-a");
  }
}
