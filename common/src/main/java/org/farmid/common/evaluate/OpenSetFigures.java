package org.farmid.common.evaluate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.farmid.common.gallery.OpenSetClassifier;
import org.farmid.common.metrics.ClassificationReport;

/**
 * The figures of one evaluation of the pipeline against ground truth.
 *
 * <p>Detection: a detection matched to a ground-truth box (IoU at or above the threshold) is a true
 * positive; unmatched detections are false positives, unmatched boxes false negatives.
 *
 * <p>Identity, over matched detections only: a visitor's true label is {@code unknown}. Accuracy
 * counts every matched detection; per-animal and macro/weighted figures are over registered animals
 * (the classes the gallery knows), where a registered animal called {@code unknown} counts against
 * its recall and a visitor named as an animal against that animal's precision.
 *
 * @param unknownRejectionRate share of visitor detections called unknown (NaN without visitors)
 * @param falseUnknownRate share of registered-animal detections called unknown
 */
public record OpenSetFigures(
    long truePositives,
    long falsePositives,
    long falseNegatives,
    double detectionPrecision,
    double detectionRecall,
    double accuracy,
    double macroF1,
    double weightedF1,
    double unknownRejectionRate,
    double falseUnknownRate,
    List<ClassificationReport.ClassFigures> perAnimal,
    ClassificationReport report) {

  /**
   * Computes the figures from detection counts and the (truth, prediction) counts of matched
   * detections.
   */
  public static OpenSetFigures of(
      long truePositives,
      long falsePositives,
      long falseNegatives,
      Map<List<String>, Long> identityCounts) {
    ClassificationReport report = ClassificationReport.ofCounts(identityCounts);
    String unknown = OpenSetClassifier.UNKNOWN;
    long visitors = 0;
    long visitorsRejected = 0;
    long registered = 0;
    long registeredUnknown = 0;
    for (Map.Entry<List<String>, Long> e : identityCounts.entrySet()) {
      boolean visitor = e.getKey().get(0).equals(unknown);
      boolean calledUnknown = e.getKey().get(1).equals(unknown);
      if (visitor) {
        visitors += e.getValue();
        visitorsRejected += calledUnknown ? e.getValue() : 0;
      } else {
        registered += e.getValue();
        registeredUnknown += calledUnknown ? e.getValue() : 0;
      }
    }
    Set<String> truthLabels = new java.util.TreeSet<>();
    identityCounts.keySet().forEach(k -> truthLabels.add(k.get(0)));
    List<ClassificationReport.ClassFigures> perAnimal = new ArrayList<>();
    for (ClassificationReport.ClassFigures c : report.perClass()) {
      if (!c.label().equals(unknown) && truthLabels.contains(c.label())) {
        perAnimal.add(c);
      }
    }
    double macro = perAnimal.stream().mapToDouble(c -> c.f1()).average().orElse(Double.NaN);
    long support = perAnimal.stream().mapToLong(c -> c.support()).sum();
    double weighted =
        support == 0
            ? Double.NaN
            : perAnimal.stream().mapToDouble(c -> c.f1() * c.support()).sum() / support;
    return new OpenSetFigures(
        truePositives,
        falsePositives,
        falseNegatives,
        ratio(truePositives, truePositives + falsePositives),
        ratio(truePositives, truePositives + falseNegatives),
        report.accuracy(),
        macro,
        weighted,
        ratio(visitorsRejected, visitors),
        ratio(registeredUnknown, registered),
        List.copyOf(perAnimal),
        report);
  }

  private static double ratio(long a, long b) {
    return b == 0 ? Double.NaN : (double) a / b;
  }

  /** The figures the {@code evaluate} command reports, by their JSON names. */
  public Map<String, Object> summary() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("detection_precision", detectionPrecision);
    m.put("detection_recall", detectionRecall);
    m.put("accuracy", accuracy);
    m.put("macro_f1", macroF1);
    m.put("weighted_f1", weightedF1);
    m.put("unknown_rejection_rate", unknownRejectionRate);
    m.put("false_unknown_rate", falseUnknownRate);
    return m;
  }

  /** The identity figures of track-voted detections, by their JSON and metric names. */
  public Map<String, Object> trackSummary() {
    Map<String, Object> t = new LinkedHashMap<>();
    t.put("track_accuracy", accuracy);
    t.put("track_macro_f1", macroF1);
    t.put("track_weighted_f1", weightedF1);
    t.put("track_unknown_rejection_rate", unknownRejectionRate);
    t.put("track_false_unknown_rate", falseUnknownRate);
    return t;
  }
}
