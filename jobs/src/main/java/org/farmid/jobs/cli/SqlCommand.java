package org.farmid.jobs.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.farmid.common.config.PipelineSettings;
import org.farmid.common.sql.SqlNotebook;
import org.farmid.jobs.spark.RunContext;
import org.farmid.jobs.spark.Warehouse;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code farmid sql}: the analysts' door to the tables. */
@Command(
    name = "sql",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Runs one SQL query, or every cell of a notebook in Databricks SQL source format (-f), over",
      "the warehouse. Every table (videos, segments, detections, frames, enrolment, gallery,",
      "identities, tracks, track_points, metrics, confusion, matches, rejected_inputs, job_runs)",
      "is known by its name, with Delta's VERSION AS OF and DESCRIBE HISTORY."
    })
final class SqlCommand extends PipelineCommand {
  static final class Source {
    @Parameters(index = "0", paramLabel = "QUERY", description = "The query.")
    String query;

    @Option(
        names = {"-f", "--file"},
        paramLabel = "FILE",
        description = "A notebook (notebooks-export/*.sql) or a file with one statement.")
    Path file;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Source source;

  @Option(
      names = "--limit",
      paramLabel = "N",
      description = "Rows to print per query (default 50).")
  int limit = 50;

  @Override
  boolean recordsRun() {
    return false;
  }

  @Override
  Map<String, Object> execute(Warehouse wh, PipelineSettings s, RunContext run) throws Exception {
    List<SqlNotebook.Cell> cells;
    if (source.file != null) {
      if (!Files.isRegularFile(source.file)) {
        throw new UsageException("-f " + source.file + " is not a file");
      }
      String text = Files.readString(source.file);
      cells =
          text.strip().startsWith(SqlNotebook.HEADER)
              ? SqlNotebook.parse(text)
              : List.of(new SqlNotebook.Cell(1, text.strip().replaceAll(";\\s*$", "")));
    } else {
      cells = List.of(new SqlNotebook.Cell(1, source.query));
    }
    wh.registerTables();
    PrintWriter out = spec.commandLine().getOut();
    long rows = 0;
    for (SqlNotebook.Cell c : cells) {
      if (cells.size() > 1) {
        out.println("-- cell " + c.number());
      }
      Dataset<Row> result;
      try {
        result = wh.spark().sql(c.sql());
      } catch (Exception e) {
        // Spark's analysis and parse errors are the user's SQL: a usage error with its message.
        if (!(e instanceof AnalysisException)) {
          throw e;
        }
        throw new UsageException(
            (cells.size() > 1 ? "cell " + c.number() + ": " : "") + e.getMessage());
      }
      rows += result.count();
      out.print(result.showString(limit, 0, false));
      out.flush();
    }
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("statements", cells.size());
    f.put("rows", rows);
    return f;
  }
}
