package org.farmid.common.gallery;

import java.io.Serializable;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.farmid.common.embed.Embeddings;
import org.farmid.common.track.Assignment;

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
        Embeddings.nearest(embedding, infrared ? nightMeans : means, i -> eligible(i, day, camera));
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

  /**
   * How {@link #classifyFrame} names the crops of one frame together. {@code reassign}: a crop that
   * loses its nearest animal may take another within that animal's threshold (else it is {@code
   * unknown}). {@code margin}: what a crop named otherwise than alone keeps as its {@code margin},
   * the weight of its vote along a track.
   */
  public record FrameRule(boolean reassign, LoserMargin margin) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The rule's name in fingerprints and reports. */
    public String describe() {
      return "frame-exclusive" + (reassign ? "" : ", losers unknown") + margin.suffix;
    }
  }

  /** The {@code margin} of a crop named otherwise than alone. */
  public enum LoserMargin {
    /** 0: a contested answer weighs least along its track. */
    ZERO("zero", ""),
    /**
     * Its regret: how much the frame's least total cost rises when the crop keeps its answer alone,
     * in distance units of that answer's animal (cost times its threshold). Without reassigning
     * this is the crop's distance to its nearest mean minus the winner's: a crop far behind the
     * crop that took its animal is surely not it, one just behind may well be.
     */
    REGRET("regret", ", regret margins");

    private final String key;
    private final String suffix;

    LoserMargin(String key, String suffix) {
      this.key = key;
      this.suffix = suffix;
    }

    public String key() {
      return key;
    }

    /** The value of a setting's key, or null. */
    public static LoserMargin byKey(String key) {
      return org.farmid.common.config.SettingsReader.byKey(values(), LoserMargin::key, key);
    }

    /** The setting's allowed values, for messages: "zero or regret". */
    public static String choices() {
      return org.farmid.common.config.SettingsReader.alternatives(values(), LoserMargin::key);
    }
  }

  /**
   * Names the crops of one frame together (all of one camera, day and lighting), so that no two of
   * them are named after the same animal: an animal shows at most once in a picture. Each crop is
   * first named alone ({@link #classify(float[], LocalDate, String, boolean)}); when no animal is
   * named twice, those are the answers. Otherwise each crop named alone may take any animal whose
   * mean lies within that animal's threshold ({@link FrameRule#reassign}; else only its nearest),
   * at a cost of its distance over that threshold, or stay {@code unknown} at a cost of 1, and the
   * least total cost wins (optimal assignment); a crop {@code unknown} alone stays so. A crop named
   * otherwise than alone gets the margin of {@link FrameRule#margin}; its {@code nearest}, {@code
   * distance} and {@code threshold} stay those of its nearest mean.
   */
  public List<Match> classifyFrame(
      List<float[]> embeddings, LocalDate day, String camera, boolean infrared, FrameRule rule) {
    List<Match> alone = new ArrayList<>(embeddings.size());
    for (float[] e : embeddings) {
      alone.add(classify(e, day, camera, infrared));
    }
    if (!contested(alone)) {
      return alone;
    }
    List<float[]> m = infrared ? nightMeans : means;
    List<Double> t = infrared ? nightThresholds : thresholds;
    int n = embeddings.size();
    int animals = ids.size();
    // columns: the animals, then one "unknown" per crop (only its own is allowed)
    double[][] cost = new double[n][animals + n];
    for (int i = 0; i < n; i++) {
      Arrays.fill(cost[i], Double.NaN);
      cost[i][animals + i] = 1;
      for (int a = 0; a < animals; a++) {
        if (UNKNOWN.equals(alone.get(i).label())
            || !eligible(a, day, camera)
            || !(rule.reassign() || ids.get(a).equals(alone.get(i).nearest()))) {
          continue;
        }
        double d = Embeddings.distance(embeddings.get(i), m.get(a));
        if (d <= t.get(a)) {
          cost[i][a] = d / t.get(a);
        }
      }
    }
    int[] pair = Assignment.minCost(cost);
    double least = total(cost, pair);
    List<Match> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Match a = alone.get(i);
      String label = pair[i] >= 0 && pair[i] < animals ? ids.get(pair[i]) : UNKNOWN;
      if (label.equals(a.label())) {
        out.add(a);
        continue;
      }
      double margin = 0;
      if (rule.margin() == LoserMargin.REGRET) {
        // the crop keeps its answer alone: its nearest animal's column (an animal may have
        // several entries; the one it was nearest to is the cheapest allowed)
        double[] row = cost[i];
        int own = -1;
        for (int c = 0; c < animals; c++) {
          if (ids.get(c).equals(a.label())
              && Double.isFinite(row[c])
              && (own < 0 || row[c] < row[own])) {
            own = c;
          }
        }
        if (own >= 0) {
          double[] kept = new double[row.length];
          Arrays.fill(kept, Double.NaN);
          kept[own] = row[own];
          cost[i] = kept;
          double forced = total(cost, Assignment.minCost(cost));
          cost[i] = row;
          margin = Math.max(0, forced - least) * t.get(own);
        }
      }
      out.add(new Match(label, a.nearest(), a.distance(), margin, a.threshold(), a.infrared()));
    }
    return out;
  }

  /** The total cost of an assignment {@link Assignment#minCost} made. */
  private static double total(double[][] cost, int[] pair) {
    double sum = 0;
    for (int i = 0; i < pair.length; i++) {
      sum += pair[i] >= 0 ? cost[i][pair[i]] : 0;
    }
    return sum;
  }

  /** Whether two answers name the same animal. */
  private static boolean contested(List<Match> answers) {
    Set<String> named = new HashSet<>();
    for (Match a : answers) {
      if (!UNKNOWN.equals(a.label()) && !named.add(a.label())) {
        return true;
      }
    }
    return false;
  }

  private boolean eligible(int i, LocalDate day, String camera) {
    return (day == null
            || !((from.get(i) != null && day.isBefore(from.get(i)))
                || (to.get(i) != null && day.isAfter(to.get(i)))))
        && (camera == null || cameras.get(i) == null || camera.equals(cameras.get(i)));
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
