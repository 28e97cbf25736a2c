package org.farmid.jobs.spark;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/** Records each pipeline command in the {@code job_runs} table, whether it succeeded or not. */
public final class JobRuns {
  private JobRuns() {}

  public static void record(Warehouse warehouse, RunContext run, Throwable failure) {
    Row row =
        RowFactory.create(
            run.runId(),
            run.command(),
            run.arguments(),
            run.configHash(),
            Timestamp.from(run.startedAt()),
            Timestamp.from(Instant.now()),
            failure == null ? "succeeded" : "failed",
            run.detectorId(),
            run.embedderId(),
            run.galleryVersion(),
            new java.util.LinkedHashMap<>(run.counts()),
            failure == null ? null : String.valueOf(failure.getMessage()));
    warehouse.append(
        Tables.JOB_RUNS,
        warehouse.spark().createDataFrame(List.of(row), Tables.JOB_RUNS.schema()),
        run.runId());
  }
}
