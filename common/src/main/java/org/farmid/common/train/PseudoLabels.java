package org.farmid.common.train;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.farmid.common.embed.LabelPropagation;

/**
 * Names crops nobody labelled, for training: the crops a farm's footage holds of animals it
 * enrolled by a few labelled crops. Label propagation ({@link LabelPropagation}) over the labelled
 * and the unlabelled crops' embeddings names every unlabelled crop; the surest share of them, by
 * the propagation's confidence, is kept under those names. Fine-tuning on them beside the labelled
 * crops shows the network its animals as the footage shows them (other clips, poses, light), which
 * a few enrolment crops of one clip do not. No label of an unlabelled crop is read.
 */
public final class PseudoLabels {
  private PseudoLabels() {}

  /**
   * The surest {@code share} of {@code unlabelled} (rounded, at least one where any is named), each
   * named after its propagated label, split {@code train}; in order of confidence, surest first
   * (ties in input order). Embeddings are unit vectors, one per crop, in the lists' order.
   */
  public static List<LabelledCrops.Crop> surest(
      List<LabelledCrops.Crop> labelled,
      List<float[]> labelledEmbeddings,
      List<LabelledCrops.Crop> unlabelled,
      List<float[]> unlabelledEmbeddings,
      double share,
      LabelPropagation.Settings settings) {
    if (!(share > 0 && share <= 1)) {
      throw new IllegalArgumentException("share must be above 0 and at most 1, got " + share);
    }
    if (labelled.size() != labelledEmbeddings.size()
        || unlabelled.size() != unlabelledEmbeddings.size()) {
      throw new IllegalArgumentException("one embedding per crop expected");
    }
    if (unlabelled.isEmpty()) {
      return List.of();
    }
    List<LabelPropagation.Named> named =
        LabelPropagation.scores(
            labelled.stream().map(LabelledCrops.Crop::identity).toList(),
            labelledEmbeddings,
            unlabelledEmbeddings,
            settings);
    int keep = Math.max(1, (int) Math.round(share * unlabelled.size()));
    List<Integer> order =
        IntStream.range(0, unlabelled.size())
            .boxed()
            .sorted(
                Comparator.comparingDouble((Integer i) -> -named.get(i).confidence())
                    .thenComparingInt(i -> i))
            .toList();
    List<LabelledCrops.Crop> out = new ArrayList<>(keep);
    for (int i : order.subList(0, keep)) {
      if (named.get(i).confidence() <= 0) {
        break; // named after the nearest mean for want of a path: not sure at all
      }
      out.add(new LabelledCrops.Crop(unlabelled.get(i).path(), named.get(i).label(), "train"));
    }
    return out;
  }
}
