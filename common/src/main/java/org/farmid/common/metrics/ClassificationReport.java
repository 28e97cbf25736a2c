package org.farmid.common.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Accuracy, per-class and averaged precision, recall and F1, and the confusion matrix of a
 * classification, with scikit-learn's definitions: labels are every label seen in truth or
 * prediction, sorted; a class never predicted has precision 0; macro averages weigh each class
 * alike, weighted averages by its support (its count in the truth).
 */
public final class ClassificationReport {

  /** Figures of one class. */
  public record ClassFigures(
      String label, double precision, double recall, double f1, long support) {}

  private final List<String> labels;
  private final long[][] confusion;
  private final List<ClassFigures> perClass;
  private final double accuracy;

  private ClassificationReport(List<String> labels, long[][] confusion) {
    this.labels = List.copyOf(labels);
    this.confusion = confusion;
    int n = labels.size();
    long correct = 0;
    long total = 0;
    List<ClassFigures> figures = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      long tp = confusion[i][i];
      long predicted = 0;
      long actual = 0;
      for (int j = 0; j < n; j++) {
        predicted += confusion[j][i];
        actual += confusion[i][j];
      }
      correct += tp;
      total += actual;
      double p = predicted == 0 ? 0 : (double) tp / predicted;
      double r = actual == 0 ? 0 : (double) tp / actual;
      double f1 = p + r == 0 ? 0 : 2 * p * r / (p + r);
      figures.add(new ClassFigures(labels.get(i), p, r, f1, actual));
    }
    this.perClass = List.copyOf(figures);
    this.accuracy = total == 0 ? 0 : (double) correct / total;
  }

  /** The report of parallel lists of true and predicted labels. */
  public static ClassificationReport of(List<String> truth, List<String> predicted) {
    if (truth.size() != predicted.size()) {
      throw new IllegalArgumentException(
          truth.size() + " true labels but " + predicted.size() + " predictions");
    }
    TreeSet<String> all = new TreeSet<>(truth);
    all.addAll(predicted);
    List<String> labels = new ArrayList<>(all);
    Map<String, Integer> index = new LinkedHashMap<>();
    for (int i = 0; i < labels.size(); i++) {
      index.put(labels.get(i), i);
    }
    long[][] confusion = new long[labels.size()][labels.size()];
    for (int k = 0; k < truth.size(); k++) {
      confusion[index.get(truth.get(k))][index.get(predicted.get(k))]++;
    }
    return new ClassificationReport(labels, confusion);
  }

  /**
   * The report of counted (truth, prediction) pairs, as a confusion table stores them; labels are
   * every label seen, sorted.
   */
  public static ClassificationReport ofCounts(Map<List<String>, Long> counts) {
    TreeSet<String> all = new TreeSet<>();
    counts.keySet().forEach(all::addAll);
    List<String> labels = new ArrayList<>(all);
    Map<String, Integer> index = new LinkedHashMap<>();
    for (int i = 0; i < labels.size(); i++) {
      index.put(labels.get(i), i);
    }
    long[][] confusion = new long[labels.size()][labels.size()];
    counts.forEach(
        (pair, n) -> {
          if (pair.size() != 2) {
            throw new IllegalArgumentException("a count needs [truth, prediction], got " + pair);
          }
          confusion[index.get(pair.get(0))][index.get(pair.get(1))] += n;
        });
    return new ClassificationReport(labels, confusion);
  }

  public double accuracy() {
    return accuracy;
  }

  /** Labels in the order of the confusion matrix's rows (truth) and columns (prediction). */
  public List<String> labels() {
    return labels;
  }

  public long[][] confusion() {
    long[][] copy = new long[confusion.length][];
    for (int i = 0; i < confusion.length; i++) {
      copy[i] = confusion[i].clone();
    }
    return copy;
  }

  public List<ClassFigures> perClass() {
    return perClass;
  }

  public double macroPrecision() {
    return perClass.stream().mapToDouble(ClassFigures::precision).average().orElse(0);
  }

  public double macroRecall() {
    return perClass.stream().mapToDouble(ClassFigures::recall).average().orElse(0);
  }

  public double macroF1() {
    return perClass.stream().mapToDouble(ClassFigures::f1).average().orElse(0);
  }

  public double weightedPrecision() {
    return weighted(ClassFigures::precision);
  }

  public double weightedRecall() {
    return weighted(ClassFigures::recall);
  }

  public double weightedF1() {
    return weighted(ClassFigures::f1);
  }

  private double weighted(java.util.function.ToDoubleFunction<ClassFigures> f) {
    long support = perClass.stream().mapToLong(ClassFigures::support).sum();
    if (support == 0) {
      return 0;
    }
    double sum = 0;
    for (ClassFigures c : perClass) {
      sum += f.applyAsDouble(c) * c.support();
    }
    return sum / support;
  }
}
