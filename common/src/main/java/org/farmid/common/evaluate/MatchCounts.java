package org.farmid.common.evaluate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.farmid.common.gallery.OpenSetClassifier;

/**
 * Counts of matched, missed and spurious boxes and of the (true label, predicted label) pairs of
 * the matched ones, added up from grouped counts; gives the {@link OpenSetFigures} and the count
 * each figure rests on.
 */
public final class MatchCounts {
  private long matched;
  private long spurious;
  private long missed;
  private final Map<List<String>, Long> identity = new LinkedHashMap<>();

  /** Adds {@code n} outcomes; the labels count only for {@link MatchOutcome#MATCHED}. */
  public MatchCounts add(MatchOutcome outcome, String trueLabel, String predictedLabel, long n) {
    switch (outcome) {
      case MISSED -> missed += n;
      case SPURIOUS -> spurious += n;
      case MATCHED -> {
        matched += n;
        identity.merge(List.of(trueLabel, predictedLabel), n, Long::sum);
      }
    }
    return this;
  }

  public long matched() {
    return matched;
  }

  public OpenSetFigures figures() {
    return OpenSetFigures.of(matched, spurious, missed, identity);
  }

  /** The (true label, predicted label) counts of matched boxes, in the order first added. */
  public Map<List<String>, Long> identity() {
    return identity;
  }

  /** Matched boxes whose truth is a visitor ({@link OpenSetClassifier#UNKNOWN}). */
  public long visitors() {
    return identity.entrySet().stream()
        .filter(e -> e.getKey().get(0).equals(OpenSetClassifier.UNKNOWN))
        .mapToLong(Map.Entry::getValue)
        .sum();
  }

  /** For each figure of {@link OpenSetFigures#summary}, the count it rests on. */
  public Map<String, Long> support(OpenSetFigures f) {
    long visitors = visitors();
    Map<String, Long> support = new LinkedHashMap<>();
    support.put("detection_precision", matched + f.falsePositives());
    support.put("detection_recall", matched + f.falseNegatives());
    support.put("accuracy", matched);
    support.put("macro_f1", (long) f.perAnimal().size());
    support.put("weighted_f1", matched - visitors);
    support.put("unknown_rejection_rate", visitors);
    support.put("false_unknown_rate", matched - visitors);
    return support;
  }
}
