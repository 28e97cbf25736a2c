package org.farmid.common.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PkBatchesTest {

  @Test
  void everyBatchHoldsPAnimalsWithKCropsAndEveryCropIsUsed() {
    // 5 animals with 9, 4, 3, 7 and 1 crops.
    int[] counts = {9, 4, 3, 7, 1};
    int total = 0;
    for (int c : counts) {
      total += c;
    }
    int[] labels = new int[total];
    int i = 0;
    for (int a = 0; a < counts.length; a++) {
      for (int j = 0; j < counts[a]; j++) {
        labels[i++] = a;
      }
    }
    List<int[]> batches = PkBatches.epoch(labels, 3, 2, 42);
    Set<Integer> used = new HashSet<>();
    for (int[] batch : batches) {
      assertThat(batch.length % 2).isZero();
      Map<Integer, Integer> perAnimal = new HashMap<>();
      for (int idx : batch) {
        perAnimal.merge(labels[idx], 1, Integer::sum);
        used.add(idx);
      }
      assertThat(perAnimal.size()).isBetween(2, 3);
      assertThat(perAnimal.values()).allMatch(n -> n == 2);
    }
    // All crops but possibly those of a last single-animal batch.
    assertThat(used.size()).isGreaterThanOrEqualTo(total - 2);
    assertThat(PkBatches.epoch(labels, 3, 2, 42)).usingRecursiveComparison().isEqualTo(batches);
    assertThat(PkBatches.epoch(labels, 3, 2, 43)).usingRecursiveComparison().isNotEqualTo(batches);
  }
}
