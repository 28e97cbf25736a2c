package org.farmid.jobs.pipeline.gallery;

import org.apache.spark.sql.Encoder;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Aggregator;
import org.farmid.common.embed.VectorSum;
import org.farmid.jobs.spark.Rows;

/**
 * The mean embedding of a group of rows with an {@code embedding} column, re-normalised: a typed
 * Spark {@link Aggregator} whose buffer is {@link VectorSum} (zero, reduce, merge and finish are
 * its methods, tested outside Spark).
 */
public final class MeanEmbedding extends Aggregator<Row, VectorSum, MeanEmbedding.Mean> {
  private static final long serialVersionUID = 1L;

  /** The aggregation's result: the mean and how many embeddings made it. */
  public static final class Mean implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private float[] mean;
    private long count;

    public Mean() {}

    Mean(float[] mean, long count) {
      this.mean = mean;
      this.count = count;
    }

    public float[] getMean() {
      return mean;
    }

    public void setMean(float[] mean) {
      this.mean = mean;
    }

    public long getCount() {
      return count;
    }

    public void setCount(long count) {
      this.count = count;
    }
  }

  @Override
  public VectorSum zero() {
    return new VectorSum();
  }

  @Override
  public VectorSum reduce(VectorSum sum, Row row) {
    return sum.add(Rows.floats(row, "embedding"));
  }

  @Override
  public VectorSum merge(VectorSum a, VectorSum b) {
    return a.merge(b);
  }

  @Override
  public Mean finish(VectorSum sum) {
    return new Mean(sum.normalizedMean(), sum.getCount());
  }

  @Override
  public Encoder<VectorSum> bufferEncoder() {
    return Encoders.bean(VectorSum.class);
  }

  @Override
  public Encoder<Mean> outputEncoder() {
    return Encoders.bean(Mean.class);
  }
}
