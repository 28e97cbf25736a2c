package org.farmid.jobs.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.farmid.common.config.PipelineSettings;
import org.farmid.jobs.spark.JobRuns;
import org.farmid.jobs.spark.RunContext;
import org.farmid.jobs.spark.SparkSessions;
import org.farmid.jobs.spark.Storage;
import org.farmid.jobs.spark.Warehouse;
import picocli.CommandLine;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * What every Spark command shares: {@code --warehouse}, settings, the session, the run id, the
 * {@code job_runs} row (written on success and on failure), the printed summary and {@code --json}.
 */
public abstract class PipelineCommand implements Callable<Integer> {
  @CommandLine.Spec protected CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--warehouse",
      required = true,
      paramLabel = "DIR|URI",
      description =
          "Root folder of the Delta tables (created if missing): a path, or a Hadoop URI such as"
              + " hdfs://namenode:8020/farm/warehouse or s3a://bucket/warehouse.")
  protected String warehouse;

  @Mixin protected ConfigOptions config;

  /** The command's own flags as settings overrides. */
  protected List<String> overrides() {
    return new ArrayList<>();
  }

  /**
   * Whether the command only works on a warehouse that exists (it reads tables and writes none of
   * its own); a missing one is refused before anything, the folder included, is made.
   */
  protected boolean readsExistingWarehouse() {
    return false;
  }

  /** Whether the command leaves a row in {@code job_runs} (queries do not). */
  protected boolean recordsRun() {
    return true;
  }

  /**
   * Whether the figures are printed as a block when done (not for commands whose output is data).
   */
  protected boolean printsSummary() {
    return true;
  }

  /** Checks flags before Spark starts; throw {@link UsageException} to refuse. */
  protected void validate(PipelineSettings settings) throws Exception {}

  /** Does the work; returns the figures to print and write as JSON. */
  protected abstract Map<String, Object> execute(Warehouse wh, PipelineSettings s, RunContext run)
      throws Exception;

  /**
   * Called before Spark starts: the figures of a command that finds, without Spark, that it has
   * nothing to do (no session is started and no {@code job_runs} row written), or null to go on.
   */
  protected Map<String, Object> withoutSpark(Config conf, PipelineSettings s, RunContext run)
      throws Exception {
    return null;
  }

  /** Called once the work and its {@code job_runs} row are committed. */
  protected void committed(Warehouse wh, Config conf, RunContext run) throws Exception {}

  @Override
  public final Integer call() throws Exception {
    Config conf = config.load(overrides());
    PipelineSettings settings = PipelineSettings.from(conf);
    boolean remote = !Storage.isLocal(Storage.location(warehouse));
    String root = null;
    if (!remote) {
      root = checkWarehouse(new org.apache.hadoop.conf.Configuration());
    }
    validate(settings);
    PrintWriter err = spec.commandLine().getErr();
    String name = spec.name();
    RunContext run =
        new RunContext(
            name,
            String.join(" ", spec.commandLine().getParseResult().originalArgs()),
            conf.root().render(ConfigRenderOptions.concise()),
            line -> {
              err.println(line);
              err.flush();
            });
    Map<String, Object> skipped = withoutSpark(conf, settings, run);
    if (skipped != null) {
      return finish(name, null, remote ? Storage.location(warehouse) : root, skipped);
    }
    SparkSession spark = SparkSessions.getOrCreate("farmid " + name);
    if (remote) {
      // a filesystem URI is checked with the session's Hadoop settings (spark.hadoop.*)
      root = checkWarehouse(spark.sparkContext().hadoopConfiguration());
    }
    Warehouse wh = new Warehouse(spark, root);
    for (String moved : wh.migrateLayout()) {
      run.progress(name + ": warehouse of an earlier layout, table moved: " + moved);
    }
    if (recordsRun()) {
      run.progress(name + ": run " + run.runId() + ", warehouse " + root);
    }
    Map<String, Object> figures;
    try {
      figures = execute(wh, settings, run);
    } catch (Exception | Error e) {
      if (recordsRun()) {
        try {
          JobRuns.record(wh, run, e);
        } catch (RuntimeException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw e;
    }
    if (recordsRun()) {
      JobRuns.record(wh, run, null);
      committed(wh, conf, run);
    }
    return finish(name, recordsRun() ? run.runId() : null, root, figures);
  }

  private int finish(String name, String runId, String root, Map<String, Object> figures)
      throws java.io.IOException {
    Map<String, Object> all = new LinkedHashMap<>();
    if (runId != null) {
      all.put("run_id", runId);
    }
    all.put("warehouse", root);
    all.putAll(figures);
    all.put("seconds", Math.round((System.nanoTime() - started) / 1e7) / 100.0);
    if (printsSummary()) {
      Report.print(spec.commandLine().getOut(), name + " finished", flat(all));
    }
    if (config.json != null) {
      JsonReport.write(config.json, all);
    }
    return FarmId.EXIT_OK;
  }

  private final long started = System.nanoTime();

  /** The warehouse's stored location, refused (exit 2) when it cannot hold tables. */
  private String checkWarehouse(org.apache.hadoop.conf.Configuration conf) {
    try {
      if (readsExistingWarehouse() && !Warehouse.rootExists(warehouse, conf)) {
        throw new UsageException(
            "--warehouse "
                + warehouse
                + " does not exist: give the folder a pipeline run wrote its tables to");
      }
      return Warehouse.checkRoot(warehouse, conf);
    } catch (java.io.IOException e) {
      String why = Storage.explain("--warehouse", Storage.location(warehouse), e);
      throw new UsageException(why != null ? why : e.getMessage());
    }
  }

  /** Nested values (lists, maps) are left to the JSON; the printed block shows their size. */
  private static Map<String, Object> flat(Map<String, Object> figures) {
    Map<String, Object> out = new LinkedHashMap<>();
    figures.forEach(
        (k, v) -> {
          if (v instanceof List<?> l) {
            out.put(k, l.size() + " rows (see --json)");
          } else if (!(v instanceof Map<?, ?>)) {
            out.put(k, v);
          }
        });
    return out;
  }
}
