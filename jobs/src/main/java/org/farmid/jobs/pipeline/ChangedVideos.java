package org.farmid.jobs.pipeline;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;

import java.sql.Date;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.farmid.jobs.spark.Sql;

/**
 * The videos whose derived rows are out of date: where a row of the input table (detections for
 * {@code classify}, identities for {@code track}) has no derived row made from it by the same run,
 * or a derived row's input is gone. Each derived row stores the run id of the input row it was made
 * from, so the comparison is a join on the key, computed by Spark; the driver holds only the
 * changed videos, which grow with the new work, not with the archive.
 */
public final class ChangedVideos {
  /** A video and its recording day (null when undated): the keys of a derived table's rows. */
  public record Key(Date date, String videoId) {}

  private final List<Key> keys;
  private final boolean all;
  private final long size;

  private ChangedVideos(List<Key> keys, boolean all, long size) {
    this.keys = List.copyOf(keys);
    this.all = all;
    this.size = size;
  }

  /**
   * What a stage must redo: every video of {@code inputs} when {@code everything} is asked for or
   * nothing was derived yet, else the videos {@link #between} finds.
   */
  public static ChangedVideos toRedo(
      boolean everything,
      Dataset<Row> inputs,
      String inputRun,
      Dataset<Row> outputs,
      String outputSourceRun) {
    if (everything || outputs.isEmpty()) {
      return new ChangedVideos(List.of(), true, inputs.select("video_id").distinct().count());
    }
    return between(inputs, inputRun, outputs, outputSourceRun);
  }

  private static Dataset<Row> keyed(Dataset<Row> rows, String prefix, String run) {
    return rows.select(
        col("detection_id").as(prefix + "id"),
        col("video_id").as(prefix + "video"),
        col("date").as(prefix + "date"),
        col(run).as(prefix + "run"));
  }

  /**
   * @param inputs rows with {@code detection_id, video_id, date} and the run that wrote them in
   *     {@code inputRun}
   * @param outputs rows with {@code detection_id, video_id, date} and their input's run in {@code
   *     outputSourceRun}
   */
  public static ChangedVideos between(
      Dataset<Row> inputs, String inputRun, Dataset<Row> outputs, String outputSourceRun) {
    Dataset<Row> in = keyed(inputs, "i_", inputRun);
    Dataset<Row> out = keyed(outputs, "o_", outputSourceRun);
    List<Row> rows =
        in.join(out, in.col("i_id").equalTo(out.col("o_id")), "full_outer")
            .where(
                col("i_id")
                    .isNull()
                    .or(col("o_id").isNull())
                    .or(functions.not(col("i_run").eqNullSafe(col("o_run")))))
            .select(
                coalesce(col("i_date"), col("o_date")).as("date"),
                coalesce(col("i_video"), col("o_video")).as("video_id"))
            .distinct()
            .orderBy("date", "video_id")
            .collectAsList();
    List<Key> keys = new ArrayList<>();
    for (Row r : rows) {
      keys.add(new Key(r.getDate(0), r.getString(1)));
    }
    return new ChangedVideos(keys, false, keys.size());
  }

  /** The changed videos (empty when every video is to be redone). */
  public List<Key> keys() {
    return keys;
  }

  public boolean isEmpty() {
    return size == 0;
  }

  /** Videos to redo. */
  public long size() {
    return size;
  }

  /**
   * The predicate on {@code date} (the partition column) and {@code video_id} that covers exactly
   * these videos' rows: one {@code date = d AND video_id IN (...)} per day.
   */
  public String predicate() {
    if (all) {
      return "true";
    }
    if (keys.isEmpty()) {
      return "false";
    }
    Map<String, List<String>> byDay = new TreeMap<>();
    for (Key k : keys) {
      byDay
          .computeIfAbsent(k.date() == null ? "" : k.date().toString(), d -> new ArrayList<>())
          .add(k.videoId());
    }
    List<String> parts = new ArrayList<>();
    byDay.forEach(
        (day, videos) ->
            parts.add(
                "("
                    + (day.isEmpty() ? "date IS NULL" : "date = DATE " + Sql.literal(day))
                    + " AND "
                    + Sql.in("video_id", videos)
                    + ")"));
    return "(" + String.join(" OR ", parts) + ")";
  }

  /** The rows of {@code rows} that belong to these videos. */
  public Dataset<Row> restrict(Dataset<Row> rows) {
    return all ? rows : rows.where(predicate());
  }
}
