package org.farmid.jobs.spark;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import org.apache.spark.sql.Row;

/** Records each pipeline command in the {@code job_runs} table, whether it succeeded or not. */
public final class JobRuns {
  private JobRuns() {}

  /** The words of the {@code status} column. */
  public static final String SUCCEEDED = "succeeded";

  public static final String FAILED = "failed";

  public static void record(Warehouse warehouse, RunContext run, Throwable failure) {
    Row row =
        Tables.JOB_RUNS
            .row()
            .set("run_id", run.runId())
            .set("command", run.command())
            .set("arguments", run.arguments())
            .set("config_hash", run.configHash())
            .set("started_at", Timestamp.from(run.startedAt()))
            .set("finished_at", Timestamp.from(Instant.now()))
            .set("status", failure == null ? SUCCEEDED : FAILED)
            .set("detector_id", run.detectorId())
            .set("embedder_id", run.embedderId())
            .set("gallery_version", run.galleryVersion())
            .set("counts", new LinkedHashMap<>(run.counts()))
            .set("message", failure == null ? null : String.valueOf(failure.getMessage()))
            .build();
    warehouse.append(
        Tables.JOB_RUNS,
        warehouse.spark().createDataFrame(List.of(row), Tables.JOB_RUNS.schema()),
        run.runId());
  }
}
