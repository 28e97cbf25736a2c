package org.farmid.common.track;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.farmid.common.gallery.OpenSetClassifier;

/**
 * One identity per track from its detections' classifications: each detection votes for its label
 * with a weight growing with its margin to the runner-up (a clear answer counts more), {@code
 * unknown} votes included. The winner must hold at least {@code minShare} of the weight, else the
 * track is {@code unknown}. Tracks seen in the same frame never share an animal (each animal exists
 * once): stronger tracks choose first, the others fall back to their next label that is still free,
 * or {@code unknown}. Tracks whose spans overlap without ever sharing a frame (the tracker lost an
 * animal and started a second track while the first still waited for it) may both be given it.
 */
public final class TrackVote {
  private TrackVote() {}

  /**
   * One detection's say: its label, its margin (NaN when there was no runner-up) and a scale on its
   * weight (1 for a whole say; less for a crop the settings trust less, such as one that other
   * animals' boxes cover).
   */
  public record Ballot(String label, double margin, double scale) {
    public Ballot {
      if (!(scale > 0 && scale <= 1)) {
        throw new IllegalArgumentException(
            "ballot scale must be above 0 and at most 1, got " + scale);
      }
    }

    /** A whole say. */
    public Ballot(String label, double margin) {
      this(label, margin, 1);
    }

    double weight() {
      return scale * TrackVote.weight(margin);
    }
  }

  /** A track to name: its id, the frames it has a detection in (ascending), its ballots. */
  public record Candidate(long trackId, int[] frames, List<Ballot> ballots) {
    /** A track with a detection in every frame from {@code first} to {@code last}. */
    public Candidate(long trackId, int first, int last, List<Ballot> ballots) {
      this(trackId, IntStream.rangeClosed(first, last).toArray(), ballots);
    }
  }

  /** A named track: its identity and the share of the weight behind it. */
  public record Named(long trackId, String animalId, double strength) {}

  static double weight(double margin) {
    return 0.05 + (Double.isNaN(margin) ? 0.5 : Math.min(1, Math.max(0, margin)));
  }

  /**
   * Where one track's identity changes: the tracker may follow one animal and then, after two
   * animals touched or one was hidden, another. A Viterbi pass over the track's ballots picks, for
   * each detection, one of the animals the ballots name, paying each ballot's weight where the
   * animal differs from its label and {@code switchPenalty} for each change of animal; {@code
   * unknown} ballots cost every animal the same, so they never cause a cut. Returns the indices
   * where the pieces start, always beginning with 0; a penalty of 0 or less never cuts.
   */
  public static int[] cuts(List<Ballot> ballots, double switchPenalty) {
    List<String> states =
        ballots.stream()
            .map(Ballot::label)
            .filter(l -> !l.equals(OpenSetClassifier.UNKNOWN))
            .distinct()
            .sorted()
            .toList();
    int n = ballots.size();
    int k = states.size();
    if (switchPenalty <= 0 || k < 2 || n < 2) {
      return new int[] {0};
    }
    double[] cost = new double[k];
    int[][] from = new int[n][k];
    for (int i = 0; i < n; i++) {
      Ballot b = ballots.get(i);
      double w = b.weight();
      double[] next = new double[k];
      int best = 0;
      for (int s = 1; s < k; s++) {
        if (cost[s] < cost[best]) {
          best = s;
        }
      }
      for (int s = 0; s < k; s++) {
        double stay = cost[s];
        double change = cost[best] + switchPenalty;
        from[i][s] = i == 0 || stay <= change ? s : best;
        double emit =
            b.label().equals(OpenSetClassifier.UNKNOWN) || b.label().equals(states.get(s)) ? 0 : w;
        next[s] = (i == 0 ? 0 : Math.min(stay, change)) + emit;
      }
      cost = next;
    }
    int s = 0;
    for (int t = 1; t < k; t++) {
      if (cost[t] < cost[s]) {
        s = t;
      }
    }
    List<Integer> starts = new ArrayList<>();
    for (int i = n - 1; i > 0; i--) {
      int prev = from[i][s];
      if (prev != s) {
        starts.add(i);
      }
      s = prev;
    }
    starts.add(0);
    java.util.Collections.reverse(starts);
    return starts.stream().mapToInt(Integer::intValue).toArray();
  }

  /** A track's labels by vote weight, heaviest first (ties by label), and the total weight. */
  private record Tally(List<Map.Entry<String, Double>> labels, double total) {
    static Tally of(Candidate c) {
      Map<String, Double> score = new HashMap<>();
      double total = 0;
      for (Ballot b : c.ballots()) {
        double w = b.weight();
        score.merge(b.label(), w, Double::sum);
        total += w;
      }
      List<Map.Entry<String, Double>> labels = new ArrayList<>(score.entrySet());
      labels.sort(
          Map.Entry.<String, Double>comparingByValue().reversed().thenComparing(Map.Entry::getKey));
      return new Tally(labels, total);
    }
  }

