package org.farmid.jobs.spark;

import io.delta.tables.DeltaTable;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.ConcurrentModificationException;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.DataFrameWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;

/**
 * The Delta tables below one root folder: {@code <root>/<table>}. Tables are created with their
 * explicit schema on first use; every write carries the run id as Delta user metadata (shown by
 * {@code DESCRIBE HISTORY}) and replaces exactly the rows it recomputes, so re-runs never
 * duplicate.
 */
public final class Warehouse {
  /** Commits tried when other runs keep committing to the same table at the same moment. */
  static final int COMMIT_ATTEMPTS = 4;

  private static final AtomicLong RETRIED = new AtomicLong();

  /** The table property that turns Delta's change data feed on. */
  static final String CHANGE_FEED = "delta.enableChangeDataFeed";

  private final SparkSession spark;
  private final String root;
  private final Set<Tables> checked = EnumSet.noneOf(Tables.class);

  public Warehouse(SparkSession spark, Path root) {
    this(spark, root.toAbsolutePath().normalize().toString());
  }

  /**
   * @param root a local folder or a Hadoop filesystem URI ({@code hdfs://nn:8020/farm/w}); see
   *     {@link Storage}
   */
  public Warehouse(SparkSession spark, String root) {
    this.spark = spark;
    this.root = Storage.location(root);
  }

  /** Checks the root can hold tables (a folder, or a path that can become one). */
  public static Path checkRoot(Path root) throws IOException {
    return Path.of(checkRoot(root.toString(), new Configuration()));
  }

  /**
   * Checks the root can hold tables: a folder, or a path that can become one, on a filesystem that
   * answers and lets this user write; returns its stored location. Each problem is one message
   * naming {@code --warehouse} and the location.
   */
  public static String checkRoot(String given, Configuration conf) throws IOException {
    String location = Storage.location(given);
    if (Storage.isLocal(location)) {
      Path abs = Path.of(location);
      if (Files.exists(abs) && !Files.isDirectory(abs)) {
        throw new IOException("--warehouse " + given + " is a file, not a folder");
      }
      try {
        Files.createDirectories(abs);
        if (!Files.isWritable(abs)) {
          throw new AccessDeniedException(location);
        }
      } catch (IOException e) {
        String why = Storage.explain("--warehouse", location, e);
        throw why == null ? e : new IOException(why, e);
      }
      return location;
    }
    Configuration quick = new Configuration(conf);
    // an unreachable NameNode fails in seconds, not after the client's default retries
    quick.setInt("ipc.client.connect.max.retries", 1);
    quick.setInt("ipc.client.connect.max.retries.on.timeouts", 1);
    quick.setInt("ipc.client.connect.timeout", 5000);
    FileSystem fs = Storage.fileSystem("--warehouse", location, quick);
    org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(location);
    try {
      if (fs.exists(p) && !fs.getFileStatus(p).isDirectory()) {
        throw new IOException("--warehouse " + given + " is a file, not a folder");
      }
      fs.mkdirs(p);
      org.apache.hadoop.fs.Path probe = new org.apache.hadoop.fs.Path(p, ".farmid-write-check");
      fs.create(probe, true).close();
      fs.delete(probe, false);
    } catch (IOException e) {
      String why = Storage.explain("--warehouse", location, e);
      throw why == null ? e : new IOException(why, e);
    }
    return location;
  }

  /**
   * Moves the identity tables of a warehouse written before the final identity had its own table:
   * the crops' own identities, then in {@code identities}, go to {@code crop_identities}, and the
   * track-voted identities, then in {@code track_points}, to {@code identities}. A Delta table
   * keeps its files' paths relative to its folder, so a renamed folder is the same table with its
   * whole history. Does nothing on a warehouse of today's layout; returns what it moved.
   */
  public List<String> migrateLayout() throws IOException {
    String cropName = Tables.CROP_IDENTITIES.tableName();
    String finalName = Tables.IDENTITIES.tableName();
    String crops = location(Tables.CROP_IDENTITIES);
    String identities = location(Tables.IDENTITIES);
    String trackPoints = Storage.resolve(root, LEGACY_TRACK_POINTS);
    List<String> moved = new ArrayList<>();
    if (DeltaTable.isDeltaTable(spark, crops)
        || !DeltaTable.isDeltaTable(spark, identities)
        || Arrays.asList(spark.read().format("delta").load(identities).columns())
            .contains("track_id")) {
      return moved;
    }
    FileSystem fs =
        Storage.fileSystem("--warehouse", root, spark.sparkContext().hadoopConfiguration());
    rename(fs, identities, crops);
    moved.add(finalName + " -> " + cropName + " (the crops' own identities)");
    if (DeltaTable.isDeltaTable(spark, trackPoints)) {
      rename(fs, trackPoints, identities);
      moved.add(LEGACY_TRACK_POINTS + " -> " + finalName + " (the identities voted along tracks)");
    }
    org.apache.spark.sql.delta.DeltaLog.clearCache();
    return moved;
  }

