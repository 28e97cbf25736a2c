package org.farmid.common.gallery;

import java.io.Serializable;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.farmid.common.embed.Embeddings;

/**
 * Names an embedding after the nearest mean of the animals in the herd on the crop's day and in the
 * pen its camera watches, or {@link #UNKNOWN} when that mean is farther than the animal's
 * threshold. Small and serialisable: Spark broadcasts it whole.
 */
public final class OpenSetClassifier implements Serializable {
  private static final long serialVersionUID = 1L;

  public static final String UNKNOWN = "unknown";

  /**
   * The answer for one embedding; {@code nearest} is null when no animal is in the herd. {@code
   * infrared}: the distance and threshold are those of the nearest animal's infrared mean.
   */
  public record Match(
      String label,
      String nearest,
      double distance,
      double margin,
      double threshold,
      boolean infrared) {}

  private final List<String> ids = new ArrayList<>();
  private final List<float[]> means = new ArrayList<>();
  private final List<Double> thresholds = new ArrayList<>();
  private final List<LocalDate> from = new ArrayList<>();
  private final List<LocalDate> to = new ArrayList<>();
  private final List<String> cameras = new ArrayList<>();

  /** Each animal's mean and threshold for infrared crops: its infrared ones, else its day ones. */
  private final List<float[]> nightMeans = new ArrayList<>();

  private final List<Double> nightThresholds = new ArrayList<>();
  private final List<Boolean> hasInfrared = new ArrayList<>();

  public OpenSetClassifier(List<GalleryEntry> entries) {
    for (GalleryEntry e : entries) {
      if (!e.active()) {
        continue;
      }
      ids.add(e.animalId());
      float[] mean = e.mean().clone();
      means.add(mean);
      thresholds.add(e.threshold());
      from.add(e.validFrom());
      to.add(e.validTo());
      cameras.add(e.camera());
      GalleryEntry.Infrared ir = e.infrared();
      hasInfrared.add(ir != null);
      nightMeans.add(ir == null ? mean : ir.mean().clone());
      nightThresholds.add(ir == null ? e.threshold() : ir.threshold());
    }
  }

  /** Active animals this classifier can name. */
  public int size() {
    return ids.size();
  }

  /** Classifies against every animal in the herd on {@code day}, whatever its camera. */
  public Match classify(float[] embedding, LocalDate day) {
    return classify(embedding, day, null);
  }

  /**
   * Classifies against the animals in the herd on {@code day} (null: any day) that {@code camera}
   * can see (null: any camera; animals without a camera are seen by every camera).
   */
  public Match classify(float[] embedding, LocalDate day, String camera) {
    return classify(embedding, day, camera, false);
  }

  /**
   * As {@link #classify(float[], LocalDate, String)}; a crop of an infrared frame ({@code
   * infrared}) is compared with each animal's infrared mean and threshold where it has them.
   */
  public Match classify(float[] embedding, LocalDate day, String camera, boolean infrared) {
    Embeddings.Nearest n =
        Embeddings.nearest(
            embedding,
            infrared ? nightMeans : means,
            i ->
                (day == null
                        || !((from.get(i) != null && day.isBefore(from.get(i)))
                            || (to.get(i) != null && day.isAfter(to.get(i)))))
                    && (camera == null || cameras.get(i) == null || camera.equals(cameras.get(i))));
    int best = n.index();
    if (best < 0) {
      return new Match(UNKNOWN, null, Double.NaN, Double.NaN, Double.NaN, false);
    }
    double margin = Double.isInfinite(n.second()) ? Double.NaN : n.second() - n.distance();
    double threshold = (infrared ? nightThresholds : thresholds).get(best);
    String label = n.distance() <= threshold ? ids.get(best) : UNKNOWN;
    return new Match(
        label, ids.get(best), n.distance(), margin, threshold, infrared && hasInfrared.get(best));
  }

  /** Each active animal's threshold by id, for reports. */
  public Map<String, Double> thresholds() {
    Map<String, Double> out = new HashMap<>();
    for (int i = 0; i < ids.size(); i++) {
      out.put(ids.get(i), thresholds.get(i));
    }
    return out;
  }
}
