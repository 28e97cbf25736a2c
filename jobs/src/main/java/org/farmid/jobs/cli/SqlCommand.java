package org.farmid.jobs.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.farmid.common.config.PipelineSettings;
import org.farmid.jobs.spark.RunContext;
import org.farmid.jobs.spark.Tables;
import org.farmid.jobs.spark.Warehouse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code farmid sql}: the analysts' door to the tables. */
@Command(
    name = "sql",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Runs one SQL query over the warehouse; every table (videos, segments, detections, frames,",
      "enrolment, gallery, identities, tracks, track_points, metrics, confusion, matches,",
      "rejected_inputs, job_runs) is a view of that name, and delta.`<warehouse>/<table>` works",
      "too (VERSION AS OF, DESCRIBE HISTORY)."
    })
final class SqlCommand extends PipelineCommand {
  @Parameters(index = "0", paramLabel = "QUERY", description = "The query.")
  String query;

  @Option(names = "--limit", paramLabel = "N", description = "Rows to print (default 50).")
  int limit = 50;

  @Override
  boolean recordsRun() {
    return false;
  }

  @Override
  Map<String, Object> execute(Warehouse wh, PipelineSettings s, RunContext run) {
    for (Tables t : Tables.values()) {
      if (wh.exists(t)) {
        wh.read(t).createOrReplaceTempView(t.tableName());
      }
    }
    Dataset<Row> result = wh.spark().sql(query);
    String shown = result.showString(limit, 0, false);
    spec.commandLine().getOut().print(shown);
    spec.commandLine().getOut().flush();
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("columns", String.join(",", result.columns()));
    return f;
  }
}
