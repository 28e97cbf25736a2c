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

  private ChangedVideos(List<Key> keys) {
    this.keys = List.copyOf(keys);
  }

  /**
   * @param inputs rows with {@code detection_id, video_id, date} and the run that wrote them in
   *     {@code inputRun}
   * @param outputs rows with {@code detection_id, video_id, date} and their input's run in {@code
   *     outputSourceRun}
   */
  public static ChangedVideos between(
      Dataset<Row> inputs, String inputRun, Dataset<Row> outputs, String outputSourceRun) {
    Dataset<Row> in =
        inputs.select(
            col("detection_id").as("i_id"),
            col("video_id").as("i_video"),
            col("date").as("i_date"),
            col(inputRun).as("i_run"));
    Dataset<Row> out =
        outputs.select(
            col("detection_id").as("o_id"),
            col("video_id").as("o_video"),
            col("date").as("o_date"),
            col(outputSourceRun).as("o_run"));
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
    return new ChangedVideos(keys);
  }

  public List<Key> keys() {
    return keys;
  }

  public boolean isEmpty() {
    return keys.isEmpty();
  }

  public int size() {
    return keys.size();
  }

  /**
   * The predicate on {@code date} (the partition column) and {@code video_id} that covers exactly
   * these videos' rows: one {@code date = d AND video_id IN (...)} per day.
   */
  public String predicate() {
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
    return rows.where(predicate());
  }
}
