package org.farmid.common.embed;

import java.io.Serializable;
import java.util.Arrays;

/**
 * A running sum of embeddings and their count: the buffer of a mean-of-vectors aggregation. {@link
 * #add} and {@link #merge} are associative and commutative with {@link #VectorSum()} as their zero,
 * so partial sums may be combined in any order; {@link #normalizedMean()} finishes.
 *
 * <p>A mutable bean (no-argument constructor, getters and setters) so Spark can encode it.
 */
public final class VectorSum implements Serializable {
  private static final long serialVersionUID = 1L;

  private double[] sum = new double[0];
  private long count;

  public VectorSum() {}

  /** Adds one vector; the first vector fixes the length. */
  public VectorSum add(float[] v) {
    if (count == 0 && sum.length == 0) {
      sum = new double[v.length];
    } else if (v.length != sum.length) {
      throw new IllegalArgumentException(
          "embedding of length " + v.length + " added to a sum of length " + sum.length);
    }
    for (int i = 0; i < v.length; i++) {
      sum[i] += v[i];
    }
    count++;
    return this;
  }

  /** Adds another partial sum into this one. */
  public VectorSum merge(VectorSum other) {
    if (other.count == 0) {
      return this;
    }
    if (count == 0) {
      sum = other.sum.clone();
      count = other.count;
      return this;
    }
    if (other.sum.length != sum.length) {
      throw new IllegalArgumentException(
          "cannot merge sums of lengths " + sum.length + " and " + other.sum.length);
    }
    for (int i = 0; i < sum.length; i++) {
      sum[i] += other.sum[i];
    }
    count += other.count;
    return this;
  }

  /** The mean re-normalised to unit length (the gallery's contract); empty for an empty sum. */
  public float[] normalizedMean() {
    float[] mean = new float[sum.length];
    for (int i = 0; i < sum.length; i++) {
      mean[i] = (float) (sum[i] / count);
    }
    return count == 0 ? mean : Embeddings.normalize(mean);
  }

  public double[] getSum() {
    return sum;
  }

  public void setSum(double[] sum) {
    this.sum = sum;
  }

  public long getCount() {
    return count;
  }

  public void setCount(long count) {
    this.count = count;
  }

  @Override
  public String toString() {
    return "VectorSum[count=" + count + ", sum=" + Arrays.toString(sum) + "]";
  }
}
