package org.farmid.jobs.cli.tools;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.to_csv;
import static org.apache.spark.sql.functions.to_json;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.parser.ParseException;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.farmid.common.config.PipelineSettings;
import org.farmid.common.sql.SqlNotebook;
import org.farmid.jobs.cli.PipelineCommand;
import org.farmid.jobs.cli.UsageException;
import org.farmid.jobs.spark.ReadOnlySql;
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
      "Runs one SQL query, every cell of a notebook in Databricks SQL source format (-f), or,",
      "given neither, statements typed at a prompt (end each with ';', quit with 'exit' or",
      "Ctrl-D). Every table (videos, segments, detections, frames, enrolment, gallery,",
      "crop_identities, tracks, identities, metrics, confusion, matches, rejected_inputs,",
      "job_runs) is known by its name, with Delta's VERSION AS OF and DESCRIBE HISTORY. Each",
      "detection's final identity is in identities (animal_id, voted along its track).",
      "Exit codes: 0 success (also an empty result), 2 SQL syntax error, 1 a query that cannot",
      "run (unknown table or column, failure while running)."
    })
public final class SqlCommand extends PipelineCommand {
  enum Format {
    table,
    csv,
    json
  }

  static final class Source {
    @Parameters(index = "0", paramLabel = "QUERY", description = "The query.")
    String query;

    @Option(
        names = {"-f", "--file"},
        paramLabel = "FILE",
        description = "A notebook (notebooks-export/*.sql) or a file with one statement.")
    Path file;
  }

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  Source source;

  @Option(
      names = "--format",
      paramLabel = "FORMAT",
      description =
          "table (aligned, default), csv (RFC 4180, header row; arrays and maps as JSON) or"
              + " json (one object per row).")
  Format format = Format.table;

  @Option(
      names = "--write",
      description =
          "Allow statements that change data or tables (INSERT, UPDATE, DELETE, MERGE, CREATE,"
              + " DROP, ALTER, TRUNCATE, OPTIMIZE, VACUUM, RESTORE); without it they are refused"
              + " with exit code 2 and nothing changes.")
  boolean write;

  @Option(
      names = "--limit",
      paramLabel = "N",
      description = "Rows to print per query (default: 50 for table, all for csv and json).")
  Integer limit;

  @Override
  protected boolean recordsRun() {
    return false;
  }

  @Override
  protected boolean printsSummary() {
    return false;
  }

  @Override
  protected void validate(PipelineSettings settings) {
    if (limit != null && limit < 0) {
      throw new UsageException("--limit must be 0 or more, got " + limit);
    }
  }

  @Override
  protected boolean readsExistingWarehouse() {
    return true;
  }

  @Override
  protected Map<String, Object> execute(Warehouse wh, PipelineSettings s, RunContext run)
      throws Exception {
    wh.registerTables();
    PrintWriter out = spec.commandLine().getOut();
    Map<String, Object> f = new LinkedHashMap<>();
    if (source == null) {
      f.put("statements", interactive(wh, out));
      return f;
    }
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
    long rows = 0;
    for (SqlNotebook.Cell c : cells) {
      if (cells.size() > 1 && format == Format.table) {
        out.println("-- cell " + c.number());
      }
      rows += runOne(wh, c.sql(), cells.size() > 1 ? "cell " + c.number() + ": " : "", out);
    }
    f.put("statements", cells.size());
    f.put("rows", rows);
    return f;
  }

  /**
   * Runs one statement and prints its result; a syntax error is a usage error (exit 2), a query
   * that does not resolve (unknown table, column, function) a failure (exit 1), both with Spark's
   * message and without a stack trace.
   */
  private long runOne(Warehouse wh, String sql, String where, PrintWriter out) {
    Dataset<Row> result;
    try {
      String refusal = write ? null : ReadOnlySql.refusal(wh.spark(), sql);
      if (refusal != null) {
        throw new UsageException(where + refusal);
      }
      result = wh.spark().sql(sql);
    } catch (ParseException p) {
      throw new UsageException(where + "SQL syntax error: " + p.getMessage().strip());
    } catch (AnalysisException a) {
      throw new QueryException(where + a.getSimpleMessage());
    }
    long rows = print(result, out);
    out.flush();
    return rows;
  }