  /** The table that held the track-voted identities before {@link #migrateLayout}. */
  static final String LEGACY_TRACK_POINTS = "track_points";

  private static void rename(FileSystem fs, String from, String to) throws IOException {
    if (!fs.rename(new org.apache.hadoop.fs.Path(from), new org.apache.hadoop.fs.Path(to))) {
      throw new IOException("could not move table folder " + from + " to " + to);
    }
  }

  /** Whether a warehouse root exists (a missing one is refused by the commands that only read). */
  public static boolean rootExists(String given, Configuration conf) throws IOException {
    String location = Storage.location(given);
    if (Storage.isLocal(location)) {
      return Files.exists(Path.of(location));
    }
    return Storage.fileSystem("--warehouse", location, conf)
        .exists(new org.apache.hadoop.fs.Path(location));
  }

  /** The root: an absolute local path or a filesystem URI. */
  public String root() {
    return root;
  }

  public SparkSession spark() {
    return spark;
  }

  public String location(Tables table) {
    return Storage.resolve(root, table.tableName());
  }

  public boolean exists(Tables table) {
    return DeltaTable.isDeltaTable(spark, location(table));
  }

  /**
   * Creates the table with its schema, partitioning and column comments if it is missing. A table
   * written by an older version that lacks some nullable columns gets them added (one {@code ALTER
   * TABLE}); a column whose type changed is an error naming the table and column.
   */
  public void ensure(Tables table) {
    if (exists(table)) {
      upgrade(table);
      return;
    }
    var builder = DeltaTable.createIfNotExists(spark).location(location(table));
    for (StructField f : table.schema().fields()) {
      builder = builder.addColumn(f);
    }
    if (!table.partitionColumns().isEmpty()) {
      builder = builder.partitionedBy(table.partitionColumns().toArray(String[]::new));
    }
    if (table.changeDataFeed()) {
      builder = builder.property(CHANGE_FEED, "true");
    }
    builder.execute();
  }

  private void upgrade(Tables table) {
    if (!checked.add(table)) {
      return;
    }
    org.apache.spark.sql.types.StructType have =
        spark.read().format("delta").load(location(table)).schema();
    List<String> add = new ArrayList<>();
    for (StructField f : table.schema().fields()) {
      var existing =
          Arrays.stream(have.fields()).filter(h -> h.name().equals(f.name())).findFirst();
      if (existing.isEmpty()) {
        if (!f.nullable()) {
          throw new IllegalStateException(
              "table "
                  + location(table)
                  + " lacks the required column "
                  + f.name()
                  + "; it was written by an incompatible version: move it aside and re-run");
        }
        add.add(
            "`"
                + f.name()
                + "` "
                + f.dataType().sql()
                + " COMMENT "
                + Sql.literal(f.getComment().getOrElse(() -> "")));
      } else if (!existing.get().dataType().sameType(f.dataType())) {
        throw new IllegalStateException(
            "table "
                + location(table)
                + " column "
                + f.name()
                + " is "
                + existing.get().dataType().simpleString()
                + ", expected "
                + f.dataType().simpleString());
      }
    }
    if (!add.isEmpty()) {
      spark.sql("ALTER TABLE " + sqlName(table) + " ADD COLUMNS (" + String.join(", ", add) + ")");
    }
    if (table.changeDataFeed()
        && !"true"
            .equals(
                DeltaTable.forPath(spark, location(table))
                    .detail()
                    .select("properties")
                    .first()
                    .<String, String>getJavaMap(0)
                    .get(CHANGE_FEED))) {
      spark.sql(
          "ALTER TABLE " + sqlName(table) + " SET TBLPROPERTIES (" + CHANGE_FEED + " = true)");
    }
  }

  /**
   * Names every existing table in the session catalog (as an external table over its folder), so
   * SQL can say {@code identities}, {@code identities VERSION AS OF 3} or {@code DESCRIBE HISTORY
   * identities}. Dropping such a name never touches the data.
   */
  public void registerTables() {
    for (Tables t : Tables.values()) {
      if (exists(t)) {
        spark.sql("DROP TABLE IF EXISTS " + t.tableName());
        spark.sql(
            "CREATE TABLE " + t.tableName() + " USING delta LOCATION " + Sql.literal(location(t)));
      }
    }
  }

  /** The table's current rows; the table is created empty when missing. */
  public Dataset<Row> read(Tables table) {
    ensure(table);
    return spark.read().format("delta").load(location(table));
  }

