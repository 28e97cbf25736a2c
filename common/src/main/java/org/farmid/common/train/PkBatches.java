package org.farmid.common.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Batches for triplet training, as the published method made them: each batch holds {@code p}
 * animals with {@code k >= 2} crops each. An epoch uses every crop of every animal (classes are not
 * cut down to the smallest one): each animal's crops are shuffled and cut into groups of {@code k},
 * a short last group is topped up with other crops of the same animal, and groups are dealt into
 * batches so that no animal appears twice in a batch.
 */
public final class PkBatches {
  private PkBatches() {}

  /** Indices of the samples of each batch of one epoch; labels are per sample. */
  public static List<int[]> epoch(int[] labels, int p, int k, long seed) {
    if (p < 2 || k < 2) {
      throw new IllegalArgumentException(
          "P x K batches need P >= 2 and K >= 2, got " + p + "x" + k);
    }
    Random rnd = new Random(seed);
    Map<Integer, List<Integer>> byLabel = new LinkedHashMap<>();
    for (int i = 0; i < labels.length; i++) {
      byLabel.computeIfAbsent(labels[i], x -> new ArrayList<>()).add(i);
    }
    List<int[]> groups = new ArrayList<>();
    List<Integer> groupLabels = new ArrayList<>();
    for (Map.Entry<Integer, List<Integer>> e : byLabel.entrySet()) {
      List<Integer> idx = new ArrayList<>(e.getValue());
      Collections.shuffle(idx, rnd);
      for (int start = 0; start < idx.size(); start += k) {
        int[] g = new int[k];
        // Top up from the animal's earlier groups, or repeat its crops when it has fewer than k.
        int pool = start > 0 ? start : idx.size();
        for (int j = 0; j < k; j++) {
          g[j] = start + j < idx.size() ? idx.get(start + j) : idx.get(rnd.nextInt(pool));
        }
        groups.add(g);
        groupLabels.add(e.getKey());
      }
    }
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < groups.size(); i++) {
      order.add(i);
    }
    Collections.shuffle(order, rnd);
    List<int[]> batches = new ArrayList<>();
    List<Integer> pending = new ArrayList<>(order);
    while (!pending.isEmpty()) {
      List<Integer> batch = new ArrayList<>();
      List<Integer> seen = new ArrayList<>();
      for (var it = pending.iterator(); it.hasNext() && batch.size() < p; ) {
        int g = it.next();
        if (!seen.contains(groupLabels.get(g))) {
          seen.add(groupLabels.get(g));
          batch.add(g);
          it.remove();
        }
      }
      if (batch.size() < 2) {
        break; // a batch of one animal has no negatives; its crops come back next epoch
      }
      int[] flat = new int[batch.size() * k];
      for (int b = 0; b < batch.size(); b++) {
        System.arraycopy(groups.get(batch.get(b)), 0, flat, b * k, k);
      }
      batches.add(flat);
    }
    return batches;
  }
}