  private long print(Dataset<Row> result, PrintWriter out) {
    switch (format) {
      case table -> {
        long rows = result.count();
        if (rows == 0) {
          out.println("(0 rows)");
        } else {
          int n = limit == null ? 50 : limit;
          out.print(result.showString(n, 0, false));
          out.println("(" + rows + (rows == 1 ? " row)" : " rows)"));
        }
        return rows;
      }
      case csv -> {
        out.println(csvHeader(result.schema()));
        // RFC 4180: quotes inside a field are doubled, not backslash-escaped.
        return lines(
            limited(result)
                .select(to_csv(struct(flatColumns(result.schema())), Map.of("escape", "\""))),
            out);
      }
      default -> {
        return lines(
            limited(result).select(to_json(struct(col("*")), Map.of("ignoreNullFields", "false"))),
            out);
      }
    }
  }

  private Dataset<Row> limited(Dataset<Row> result) {
    return limit == null ? result : result.limit(limit);
  }

  private static long lines(Dataset<Row> oneColumn, PrintWriter out) {
    long n = 0;
    Iterator<Row> it = oneColumn.toLocalIterator();
    while (it.hasNext()) {
      Row r = it.next();
      out.println(r.isNullAt(0) ? "" : r.getString(0));
      n++;
    }
    return n;
  }

  /** CSV can hold scalars only: arrays, maps and structs go in as their JSON text. */
  private static Column[] flatColumns(StructType schema) {
    List<Column> cols = new ArrayList<>();
    for (StructField f : schema.fields()) {
      Column c = col("`" + f.name().replace("`", "``") + "`");
      boolean nested =
          f.dataType() instanceof ArrayType
              || f.dataType() instanceof MapType
              || f.dataType() instanceof StructType;
      cols.add(nested ? to_json(c).as(f.name()) : c);
    }
    return cols.toArray(Column[]::new);
  }

  static String csvHeader(StructType schema) {
    List<String> names = new ArrayList<>();
    for (String n : schema.fieldNames()) {
      names.add(
          n.contains(",") || n.contains("\"") || n.contains("\n")
              ? "\"" + n.replace("\"", "\"\"") + "\""
              : n);
    }
    return String.join(",", names);
  }

  /**
   * Statements from standard input, each ended by ';'; errors are printed and the prompt goes on.
   */
  private int interactive(Warehouse wh, PrintWriter out) throws java.io.IOException {
    PrintWriter err = spec.commandLine().getErr();
    boolean console = System.console() != null;
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    if (console) {
      err.println("farmid sql on " + wh.root() + ": end statements with ';', 'exit' to quit");
    }
    int statements = 0;
    StringBuilder pending = new StringBuilder();
    while (true) {
      if (console) {
        err.print(pending.length() == 0 ? "farmid> " : "     -> ");
        err.flush();
      }
      String line = in.readLine();
      if (line == null) {
        break;
      }
      String t = line.strip();
      if (pending.length() == 0
          && (t.equalsIgnoreCase("exit") || t.equalsIgnoreCase("quit") || t.equals("\\q"))) {
        break;
      }
      if (pending.length() == 0 && (t.isEmpty() || t.startsWith("--"))) {
        continue;
      }
      pending.append(line).append('\n');
      if (!t.endsWith(";")) {
        continue;
      }
      String sql = pending.toString().strip().replaceAll(";$", "");
      pending.setLength(0);
      statements++;
      try {
        runOne(wh, sql, "", out);
      } catch (UsageException | QueryException e) {
        err.println(e.getMessage());
      } catch (Exception e) {
        err.println("query failed: " + e.getMessage());
      }
      err.flush();
    }
    return statements;
  }

  /** A statement that parsed but cannot run: exit code 1 with Spark's message only. */
  static final class QueryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    QueryException(String message) {
      super(message);
    }
  }
}
