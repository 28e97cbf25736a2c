package org.farmid.jobs.report;

import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.knowm.xchart.AnnotationLine;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.Histogram;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The report's charts, built with XChart from plain data and written as PNG files. Each method
 * takes exactly the numbers it draws, so the arithmetic (normalising, binning) is testable without
 * a warehouse.
 */
public final class Charts {
  private static final int WIDTH = 1100;
  private static final int HEIGHT = 800;

  private Charts() {}

  /**
   * The confusion matrix normalised per true label (each row sums to 1; a row without detections
   * stays 0), as a heat map with the labels on both axes.
   *
   * @param labels row and column labels, in display order
   * @param counts {@code counts[t][p]}: detections of true label t predicted as p
   */
  public static void confusion(String title, List<String> labels, long[][] counts, Path png)
      throws IOException {
    double[][] share = rowNormalised(counts);
    int n = labels.size();
    HeatMapChart chart =
        new HeatMapChartBuilder()
            .width(Math.max(WIDTH, 120 + 48 * n))
            .height(Math.max(HEIGHT, 120 + 40 * n))
            .title(title)
            .xAxisTitle("predicted")
            .yAxisTitle("true")
            .build();
    List<Number[]> cells = new ArrayList<>();
    // XChart draws the first y label at the bottom: reverse the rows so the matrix reads top-down.
    List<String> yLabels = new ArrayList<>(labels);
    java.util.Collections.reverse(yLabels);
    for (int t = 0; t < n; t++) {
      for (int p = 0; p < n; p++) {
        cells.add(new Number[] {p, n - 1 - t, share[t][p]});
      }
    }
    chart.getStyler().setShowValue(n <= 24);
    chart.getStyler().setHeatMapValueDecimalPattern("0.00");
    chart.getStyler().setValueFont(new Font(Font.SANS_SERIF, Font.PLAIN, n <= 12 ? 12 : 9));
    chart.getStyler().setMin(0);
    chart.getStyler().setMax(1);
    chart.getStyler().setRangeColors(new Color[] {Color.WHITE, new Color(0x1f, 0x5f, 0xa8)});
    chart.getStyler().setXAxisLabelRotation(60);
    chart.getStyler().setLegendVisible(true);
    chart.addSeries("share of true label", labels, yLabels, cells);
    save(chart, png);
  }

  /** Each row divided by its sum; rows summing to 0 stay 0. */
  public static double[][] rowNormalised(long[][] counts) {
    double[][] out = new double[counts.length][];
    for (int i = 0; i < counts.length; i++) {
      long sum = 0;
      for (long c : counts[i]) {
        sum += c;
      }
      out[i] = new double[counts[i].length];
      for (int j = 0; j < counts[i].length; j++) {
        out[i][j] = sum == 0 ? 0 : counts[i][j] / (double) sum;
      }
    }
    return out;
  }

  /** One bar per animal, F1 on a 0..1 axis, the animal's support in its label. */
  public static void f1Bars(
      String title, Map<String, Double> f1, Map<String, Long> support, Path png)
      throws IOException {
    CategoryChart chart =
        new CategoryChartBuilder()
            .width(Math.max(WIDTH, 80 + 40 * f1.size()))
            .height(HEIGHT / 2 + 200)
            .title(title)
            .xAxisTitle("animal (crops matched)")
            .yAxisTitle("F1")
            .build();
    List<String> names = new ArrayList<>();
    List<Double> values = new ArrayList<>();
    for (Map.Entry<String, Double> e : f1.entrySet()) {
      names.add(e.getKey() + " (" + support.getOrDefault(e.getKey(), 0L) + ")");
      values.add(e.getValue() == null ? 0.0 : e.getValue());
    }
    chart.getStyler().setYAxisMin(0.0);
    chart.getStyler().setYAxisMax(1.0);
    chart.getStyler().setLegendVisible(false);
    chart.getStyler().setXAxisLabelRotation(60);
    chart.getStyler().setLabelsVisible(true);
    chart.getStyler().setLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
    chart.getStyler().setLabelsPosition(0.98);
    chart.getStyler().setYAxisDecimalPattern("0.00");
    chart.getStyler().setSeriesColors(new Color[] {new Color(0x2e, 0x7d, 0x32)});
    chart.addSeries("f1", names, values);
    save(chart, png);
  }

