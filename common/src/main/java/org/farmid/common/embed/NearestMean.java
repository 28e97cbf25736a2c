package org.farmid.common.embed;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Names an embedding after the nearest class mean (the published method's classifier), and tells
 * how far it was and how much nearer than the runner-up.
 */
public final class NearestMean {

  /** The answer for one embedding. */
  public record Match(String label, double distance, double margin) {}

  private final List<String> labels;
  private final List<float[]> means;

  public NearestMean(Map<String, float[]> means) {
    if (means.isEmpty()) {
      throw new IllegalArgumentException("a gallery needs at least one class");
    }
    this.labels = new ArrayList<>(means.keySet());
    this.means = new ArrayList<>(means.values());
  }

  /** Means of labelled embeddings, one per label, re-normalised. */
  public static NearestMean fit(List<String> labels, List<float[]> embeddings) {
    Map<String, List<float[]>> byLabel = new LinkedHashMap<>();
    for (int i = 0; i < labels.size(); i++) {
      byLabel.computeIfAbsent(labels.get(i), k -> new ArrayList<>()).add(embeddings.get(i));
    }
    Map<String, float[]> means = new LinkedHashMap<>();
    byLabel.forEach((label, vs) -> means.put(label, Embeddings.normalizedMean(vs)));
    return new NearestMean(means);
  }

  public Match classify(float[] embedding) {
    Embeddings.Nearest n = Embeddings.nearest(embedding, means, i -> true);
    double margin =
        Double.isInfinite(n.second()) ? Double.POSITIVE_INFINITY : n.second() - n.distance();
    return new Match(labels.get(n.index()), n.distance(), margin);
  }

  public List<String> labels() {
    return List.copyOf(labels);
  }
}
