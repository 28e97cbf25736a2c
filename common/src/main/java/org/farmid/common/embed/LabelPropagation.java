package org.farmid.common.embed;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Names a set of queries together with the gallery, by label propagation over the graph of their
 * nearest neighbours (Zhou et al., "Learning with local and global consistency", 2004): every crop
 * of the gallery and of the queries is a node, joined to its {@code neighbours} most similar crops
 * with weight {@code exp((cos - 1) / sigma)} (the graph made symmetric and normalised as D^-1/2 W
 * D^-1/2); each gallery crop holds its label, and the scores F = alpha S F + (1 - alpha) Y are
 * iterated until they settle. A query is named after its highest score. Queries that look alike
 * (the crops of one clip, one pose, one light) carry one another toward the same animal, so a query
 * far from its animal's enrolment crops is named after it through the queries between them; no
 * query's label is read. A query that no path joins to any gallery crop is named after the nearest
 * mean of the gallery instead.
 */
public final class LabelPropagation {

  /** The graph's and the iteration's settings. */
  public record Settings(int neighbours, double alpha, double sigma) {
    public Settings {
      if (neighbours < 1) {
        throw new IllegalArgumentException("neighbours must be at least 1, got " + neighbours);
      }
      if (!(alpha > 0 && alpha < 1)) {
        throw new IllegalArgumentException("alpha must lie strictly between 0 and 1, got " + alpha);
      }
      if (!(sigma > 0)) {
        throw new IllegalArgumentException("sigma must be positive, got " + sigma);
      }
    }
  }

  /** Iterations stop when no score moves by more than this, or after {@link #MAX_ROUNDS}. */
  static final double TOLERANCE = 1e-9;

  static final int MAX_ROUNDS = 5000;

  private LabelPropagation() {}

  /**
   * A query's label and how sure the propagation is of it: its label's share of the query's scores
   * over every label (1: no other label reached it; 0 for a query no path joins to the gallery,
   * named after the nearest mean instead).
   */
  public record Named(String label, double confidence) {}

  /** Neighbours, alpha and sigma by default (chosen on the cows' choosing split; README). */
  public static final int DEFAULT_NEIGHBOURS = 10;

  public static final double DEFAULT_ALPHA = 0.65;

  public static final double DEFAULT_SIGMA = 0.05;

  /** The settings eval-crops --propagate and train-embedder --pseudo-label-split use by default. */
  public static final Settings DEFAULTS =
      new Settings(DEFAULT_NEIGHBOURS, DEFAULT_ALPHA, DEFAULT_SIGMA);

  /**
   * The label of each query, in order. Embeddings are unit vectors (cosine = dot product); {@code
   * galleryLabels} names each gallery embedding.
   */
  public static List<String> name(
      List<String> galleryLabels, List<float[]> gallery, List<float[]> queries, Settings settings) {
    return scores(galleryLabels, gallery, queries, settings).stream().map(Named::label).toList();
  }

  /** As {@link #name}, each label with its confidence. */
  public static List<Named> scores(
      List<String> galleryLabels, List<float[]> gallery, List<float[]> queries, Settings settings) {
    if (galleryLabels.size() != gallery.size()) {
      throw new IllegalArgumentException(
          galleryLabels.size() + " gallery labels for " + gallery.size() + " embeddings");
    }
    if (gallery.isEmpty()) {
      throw new IllegalArgumentException("a gallery needs at least one class");
    }
    Map<String, Integer> classOf = new LinkedHashMap<>();
    for (String l : galleryLabels) {
      classOf.putIfAbsent(l, classOf.size());
    }
    List<String> classes = new ArrayList<>(classOf.keySet());
    int c = classes.size();
    int g = gallery.size();
    int n = g + queries.size();
    List<float[]> all = new ArrayList<>(gallery);
    all.addAll(queries);
    // each node's nearest neighbours (itself left out), then the symmetric weights
    int k = Math.min(settings.neighbours(), n - 1);
    List<Map<Integer, Double>> w = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      w.add(new LinkedHashMap<>());
    }
    double[] sims = new double[n];
    Integer[] order = new Integer[n];
    for (int i = 0; i < n && k > 0; i++) {
      float[] a = all.get(i);
      for (int j = 0; j < n; j++) {
        sims[j] = j == i ? Double.NEGATIVE_INFINITY : Embeddings.dot(a, all.get(j));
        order[j] = j;
      }
      // stable by index among equal similarities, so the graph does not depend on the sort
      Arrays.sort(order, (x, y) -> Double.compare(sims[y], sims[x]));
      for (int r = 0; r < k; r++) {
        int j = order[r];
        double v = Math.exp((sims[j] - 1) / settings.sigma());
        w.get(i).merge(j, v, Double::sum);
        w.get(j).merge(i, v, Double::sum);
      }
    }
    double[] inv = new double[n];
    for (int i = 0; i < n; i++) {
      double d = 0;
      for (double v : w.get(i).values()) {
        d += v;
      }
      inv[i] = d > 0 ? 1 / Math.sqrt(d) : 0;
    }
    int[][] nb = new int[n][];
    double[][] nw = new double[n][];
    for (int i = 0; i < n; i++) {
      nb[i] = new int[w.get(i).size()];
      nw[i] = new double[nb[i].length];
      int r = 0;
      for (Map.Entry<Integer, Double> e : w.get(i).entrySet()) {
        nb[i][r] = e.getKey();
        nw[i][r] = e.getValue() * inv[i] * inv[e.getKey()];
        r++;
      }
    }
    double[][] y = new double[n][c];
    for (int i = 0; i < g; i++) {
      y[i][classOf.get(galleryLabels.get(i))] = 1;
    }
    double[][] f = new double[n][];
    for (int i = 0; i < n; i++) {
      f[i] = y[i].clone();
    }
    double alpha = settings.alpha();
    for (int round = 0; round < MAX_ROUNDS; round++) {
      double moved = 0;
      double[][] next = new double[n][c];
      for (int i = 0; i < n; i++) {
        double[] row = next[i];
        for (int r = 0; r < nb[i].length; r++) {
          double[] from = f[nb[i][r]];
          double s = alpha * nw[i][r];
          for (int j = 0; j < c; j++) {
            row[j] += s * from[j];
          }
        }
        for (int j = 0; j < c; j++) {
          row[j] += (1 - alpha) * y[i][j];
          moved = Math.max(moved, Math.abs(row[j] - f[i][j]));
        }
      }
      f = next;
      if (moved < TOLERANCE) {
        break;
      }
    }
    NearestMean fallback = null;
    List<Named> named = new ArrayList<>(queries.size());
    for (int q = 0; q < queries.size(); q++) {
      double[] row = f[g + q];
      int best = -1;
      double sum = 0;
      for (int j = 0; j < c; j++) {
        sum += Math.max(0, row[j]);
        if (row[j] > 0 && (best < 0 || row[j] > row[best])) {
          best = j;
        }
      }
      if (best < 0) {
        if (fallback == null) {
          fallback = NearestMean.fit(galleryLabels, gallery);
        }
        named.add(new Named(fallback.classify(queries.get(q)).label(), 0));
      } else {
        named.add(new Named(classes.get(best), row[best] / sum));
      }
    }
    return named;
  }
}