  /** The table's current rows, or no rows when it does not exist yet (nothing is created). */
  public Dataset<Row> readOrEmpty(Tables table) {
    if (!exists(table)) {
      return spark.createDataFrame(List.of(), table.schema());
    }
    return read(table);
  }

  /** The table as it was at a Delta version (time travel). */
  public Dataset<Row> readVersion(Tables table, long version) {
    return spark.read().format("delta").option("versionAsOf", version).load(location(table));
  }

  /**
   * Brings {@code table} back to an earlier Delta version (a new commit; the later versions stay in
   * the history). Returns the rows the table holds afterwards.
   *
   * @throws IllegalArgumentException when the table does not exist or has no such version
   */
  public long restore(Tables table, long version) {
    if (!exists(table)) {
      throw new IllegalArgumentException(
          "table " + table.tableName() + " does not exist in " + root);
    }
    DeltaTable delta = DeltaTable.forPath(spark, location(table));
    long latest = delta.history(1).select("version").first().getLong(0);
    if (version < 0 || version >= latest) {
      throw new IllegalArgumentException(
          "table "
              + table.tableName()
              + " in "
              + root
              + " has versions 0 to "
              + latest
              + "; restore to one before the latest, got "
              + version);
    }
    delta.restoreToVersion(version);
    return read(table).count();
  }

  /** The table as the SQL of {@code delta.`path`}, for statements that need a name. */
  public String sqlName(Tables table) {
    return "delta.`" + location(table).replace("`", "``") + "`";
  }

  /** Commits this JVM tried again after Delta refused them for a concurrent commit. */
  public static long retriedCommits() {
    return RETRIED.get();
  }

  /**
   * Atomically replaces the rows matching {@code replaceWhere} (a SQL predicate built with {@link
   * Sql}) by {@code rows}, in one Delta commit tagged with the run id. Every written row must match
   * the predicate. When another run commits to the table between this write's read and its commit
   * (two {@code classify} runs at once, say), Delta refuses the commit and nothing of it lands; the
   * write is then tried again, which is safe because it replaces exactly the predicate's rows.
   */
  public void replace(Tables table, Dataset<Row> rows, String replaceWhere, String runId) {
    committing(
        table,
        () ->
            writer(table, rows, "overwrite", runId)
                .option("replaceWhere", replaceWhere)
                .save(location(table)));
  }

  /** Appends rows in one commit tagged with the run id (tried again on a refused commit). */
  public void append(Tables table, Dataset<Row> rows, String runId) {
    committing(table, () -> writer(table, rows, "append", runId).save(location(table)));
  }

  private static DataFrameWriter<Row> writer(
      Tables table, Dataset<Row> rows, String mode, String runId) {
    return conform(table, rows)
        .write()
        .format("delta")
        .mode(mode)
        .option("userMetadata", "run_id=" + runId);
  }

  /**
   * Creates the table if needed and runs one commit, again while Delta refuses it for a concurrent
   * commit (a {@link ConcurrentModificationException}), up to {@link #COMMIT_ATTEMPTS} times; then
   * fails with a message naming the table.
   */
  private void committing(Tables table, Runnable commit) {
    for (int attempt = 1; ; attempt++) {
      try {
        ensure(table);
        commit.run();
        return;
      } catch (RuntimeException e) {
        ConcurrentModificationException conflict = conflict(e);
        if (conflict == null) {
          throw e;
        }
        if (attempt >= COMMIT_ATTEMPTS) {
          throw new IllegalStateException(
              "table "
                  + location(table)
                  + " was changed by another run at the same moment "
                  + attempt
                  + " times in a row ("
                  + conflict.getClass().getSimpleName()
                  + "); nothing of this write was committed: run the command again",
              e);
        }
        RETRIED.incrementAndGet();
        try {
          Thread.sleep(100L * attempt + ThreadLocalRandom.current().nextInt(100));
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  private static ConcurrentModificationException conflict(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof ConcurrentModificationException c) {
        return c;
      }
    }
    return null;
  }

  /** Selects the table's columns in order, cast to its types: a write never changes a schema. */
  private static Dataset<Row> conform(Tables table, Dataset<Row> rows) {
    List<String> have = List.of(rows.columns());
    StructField[] fields = table.schema().fields();
    Column[] cols = new Column[fields.length];
    for (int i = 0; i < fields.length; i++) {
      String name = fields[i].name();
      if (!have.contains(name)) {
        throw new IllegalArgumentException(
            "rows for table " + table.tableName() + " lack column " + name + "; have " + have);
      }
      cols[i] = rows.col(name).cast(fields[i].dataType()).as(name);
    }
    return rows.select(cols);
  }
}
