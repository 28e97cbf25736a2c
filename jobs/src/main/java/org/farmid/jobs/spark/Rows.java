package org.farmid.jobs.spark;

import java.util.List;
import org.apache.spark.sql.Row;
import org.farmid.common.geom.Box;

/** Reading the project's array, box and lighting columns out of Spark rows. */
public final class Rows {
  private Rows() {}

  /** An {@code array<float>} column (an embedding or a mean) as a Java array. */
  public static float[] floats(Row row, String column) {
    List<Float> list = row.getList(row.fieldIndex(column));
    float[] v = new float[list.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = list.get(i);
    }
    return v;
  }

  /** The detection box of a row with the {@link Tables.Columns#BOX} columns. */
  public static Box box(Row r) {
    return new Box(
        r.<Double>getAs("box_left"),
        r.<Double>getAs("box_top"),
        r.<Double>getAs("box_width"),
        r.<Double>getAs("box_height"));
  }

  /**
   * Whether a row's {@code infrared} column says its frame was infrared; null (a row written before
   * lighting was recorded) reads as colour.
   */
  public static boolean infrared(Row r) {
    return Boolean.TRUE.equals(r.getAs("infrared"));
  }
}
