package org.farmid.jobs.cli.tools;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.farmid.common.config.PipelineSettings;
import org.farmid.jobs.cli.PipelineCommand;
import org.farmid.jobs.cli.UsageException;
import org.farmid.jobs.spark.RunContext;
import org.farmid.jobs.spark.Tables;
import org.farmid.jobs.spark.Warehouse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code farmid maintain}: keeping a warehouse's tables in order. */
@Command(
    name = "maintain",
    mixinStandardHelpOptions = true,
    description = "Maintenance of the warehouse's Delta tables.",
    subcommands = {MaintainCommand.Restore.class})
public final class MaintainCommand {

  /** {@code farmid maintain restore}: a table back to an earlier Delta version. */
  @Command(
      name = "restore",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description = {
        "Brings one table back to an earlier Delta version, for instance after a mistaken",
        "`sql --write`. The restore is a new commit: the versions after it stay in the table's",
        "history (`sql \"DESCRIBE HISTORY delta.`W/T`\"` lists them)."
      })
  public static final class Restore extends PipelineCommand {
    @Option(names = "--table", required = true, paramLabel = "TABLE", description = "Table name.")
    String table;

    @Option(names = "--version", required = true, paramLabel = "V", description = "Delta version.")
    long version;

    @Override
    protected boolean readsExistingWarehouse() {
      return true;
    }

    @Override
    protected Map<String, Object> execute(Warehouse wh, PipelineSettings s, RunContext run) {
      Tables t =
          Arrays.stream(Tables.values())
              .filter(x -> x.tableName().equals(table.toLowerCase(Locale.ROOT)))
              .findFirst()
              .orElseThrow(
                  () ->
                      new UsageException(
                          "--table "
                              + table
                              + " is not a table of the warehouse (expected one of "
                              + String.join(
                                  ", ",
                                  Arrays.stream(Tables.values()).map(Tables::tableName).toList())
                              + ")"));
      long rows;
      try {
        rows = wh.restore(t, version);
      } catch (IllegalArgumentException e) {
        throw new UsageException("--version: " + e.getMessage());
      }
      run.progress("maintain: " + t.tableName() + " restored to version " + version);
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("table", t.tableName());
      f.put("restored_to", version);
      f.put("rows", rows);
      return f;
    }
  }
}
