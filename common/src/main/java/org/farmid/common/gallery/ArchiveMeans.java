package org.farmid.common.gallery;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.farmid.common.embed.Embeddings;
import org.farmid.common.embed.VectorSum;

/**
 * The gallery moved toward the archive's own crops: the crops that a first pass named along tracks
 * are summed per animal and light, and each animal's enrolment mean (its infrared mean for infrared
 * crops) is blended with the mean of its archive crops. Enrolment crops are few and clean; the
 * archive's crops show the animal as the pipeline sees it, partly hidden, touching, at night.
 * Spreads and thresholds stay the enrolment's, so a visitor is no nearer any mean's threshold than
 * before unless its crops were named after that animal.
 */
public final class ArchiveMeans {
  private final Map<String, VectorSum> colour = new HashMap<>();
  private final Map<String, VectorSum> infrared = new HashMap<>();

  /**
   * Adds {@code crops} crops named {@code animalId} at once, given by their re-normalised mean (as
   * a Spark aggregation gives them); the same as adding each.
   */
  public void add(String animalId, float[] normalizedMean, long crops, boolean isInfrared) {
    if (crops <= 0) {
      return;
    }
    double[] sum = new double[normalizedMean.length];
    for (int i = 0; i < sum.length; i++) {
      sum[i] = (double) normalizedMean[i] * crops;
    }
    VectorSum v = new VectorSum();
    v.setSum(sum);
    v.setCount(crops);
    (isInfrared ? infrared : colour).computeIfAbsent(animalId, k -> new VectorSum()).merge(v);
  }

  /** Adds one crop named {@code animalId} (an infrared crop to the animal's infrared sum). */
  public void add(String animalId, float[] embedding, boolean isInfrared) {
    (isInfrared ? infrared : colour).computeIfAbsent(animalId, k -> new VectorSum()).add(embedding);
  }

  /**
   * Whether a crop lies within {@code share} of {@code animal}'s threshold of its mean in the
   * crop's light (the infrared mean and threshold for an infrared crop where the animal has one): a
   * crop far from the animal's enrolment mean, such as a visitor's whose track took the animal's
   * name, is left out of its archive mean. An infinite share takes every crop.
   */
  public static boolean within(
      GalleryEntry animal, float[] embedding, boolean isInfrared, double share) {
    if (Double.isInfinite(share)) {
      return true;
    }
    boolean ir = isInfrared && animal.infrared() != null;
    float[] mean = ir ? animal.infrared().mean() : animal.mean();
    double threshold = ir ? animal.infrared().threshold() : animal.threshold();
    return Embeddings.distance(embedding, mean) <= share * threshold;
  }

  /** Crops added for {@code animalId} in one light. */
  public long crops(String animalId, boolean isInfrared) {
    VectorSum s = (isInfrared ? infrared : colour).get(animalId);
    return s == null ? 0 : s.getCount();
  }

  /**
   * The entries with each mean replaced by the re-normalised {@code (1 - weight) x mean + weight x
   * archive mean} (the archive mean itself re-normalised first), in the light of the crops; an
   * animal without archive crops in a light keeps its mean there. Everything else is unchanged.
   *
   * @param weight 0 (the enrolment means) to 1 (the archive's means alone)
   */
  public List<GalleryEntry> blend(List<GalleryEntry> entries, double weight) {
    Embeddings.requireBlendWeight(weight);
    List<GalleryEntry> out = new ArrayList<>(entries.size());
    for (GalleryEntry e : entries) {
      GalleryEntry.Infrared ir = e.infrared();
      out.add(
          e.withMeans(
              blend(e.mean(), colour.get(e.animalId()), weight),
              ir == null ? null : blend(ir.mean(), infrared.get(e.animalId()), weight)));
    }
    return out;
  }

  private static float[] blend(float[] mean, VectorSum crops, double weight) {
    if (crops == null || crops.getCount() == 0 || weight == 0) {
      return mean;
    }
    float[] archive = crops.normalizedMean();
    if (archive.length != mean.length) {
      throw new IllegalArgumentException(
          "archive crops of " + archive.length + " numbers against a mean of " + mean.length);
    }
    return Embeddings.blend(mean, archive, weight);
  }
}
