package org.farmid.common.embed;

/**
 * Reference values of the triplet losses the embedder trains with, in plain Java, to check the
 * graph versions against. Distances are Euclidean.
 */
public final class TripletLoss {
  private TripletLoss() {}

  /**
   * TensorFlow Addons' {@code TripletSemiHardLoss}: for each anchor-positive pair, the negative
   * nearest to the anchor among those farther than the positive; if there is none, the farthest
   * negative. Loss is the mean over anchor-positive pairs of {@code max(d(a,p) - d(a,n) + margin,
   * 0)}.
   */
  public static double semiHard(float[][] embeddings, int[] labels, double margin) {
    double[][] d = distances(embeddings);
    int n = labels.length;
    double sum = 0;
    int pairs = 0;
    for (int a = 0; a < n; a++) {
      double farthestNegative = 0;
      for (int k = 0; k < n; k++) {
        if (labels[k] != labels[a]) {
          farthestNegative = Math.max(farthestNegative, d[a][k]);
        }
      }
      for (int p = 0; p < n; p++) {
        if (p == a || labels[p] != labels[a]) {
          continue;
        }
        double semiHard = Double.POSITIVE_INFINITY;
        for (int k = 0; k < n; k++) {
          if (labels[k] != labels[a] && d[a][k] > d[a][p]) {
            semiHard = Math.min(semiHard, d[a][k]);
          }
        }
        double negative = Double.isInfinite(semiHard) ? farthestNegative : semiHard;
        sum += Math.max(d[a][p] - negative + margin, 0);
        pairs++;
      }
    }
    return pairs == 0 ? 0 : sum / pairs;
  }

  /**
   * Batch-hard: per anchor, its farthest positive against its nearest negative, averaged over
   * anchors that have both.
   */
  public static double batchHard(float[][] embeddings, int[] labels, double margin) {
    double[][] d = distances(embeddings);
    int n = labels.length;
    double sum = 0;
    int anchors = 0;
    for (int a = 0; a < n; a++) {
      double hardPositive = -1;
      double hardNegative = Double.POSITIVE_INFINITY;
      for (int k = 0; k < n; k++) {
        if (k != a && labels[k] == labels[a]) {
          hardPositive = Math.max(hardPositive, d[a][k]);
        } else if (labels[k] != labels[a]) {
          hardNegative = Math.min(hardNegative, d[a][k]);
        }
      }
      if (hardPositive >= 0 && !Double.isInfinite(hardNegative)) {
        sum += Math.max(hardPositive - hardNegative + margin, 0);
        anchors++;
      }
    }
    return anchors == 0 ? 0 : sum / anchors;
  }

  private static double[][] distances(float[][] e) {
    int n = e.length;
    double[][] d = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        d[i][j] = Embeddings.distance(e[i], e[j]);
      }
    }
    return d;
  }
}
