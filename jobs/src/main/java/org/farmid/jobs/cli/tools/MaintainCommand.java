package org.farmid.jobs.cli.tools;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Row;
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
    subcommands = {
      MaintainCommand.Restore.class,
      MaintainCommand.Optimize.class,
      MaintainCommand.Vacuum.class
    })
public final class MaintainCommand {

  /** A maintenance command over some tables of an existing warehouse ({@code --table}). */
  abstract static class TablesCommand extends PipelineCommand {
    @Option(
        names = "--table",
        split = ",",
        paramLabel = "T",
        description = "Tables (default: every table of the warehouse).")
    List<String> tables;

    @Override
    protected boolean readsExistingWarehouse() {
      return true;
    }

    /** The tables named by {@code --table} (all that exist when none is given), each existing. */
    List<Tables> tables(Warehouse wh) {
      if (tables == null || tables.isEmpty()) {
        return Arrays.stream(Tables.values()).filter(wh::exists).toList();
      }
      List<Tables> out = new ArrayList<>();
      for (String n : tables) {
        Tables t = table(n);
        if (!wh.exists(t)) {
          throw new UsageException("table " + t.tableName() + " does not exist in " + wh.root());
        }
        out.add(t);
      }
      return out;
    }
  }

  static Tables table(String name) {
    return Arrays.stream(Tables.values())
        .filter(x -> x.tableName().equals(name.toLowerCase(Locale.ROOT)))
        .findFirst()
        .orElseThrow(
            () ->
                new UsageException(
                    "--table "
                        + name
                        + " is not a table of the warehouse (expected one of "
                        + String.join(
                            ", ", Arrays.stream(Tables.values()).map(Tables::tableName).toList())
                        + ")"));
  }

  /** {@code farmid maintain optimize}: compaction, and Z-order of the identity tables. */
  @Command(
      name = "optimize",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description = {
        "Compacts the small files that daily incremental runs leave (Delta OPTIMIZE), table by",
        "table; with --zorder, identities and crop_identities are also clustered on animal_id and",
        "frame_time within each day, for queries that follow one animal over months."
      })
  public static final class Optimize extends TablesCommand {
    @Option(names = "--zorder", description = "Z-order identities and crop_identities.")
    boolean zorder;

    @Override
    protected Map<String, Object> execute(Warehouse wh, PipelineSettings s, RunContext run) {
      Map<String, Object> f = new LinkedHashMap<>();
      for (Tables t : tables(wh)) {
        String by = zorder && t.changeDataFeed() ? " ZORDER BY (animal_id, frame_time)" : "";
        Row r = wh.spark().sql("OPTIMIZE " + wh.sqlName(t) + by).first();
        Row m = r.getStruct(r.fieldIndex("metrics"));
        long removed = m.getLong(m.fieldIndex("numFilesRemoved"));
        long added = m.getLong(m.fieldIndex("numFilesAdded"));
        run.progress(
            "maintain: " + t.tableName() + by + ": " + removed + " files compacted into " + added);
        f.put(t.tableName() + "_files_removed", removed);
        f.put(t.tableName() + "_files_added", added);
      }
      return f;
    }
  }

  /** {@code farmid maintain vacuum}: files no version within the retention needs. */
  @Command(
      name = "vacuum",
      mixinStandardHelpOptions = true,
      sortOptions = false,
      description = {
        "Deletes the data files that no table version within --retain-hours still reads (Delta",
        "VACUUM): time travel reaches back that far and no further. The gallery keeps every",
        "version that identities still name: its retention is stretched back to the oldest",
        "such version's build."
      })
  public static final class Vacuum extends TablesCommand {
    @Option(
        names = "--retain-hours",
        defaultValue = "168",
        description = "Time travel kept, hours (default: ${DEFAULT-VALUE}, Delta's own).")
    double retainHours;

    @Override
    protected void validate(PipelineSettings settings) {
      if (retainHours < 168) {
        throw new UsageException(
            "--retain-hours must be at least 168 (Delta's safety check: a shorter retention can"
                + " delete files a running job still reads), got "
                + retainHours);
      }
    }

    @Override
    protected Map<String, Object> execute(Warehouse wh, PipelineSettings s, RunContext run) {
      Map<String, Object> f = new LinkedHashMap<>();
      for (Tables t : tables(wh)) {
        double hours = t == Tables.GALLERY ? galleryRetention(wh, retainHours) : retainHours;
        long files =
            wh.spark()
                .sql(
                    String.format(
                        Locale.ROOT,
                        "VACUUM %s RETAIN %.0f HOURS",
                        wh.sqlName(t),
                        Math.ceil(hours)))
                .count();
        run.progress(
            String.format(
                Locale.ROOT,
                "maintain: %s vacuumed, time travel kept %.0f hours",
                t.tableName(),
                Math.ceil(hours)));
        f.put(t.tableName() + "_retain_hours", Math.ceil(hours));
        f.put(t.tableName() + "_vacuum_rows", files);
      }
      return f;
    }

    /**
     * The gallery's retention: at least {@code hours}, and back to the build of the oldest gallery
     * version that identities still name.
     */
    static double galleryRetention(Warehouse wh, double hours) {
      if (!wh.exists(Tables.CROP_IDENTITIES)) {
        return hours;
      }
      Row oldest =
          wh.read(Tables.GALLERY)
              .join(
                  wh.read(Tables.CROP_IDENTITIES).select("gallery_version").distinct(),
                  "gallery_version")
              .selectExpr("min(created_at)")
              .first();
      if (oldest.isNullAt(0)) {
        return hours;
      }
      double age = (System.currentTimeMillis() - oldest.getTimestamp(0).getTime()) / 3.6e6;
      return Math.max(hours, age + 1);
    }
  }

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
      Tables t = table(table);
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
