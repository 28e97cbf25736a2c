package org.farmid.jobs.spark;

import java.util.List;
import org.apache.spark.sql.Row;

/** Reading the project's array columns out of Spark rows. */
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
}
