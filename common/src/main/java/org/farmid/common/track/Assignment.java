package org.farmid.common.track;

import java.util.Arrays;
import org.jgrapht.alg.interfaces.MatchingAlgorithm;
import org.jgrapht.alg.matching.KuhnMunkresMinimalWeightBipartitePerfectMatching;
import org.jgrapht.graph.DefaultWeightedEdge;
import org.jgrapht.graph.SimpleWeightedGraph;

/**
 * Optimal assignment (Hungarian / Kuhn-Munkres, from JGraphT) on a rectangular cost matrix whose
 * {@code NaN} or infinite entries are forbidden pairs. Like SciPy's {@code linear_sum_assignment}
 * as py-motmetrics uses it: as many allowed pairs as possible, then the least total cost.
 */
public final class Assignment {
  private Assignment() {}

  /** For each row, its column, or -1 when the row stays unassigned. */
  public static int[] minCost(double[][] cost) {
    int rows = cost.length;
    int cols = rows == 0 ? 0 : cost[0].length;
    int[] result = new int[rows];
    Arrays.fill(result, -1);
    if (rows == 0 || cols == 0) {
      return result;
    }
    double finiteSum = 0;
    boolean any = false;
    for (double[] row : cost) {
      for (double c : row) {
        if (Double.isFinite(c)) {
          finiteSum += Math.abs(c);
          any = true;
        }
      }
    }
    if (!any) {
      return result;
    }
    // A forbidden pair costs more than every allowed pair together, so it is chosen only when
    // nothing else is left; such pairs are dropped afterwards.
    double forbidden = 2 * finiteSum + 1;
    int n = Math.max(rows, cols);
    SimpleWeightedGraph<Integer, DefaultWeightedEdge> g =
        new SimpleWeightedGraph<>(DefaultWeightedEdge.class);
    java.util.Set<Integer> left = new java.util.LinkedHashSet<>();
    java.util.Set<Integer> right = new java.util.LinkedHashSet<>();
    for (int i = 0; i < n; i++) {
      g.addVertex(i);
      left.add(i);
      g.addVertex(n + i);
      right.add(n + i);
    }
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double c = i < rows && j < cols && Double.isFinite(cost[i][j]) ? cost[i][j] : forbidden;
        DefaultWeightedEdge e = g.addEdge(i, n + j);
        g.setEdgeWeight(e, c);
      }
    }
    MatchingAlgorithm.Matching<Integer, DefaultWeightedEdge> m =
        new KuhnMunkresMinimalWeightBipartitePerfectMatching<>(g, left, right).getMatching();
    for (DefaultWeightedEdge e : m.getEdges()) {
      int a = g.getEdgeSource(e);
      int b = g.getEdgeTarget(e);
      int i = Math.min(a, b);
      int j = Math.max(a, b) - n;
      if (i < rows && j < cols && Double.isFinite(cost[i][j])) {
        result[i] = j;
      }
    }
    return result;
  }
}
