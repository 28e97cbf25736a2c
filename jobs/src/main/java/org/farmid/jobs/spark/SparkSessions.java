package org.farmid.jobs.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * The one way the jobs get a SparkSession: Delta's extension and catalog, UTC session time, and for
 * local runs a master and small shuffle, Delta state-reconstruction and file-listing widths, each
 * only when the user (spark-submit, {@code --conf}, {@code -Dspark.*}) has not set it.
 */
public final class SparkSessions {
  /** Tasks Delta rebuilds a table's state from its log in (Delta's default: 50). */
  public static final String DELTA_SNAPSHOT_PARTITIONS =
      "spark.databricks.delta.snapshotPartitions";

  /** That width for local runs. */
  public static final String LOCAL_SNAPSHOT_PARTITIONS = "4";

  /**
   * Tasks a file listing is spread over, among them {@code maintain vacuum}'s listing of a table
   * (Spark's default: 10,000, sized for clusters).
   */
  public static final String LISTING_PARALLELISM =
      "spark.sql.sources.parallelPartitionDiscovery.parallelism";

  /** That width for local runs. */
  public static final String LOCAL_LISTING_PARALLELISM = "4";

  private SparkSessions() {}

  public static SparkSession getOrCreate(String appName) {
    SparkConf conf = new SparkConf(true);
    setIfMissing(conf, "spark.master", "local[*]");
    setIfMissing(conf, "spark.app.name", appName);
    setIfMissing(conf, "spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension");
    setIfMissing(
        conf, "spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog");
    setIfMissing(conf, "spark.sql.session.timeZone", "UTC");
    setIfMissing(conf, "spark.ui.showConsoleProgress", "false");
    if (conf.get("spark.master").startsWith("local")) {
      setIfMissing(conf, "spark.sql.shuffle.partitions", "4");
      // Delta rebuilds a table's state from its log in 50 tasks by default, sized for clusters;
      // on one machine that is most of the time of every small read and commit
      setIfMissing(conf, DELTA_SNAPSHOT_PARTITIONS, LOCAL_SNAPSHOT_PARTITIONS);
      // 10,000 listing tasks made each vacuum of a small table take over a minute on one machine
      setIfMissing(conf, LISTING_PARALLELISM, LOCAL_LISTING_PARALLELISM);
      setIfMissing(conf, "spark.driver.host", "127.0.0.1");
      setIfMissing(conf, "spark.driver.bindAddress", "127.0.0.1");
    }
    return SparkSession.builder().config(conf).getOrCreate();
  }

  private static void setIfMissing(SparkConf conf, String key, String value) {
    if (!conf.contains(key)) {
      conf.set(key, value);
    }
  }
}
