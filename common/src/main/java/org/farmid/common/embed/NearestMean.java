package org.farmid.common.embed;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Names an embedding after the nearest class mean (the published method's classifier), and tells
 * how far it was and how much nearer than the runner-up class. A class may have several means (the
 * means of the clusters of its embeddings, {@link #fit(List, List, int)}): an animal enrolled from
 * several clips, poses or lights is then named after whichever of its means lies nearest.
 */
public final class NearestMean {

  /** The answer for one embedding. */
  public record Match(String label, double distance, double margin) {}

  /** The label of each mean, in the order of {@link #means}; a label may repeat. */
  private final List<String> labels;

  private final List<float[]> means;

  public NearestMean(Map<String, float[]> means) {
    this(new ArrayList<>(means.keySet()), new ArrayList<>(means.values()));
  }

  private NearestMean(List<String> labels, List<float[]> means) {
    if (means.isEmpty()) {
      throw new IllegalArgumentException("a gallery needs at least one class");
    }
    this.labels = labels;
    this.means = means;
  }

  /** Means of labelled embeddings, one per label, re-normalised. */
  public static NearestMean fit(List<String> labels, List<float[]> embeddings) {
    return fit(labels, embeddings, 1);
  }

  /**
   * Up to {@code meansPerLabel} means per label: each label's embeddings clustered by {@link
   * #clusterMeans}; 1 is {@link #fit(List, List)}.
   */
  public static NearestMean fit(List<String> labels, List<float[]> embeddings, int meansPerLabel) {
    if (meansPerLabel < 1) {
      throw new IllegalArgumentException(
          "means per label must be at least 1, got " + meansPerLabel);
    }
    Map<String, List<float[]>> byLabel = new LinkedHashMap<>();
    for (int i = 0; i < labels.size(); i++) {
      byLabel.computeIfAbsent(labels.get(i), k -> new ArrayList<>()).add(embeddings.get(i));
    }
    List<String> meanLabels = new ArrayList<>();
    List<float[]> means = new ArrayList<>();
    byLabel.forEach(
        (label, vs) -> {
          for (float[] m : clusterMeans(vs, meansPerLabel)) {
            meanLabels.add(label);
            means.add(m);
          }
        });
    return new NearestMean(meanLabels, means);
  }

  /**
   * Spherical k-means of {@code vectors} into at most {@code k} re-normalised means, deterministic:
   * the first centre is the vector nearest the overall mean, each next one the vector farthest from
   * the centres so far (none when every vector coincides with a centre); then assignments and means
   * alternate until no vector changes cluster (at most 50 rounds). Empty clusters are dropped. With
   * {@code k} 1, or fewer than two vectors, the one re-normalised mean.
   */
  public static List<float[]> clusterMeans(List<float[]> vectors, int k) {
    float[] overall = Embeddings.normalizedMean(vectors);
    if (k <= 1 || vectors.size() < 2) {
      return List.of(overall);
    }
    List<float[]> centres = new ArrayList<>();
    centres.add(vectors.get(Embeddings.nearest(overall, vectors, i -> true).index()));
    // each vector's distance to its nearest centre so far, updated as centres are added: O(n k)
    double[] toCentres = new double[vectors.size()];
    Arrays.fill(toCentres, Double.POSITIVE_INFINITY);
    while (centres.size() < Math.min(k, vectors.size())) {
      float[] newest = centres.get(centres.size() - 1);
      int far = -1;
      double farD = 0;
      for (int i = 0; i < vectors.size(); i++) {
        toCentres[i] = Math.min(toCentres[i], Embeddings.distance(vectors.get(i), newest));
        if (toCentres[i] > farD) {
          farD = toCentres[i];
          far = i;
        }
      }
      if (far < 0) {
        break;
      }
      centres.add(vectors.get(far));
    }
    int[] assigned = new int[vectors.size()];
    Arrays.fill(assigned, -1);
    for (int round = 0; round < 50; round++) {
      boolean changed = false;
      for (int i = 0; i < vectors.size(); i++) {
        int c = Embeddings.nearest(vectors.get(i), centres, j -> true).index();
        changed |= c != assigned[i];
        assigned[i] = c;
      }
      if (!changed && round > 0) {
        break;
      }
      List<float[]> next = new ArrayList<>();
      for (int c = 0; c < centres.size(); c++) {
        List<float[]> members = new ArrayList<>();
        for (int i = 0; i < vectors.size(); i++) {
          if (assigned[i] == c) {
            members.add(vectors.get(i));
          }
        }
        next.add(members.isEmpty() ? null : Embeddings.normalizedMean(members));
      }
      centres = next;
      if (centres.contains(null)) {
        centres.removeIf(Objects::isNull);
        Arrays.fill(assigned, -1);
      }
    }
    return centres;
  }

  public Match classify(float[] embedding) {
    Embeddings.Nearest n = Embeddings.nearest(embedding, means, i -> true);
    String label = labels.get(n.index());
    double second =
        Embeddings.nearest(embedding, means, i -> !labels.get(i).equals(label)).distance();
    double margin = Double.isInfinite(second) ? Double.POSITIVE_INFINITY : second - n.distance();
    return new Match(label, n.distance(), margin);
  }

  /**
   * The gallery moved toward the crops it is asked about, as {@code adapt} moves the pipeline's
   * ({@link org.farmid.common.gallery.ArchiveMeans}): each of {@code crops} is named after its
   * nearest mean, and each mean that took crops becomes the re-normalised {@code (1 - weight) x
   * mean + weight x (re-normalised mean of its crops)}; a mean that took none stays. The crops'
   * labels are not known: this is the transductive step of a job that names a whole archive, not
   * training.
   *
   * @param weight 0 (these means) to 1 (the crops' means alone, wherever a mean took crops)
   */
  public NearestMean movedToward(List<float[]> crops, double weight) {
    Embeddings.requireBlendWeight(weight);
    if (weight == 0) {
      return this;
    }
    List<List<float[]>> taken = new ArrayList<>();
    means.forEach(m -> taken.add(new ArrayList<>()));
    for (float[] c : crops) {
      taken.get(Embeddings.nearest(c, means, i -> true).index()).add(c);
    }
    List<float[]> moved = new ArrayList<>(means.size());
    for (int i = 0; i < means.size(); i++) {
      List<float[]> mine = taken.get(i);
      moved.add(
          mine.isEmpty()
              ? means.get(i)
              : Embeddings.blend(means.get(i), Embeddings.normalizedMean(mine), weight));
    }
    return new NearestMean(labels, moved);
  }

  /** The labels, each once, in the order they were given. */
  public List<String> labels() {
    return List.copyOf(new LinkedHashSet<>(labels));
  }

  /** How many means the gallery holds (labels times their clusters). */
  public int size() {
    return means.size();
  }
}
