package org.farmid.common.embed;

import java.util.List;

/** Vector arithmetic on embeddings ({@code float[]}, L2-normalised unless stated). */
public final class Embeddings {
  private Embeddings() {}

  /** A unit-length copy; a zero vector stays zero. */
  public static float[] normalize(float[] v) {
    double norm = 0;
    for (float x : v) {
      norm += (double) x * x;
    }
    norm = Math.sqrt(norm);
    float[] out = new float[v.length];
    if (norm == 0) {
      return out;
    }
    for (int i = 0; i < v.length; i++) {
      out[i] = (float) (v[i] / norm);
    }
    return out;
  }

  /**
   * {@code (1 - weight) x a + weight x b}, re-normalised: a mean moved toward another by {@code
   * weight} (0: {@code a}, 1: {@code b}).
   */
  public static float[] blend(float[] a, float[] b, double weight) {
    requireBlendWeight(weight);
    if (a.length != b.length) {
      throw new IllegalArgumentException("embeddings of sizes " + a.length + " and " + b.length);
    }
    float[] r = new float[a.length];
    for (int i = 0; i < r.length; i++) {
      r[i] = (float) ((1 - weight) * a[i] + weight * b[i]);
    }
    return normalize(r);
  }

  /** Refuses a blend weight outside [0, 1] (NaN included), naming it. */
  public static void requireBlendWeight(double weight) {
    if (!(weight >= 0 && weight <= 1)) {
      throw new IllegalArgumentException("weight must be between 0 and 1, got " + weight);
    }
  }

  /** Mean of the vectors, re-normalised to unit length (a class centre on the sphere). */
  public static float[] normalizedMean(List<float[]> vectors) {
    if (vectors.isEmpty()) {
      throw new IllegalArgumentException("mean of no embeddings");
    }
    int d = vectors.get(0).length;
    double[] sum = new double[d];
    for (float[] v : vectors) {
      if (v.length != d) {
        throw new IllegalArgumentException("embeddings of sizes " + d + " and " + v.length);
      }
      for (int i = 0; i < d; i++) {
        sum[i] += v[i];
      }
    }
    float[] mean = new float[d];
    for (int i = 0; i < d; i++) {
      mean[i] = (float) (sum[i] / vectors.size());
    }
    return normalize(mean);
  }

  /** Dot product, in double (the cosine of two unit vectors). */
  public static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (double) a[i] * b[i];
    }
    return s;
  }

  /** Euclidean distance. */
  public static double distance(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      double d = a[i] - b[i];
      s += d * d;
    }
    return Math.sqrt(s);
  }

  /**
   * The nearest and second-nearest of {@code means} to {@code embedding} among those {@code
   * eligible} admits: {@code index} -1 when none is; {@code second} infinite when only one is.
   */
  public record Nearest(int index, double distance, double second) {}

  /** Finds the {@link Nearest} of {@code means} whose index {@code eligible} accepts. */
  public static Nearest nearest(
      float[] embedding, List<float[]> means, java.util.function.IntPredicate eligible) {
    int best = -1;
    double bestD = Double.POSITIVE_INFINITY;
    double secondD = Double.POSITIVE_INFINITY;
    for (int i = 0; i < means.size(); i++) {
      if (!eligible.test(i)) {
        continue;
      }
      double d = distance(embedding, means.get(i));
      if (d < bestD) {
        secondD = bestD;
        bestD = d;
        best = i;
      } else if (d < secondD) {
        secondD = d;
      }
    }
    return new Nearest(best, bestD, secondD);
  }
}
