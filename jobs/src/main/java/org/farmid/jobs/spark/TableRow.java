package org.farmid.jobs.spark;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.farmid.common.geom.Box;

/**
 * Builds one row of a {@link Tables} table by column name, so the order of the columns lives in the
 * table's definition only. Each value is checked against its column's type when it is set, and
 * {@link #build} refuses a row with a column never set or a null in a non-null column: a renamed,
 * reordered or added column fails where the row is built, not as a shifted value in the table.
 */
public final class TableRow {
  private final Tables table;
  private final StructType schema;
  private final Object[] values;
  private final boolean[] set;

  TableRow(Tables table) {
    this.table = table;
    this.schema = table.schema();
    this.values = new Object[schema.size()];
    this.set = new boolean[schema.size()];
  }

  /** Sets {@code column} to {@code value} (null allowed; checked at {@link #build}). */
  public TableRow set(String column, Object value) {
    int i = index(column);
    StructField f = schema.fields()[i];
    if (value != null && !accepts(f.dataType(), value)) {
      throw new IllegalArgumentException(
          "column "
              + column
              + " of table "
              + table.tableName()
              + " is "
              + f.dataType().simpleString()
              + ", not "
              + value.getClass().getName());
    }
    values[i] = value;
    set[i] = true;
    return this;
  }

  /** Copies {@code columns} from {@code source}, a row that has columns of the same names. */
  public TableRow copy(Row source, String... columns) {
    for (String c : columns) {
      set(c, source.get(source.fieldIndex(c)));
    }
    return this;
  }

  /** Sets the four columns of {@link Tables.Columns#BOX}. */
  public TableRow box(Box b) {
    return set("box_left", b.left())
        .set("box_top", b.top())
        .set("box_width", b.width())
        .set("box_height", b.height());
  }

  /** The row, its values in the table's column order. */
  public Row build() {
    for (int i = 0; i < values.length; i++) {
      StructField f = schema.fields()[i];
      if (!set[i]) {
        throw new IllegalStateException(
            "column " + f.name() + " of table " + table.tableName() + " was not set");
      }
      if (values[i] == null && !f.nullable()) {
        throw new IllegalStateException(
            "column " + f.name() + " of table " + table.tableName() + " may not be null");
      }
    }
    return RowFactory.create(values.clone());
  }

  private int index(String column) {
    // the schema's own name index, built once per table: rows are built per detection on executors
    scala.Option<Object> i = schema.getFieldIndex(column);
    if (i.isEmpty()) {
      throw new IllegalArgumentException(
          "table "
              + table.tableName()
              + " has no column "
              + column
              + " ("
              + schema.simpleString()
              + ")");
    }
    return (Integer) i.get();
  }

  private static boolean accepts(DataType type, Object v) {
    if (type.equals(DataTypes.StringType)) {
      return v instanceof String;
    } else if (type.equals(DataTypes.IntegerType)) {
      return v instanceof Integer;
    } else if (type.equals(DataTypes.LongType)) {
      return v instanceof Long;
    } else if (type.equals(DataTypes.DoubleType)) {
      return v instanceof Double;
    } else if (type.equals(DataTypes.FloatType)) {
      return v instanceof Float;
    } else if (type.equals(DataTypes.BooleanType)) {
      return v instanceof Boolean;
    } else if (type.equals(DataTypes.DateType)) {
      return v instanceof Date || v instanceof LocalDate;
    } else if (type.equals(DataTypes.TimestampType)) {
      return v instanceof Timestamp || v instanceof Instant;
    } else if (type instanceof ArrayType) {
      return v.getClass().isArray()
          || v instanceof java.util.List
          || v instanceof scala.collection.Seq;
    } else if (type instanceof MapType) {
      return v instanceof Map || v instanceof scala.collection.Map;
    }
    return true;
  }
}