  /**
   * The tracks {@link #name} left {@code unknown} although their vote named an animal, because a
   * track given that animal first shares frames with them: for each, the first and last of those
   * shared frames. Outside that range the track may still be the animal (it lost it to a stronger
   * track only where they meet).
   */
  public static Map<Long, int[]> contested(
      List<Candidate> tracks, Map<Long, Named> named, double minShare) {
    Map<Long, int[]> out = new HashMap<>();
    for (Candidate c : tracks) {
      if (!named.get(c.trackId()).animalId().equals(OpenSetClassifier.UNKNOWN)) {
        continue;
      }
      Tally t = Tally.of(c);
      if (t.labels().isEmpty() || t.total() == 0) {
        continue;
      }
      String top = t.labels().get(0).getKey();
      if (top.equals(OpenSetClassifier.UNKNOWN)
          || t.labels().get(0).getValue() / t.total() < minShare) {
        continue;
      }
      int first = Integer.MAX_VALUE;
      int last = Integer.MIN_VALUE;
      for (Candidate other : tracks) {
        if (other.trackId() == c.trackId() || !top.equals(named.get(other.trackId()).animalId())) {
          continue;
        }
        for (int f : shared(c.frames(), other.frames())) {
          first = Math.min(first, f);
          last = Math.max(last, f);
        }
      }
      if (first <= last) {
        out.put(c.trackId(), new int[] {first, last});
      }
    }
    return out;
  }

  /** Names every track of one video. */
  public static Map<Long, Named> name(List<Candidate> tracks, double minShare) {
    record Ranked(Candidate c, Tally tally) {}
    List<Ranked> ranked = new ArrayList<>();
    for (Candidate c : tracks) {
      ranked.add(new Ranked(c, Tally.of(c)));
    }
    // Strongest evidence first: the best label's weight.
    ranked.sort(
        Comparator.comparingDouble(
                (Ranked r) ->
                    r.tally().labels().isEmpty() ? 0 : -r.tally().labels().get(0).getValue())
            .thenComparingLong(r -> r.c().trackId()));
    Map<Long, Named> out = new HashMap<>();
    List<Candidate> named = new ArrayList<>();
    Map<Long, String> chosen = new HashMap<>();
    for (Ranked r : ranked) {
      String animal = OpenSetClassifier.UNKNOWN;
      double strength = 0;
      Tally t = r.tally();
      for (Map.Entry<String, Double> e : t.labels()) {
        double share = t.total() == 0 ? 0 : e.getValue() / t.total();
        if (share < minShare) {
          break;
        }
        if (e.getKey().equals(OpenSetClassifier.UNKNOWN)) {
          strength = share;
          break;
        }
        boolean clash = false;
        for (Candidate other : named) {
          if (e.getKey().equals(chosen.get(other.trackId())) && overlaps(other, r.c())) {
            clash = true;
            break;
          }
        }
        if (!clash) {
          animal = e.getKey();
          strength = share;
          break;
        }
      }
      out.put(r.c().trackId(), new Named(r.c().trackId(), animal, strength));
      chosen.put(r.c().trackId(), animal);
      named.add(r.c());
    }
    return out;
  }

  /**
   * Joins the tracks of one video that were given the same animal: since two tracks seen in one
   * frame never share an animal ({@link #name}), they are pieces of one animal's path, cut where
   * the tracker lost it (hidden, missed by the detector, or moved too far). Returns each track's
   * joined id, the smallest id of its animal's tracks; {@code unknown} tracks keep their own.
   */
  public static Map<Long, Long> joinByIdentity(Map<Long, Named> named) {
    Map<String, Long> first = new HashMap<>();
    for (Named n : named.values()) {
      if (!n.animalId().equals(OpenSetClassifier.UNKNOWN)) {
        first.merge(n.animalId(), n.trackId(), Math::min);
      }
    }
    Map<Long, Long> joined = new HashMap<>();
    for (Named n : named.values()) {
      joined.put(n.trackId(), first.getOrDefault(n.animalId(), n.trackId()));
    }
    return joined;
  }

  /** The frames both ascending arrays hold. */
  private static List<Integer> shared(int[] x, int[] y) {
    List<Integer> out = new ArrayList<>();
    int i = 0;
    int j = 0;
    while (i < x.length && j < y.length) {
      if (x[i] == y[j]) {
        out.add(x[i]);
        i++;
        j++;
      } else if (x[i] < y[j]) {
        i++;
      } else {
        j++;
      }
    }
    return out;
  }

  /** Whether two tracks have a detection in one same frame. */
  private static boolean overlaps(Candidate a, Candidate b) {
    return !shared(a.frames(), b.frames()).isEmpty();
  }
}