  /**
   * Points of a 2-D projection coloured by animal, one series per animal, and each animal's mean
   * drawn as a large black-edged diamond in the same colour.
   */
  public static void projection(
      String title,
      List<String> pointLabels,
      double[][] points,
      Map<String, double[]> means,
      Path png)
      throws IOException {
    XYChart chart =
        new XYChartBuilder()
            .width(WIDTH)
            .height(HEIGHT)
            .title(title)
            .xAxisTitle("PC 1")
            .yAxisTitle("PC 2")
            .build();
    chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
    chart.getStyler().setMarkerSize(5);
    java.util.TreeSet<String> animals = new java.util.TreeSet<>(NATURAL);
    animals.addAll(pointLabels);
    animals.addAll(means.keySet());
    int i = 0;
    for (String animal : animals) {
      Color colour = colour(i++, animals.size());
      List<Double> xs = new ArrayList<>();
      List<Double> ys = new ArrayList<>();
      for (int k = 0; k < points.length; k++) {
        if (pointLabels.get(k).equals(animal)) {
          xs.add(points[k][0]);
          ys.add(points[k][1]);
        }
      }
      if (!xs.isEmpty()) {
        XYSeries s = chart.addSeries(animal, xs, ys);
        s.setMarker(SeriesMarkers.CIRCLE);
        s.setMarkerColor(colour);
      }
      double[] m = means.get(animal);
      if (m != null) {
        XYSeries s = chart.addSeries("mean " + animal, List.of(m[0]), List.of(m[1]));
        s.setMarker(SeriesMarkers.DIAMOND);
        s.setMarkerColor(colour.darker());
        s.setShowInLegend(false);
      }
    }
    chart.getStyler().setMarkerSize(6);
    save(chart, png);
  }

  /**
   * Histograms of the distance to the nearest mean for two groups of detections, each as a share of
   * its own group so groups of very different size compare, with the threshold drawn.
   */
  public static void distances(
      String title,
      String firstName,
      List<Double> first,
      String secondName,
      List<Double> second,
      double threshold,
      Path png)
      throws IOException {
    double max = threshold;
    for (double d : first) {
      max = Math.max(max, d);
    }
    for (double d : second) {
      max = Math.max(max, d);
    }
    max = Math.max(max * 1.05, 1e-6);
    int bins = 40;
    XYChart chart =
        new XYChartBuilder()
            .width(WIDTH)
            .height(HEIGHT * 3 / 4)
            .title(title)
            .xAxisTitle("distance to the nearest mean")
            .yAxisTitle("share of the group's detections")
            .build();
    chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.StepArea);
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
    chart.getStyler().setXAxisMin(0.0);
    chart.getStyler().setXAxisMax(max);
    chart
        .getStyler()
        .setSeriesColors(new Color[] {new Color(46, 125, 50, 140), new Color(198, 40, 40, 140)});
    chart.getStyler().setMarkerSize(0);
    addHistogram(chart, firstName, first, bins, max);
    addHistogram(chart, secondName, second, bins, max);
    chart.addAnnotation(new AnnotationLine(threshold, true, false));
    chart.getStyler().setAnnotationLineColor(Color.BLACK);
    save(chart, png);
  }

  /** Bin shares (summing to 1 over the bins) of values in {@code [0, max]}. */
  public static double[] shares(List<Double> values, int bins, double max) {
    double[] out = new double[bins];
    if (values.isEmpty()) {
      return out;
    }
    // a mutable copy: XChart probes the data with contains(null), which List.of refuses
    Histogram h = new Histogram(new ArrayList<>(values), bins, 0, max);
    List<Double> y = h.getyAxisData();
    for (int i = 0; i < bins; i++) {
      out[i] = y.get(i) / values.size();
    }
    return out;
  }

  private static void addHistogram(
      XYChart chart, String name, List<Double> values, int bins, double max) {
    if (values.isEmpty()) {
      return;
    }
    double[] share = shares(values, bins, max);
    double[] x = new double[bins];
    for (int i = 0; i < bins; i++) {
      x[i] = (i + 0.5) * max / bins;
    }
    chart.addSeries(String.format(Locale.ROOT, "%s (%d)", name, values.size()), x, share);
  }

  /** Animal ids in reading order: numbers by value (2 before 10), the rest alphabetically. */
  public static final java.util.Comparator<String> NATURAL =
      (a, b) -> {
        boolean na = a.matches("\\d{1,18}");
        boolean nb = b.matches("\\d{1,18}");
        if (na && nb) {
          return Long.compare(Long.parseLong(a), Long.parseLong(b));
        }
        if (na != nb) {
          return na ? -1 : 1;
        }
        return a.compareTo(b);
      };

  /** Evenly spaced hues, so neighbouring animals differ. */
  static Color colour(int i, int n) {
    float hue = (i * 0.618034f) % 1f;
    return Color.getHSBColor(hue, 0.75f, i % 2 == 0 ? 0.85f : 0.6f);
  }

  private static void save(org.knowm.xchart.internal.chartpart.Chart<?, ?> chart, Path png)
      throws IOException {
    BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
  }
}
