package org.farmid.jobs.testing;

import com.holdenkarau.spark.testing.JavaDataFrameSuiteBase;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeEach;

/**
 * One local SparkSession with Delta ({@code local[2,2]}: two cores, and a failed task is tried once
 * more, as on a cluster; expressions interpreted, not compiled), shared by every Spark test class
 * of a fork (spark-testing-base's JUnit 4 base, driven from JUnit 5 as {@code STACK.md} describes),
 * plus helpers to run SQL and to compare a table with a golden CSV.
 */
public abstract class SparkTestBase extends JavaDataFrameSuiteBase {

  @Override
  public SparkConf conf() {
    return super.conf()
        .setMaster("local[2,2]")
        .set("spark.sql.extensions", "io.delta.sql.DeltaSparkSessionExtension")
        .set("spark.sql.catalog.spark_catalog", "org.apache.spark.sql.delta.catalog.DeltaCatalog")
        .set("spark.sql.session.timeZone", "UTC")
        .set("spark.sql.shuffle.partitions", "2")
        .set("spark.ui.enabled", "false")
        .set("spark.driver.host", "127.0.0.1")
        .set("spark.driver.bindAddress", "127.0.0.1")
        .set("spark.databricks.delta.snapshotPartitions", "2")
        .set("spark.sql.sources.parallelPartitionDiscovery.parallelism", "2")
        // Tests read and write a few rows per query: compiling each query's code (Janino) was
        // most of their CPU. Spark's interpreted path gives the same rows; the jobs keep codegen.
        .set("spark.sql.codegen.wholeStage", "false")
        .set("spark.sql.codegen.factoryMode", "NO_CODEGEN");
  }

  @Override
  public boolean enableHiveSupport() {
    return false;
  }

  @BeforeEach
  void startSpark() {
    runBefore();
  }

  /** Rows of a query, with {@code ?}-free formatting: {@code sql("SELECT %s", x)}. */
  protected List<Row> sql(String query, Object... args) {
    return spark().sql(String.format(query, args)).collectAsList();
  }

  /**
   * The golden CSV (header row, test resource beside {@code owner}) read with the columns and types
   * of {@code actual}, then both compared without regard to row order, nullability or column
   * comments.
   */
  protected void assertMatchesGolden(Class<?> owner, String resource, Dataset<Row> actual) {
    String path = owner.getResource(resource).getPath();
    StructType schema = relaxed(actual.schema());
    Dataset<Row> expected =
        spark().read().option("header", "true").option("nullValue", "").schema(schema).csv(path);
    assertDataFrameNoOrderEquals(
        spark().createDataFrame(expected.toJavaRDD(), schema),
        spark().createDataFrame(actual.toJavaRDD(), schema));
  }

  private static StructType relaxed(StructType s) {
    return new StructType(
        Arrays.stream(s.fields())
            .map(f -> new StructField(f.name(), f.dataType(), true, Metadata.empty()))
            .toArray(StructField[]::new));
  }
}
