package org.farmid.common.embed;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import javax.imageio.ImageIO;
import org.farmid.common.image.CropPreprocessor;
import org.farmid.common.metrics.ClassificationReport;
import org.farmid.common.train.LabelledCrops;

/**
 * The published method's evaluation on labelled crops: embed the gallery crops, take one
 * re-normalised mean per animal, and name every query crop after the nearest mean.
 */
public final class CropEvaluation {

  /**
   * The report, how fast crops were embedded, and every crop's embedding (in the order of the
   * gallery and query lists given).
   */
  public record Outcome(
      ClassificationReport report,
      int galleryCrops,
      int queryCrops,
      double cropsPerSecond,
      List<float[]> galleryEmbeddings,
      List<float[]> queryEmbeddings) {}

  private CropEvaluation() {}

  public static Outcome run(
      Embedder embedder,
      List<LabelledCrops.Crop> gallery,
      List<LabelledCrops.Crop> queries,
      Consumer<String> progress)
      throws IOException {
    return run(embedder, embedder, gallery, queries, 1, 0, null, progress);
  }

  /**
   * As {@link #run(Embedder, List, List, Consumer)}, embedding the gallery with {@code
   * galleryEmbedder} (the same model seeing the crops otherwise, such as in an {@link
   * InfraredLook}) and the queries with {@code embedder}, each animal's gallery crops summarised by
   * up to {@code meansPerAnimal} cluster means ({@link NearestMean#fit(List, List, int)}), and
   * those means moved toward the queries at {@code adaptWeight} before the queries are named
   * ({@link NearestMean#movedToward}; 0: not moved), as {@code run} adapts its gallery to an
   * archive. With {@code propagation} set, the queries are named together with the gallery crops by
   * {@link LabelPropagation} instead of one by one after the means (means per animal and the adapt
   * weight must then be 1 and 0).
   */
  public static Outcome run(
      Embedder galleryEmbedder,
      Embedder embedder,
      List<LabelledCrops.Crop> gallery,
      List<LabelledCrops.Crop> queries,
      int meansPerAnimal,
      double adaptWeight,
      LabelPropagation.Settings propagation,
      Consumer<String> progress)
      throws IOException {
    if (propagation != null && (meansPerAnimal != 1 || adaptWeight != 0)) {
      throw new IllegalArgumentException(
          "label propagation names the queries from the gallery crops themselves: no means per"
              + " animal or adapt weight beside it");
    }
    CropPreprocessor pre = embedder.preprocessor();
    long t0 = System.nanoTime();
    progress.accept("embedding " + gallery.size() + " gallery crops");
    float[][] ge = embedAll(galleryEmbedder, galleryEmbedder.preprocessor(), gallery);
    progress.accept("embedding " + queries.size() + " query crops");
    float[][] qe = embedAll(embedder, pre, queries);
    double seconds = (System.nanoTime() - t0) / 1e9;
    List<String> galleryLabels = gallery.stream().map(LabelledCrops.Crop::identity).toList();
    List<String> predicted;
    if (propagation != null) {
      progress.accept(
          "naming the "
              + queries.size()
              + " queries together (label propagation over "
              + (gallery.size() + queries.size())
              + " crops)");
      predicted = LabelPropagation.name(galleryLabels, List.of(ge), List.of(qe), propagation);
    } else {
      NearestMean nm = NearestMean.fit(galleryLabels, List.of(ge), meansPerAnimal);
      if (adaptWeight > 0) {
        nm = nm.movedToward(List.of(qe), adaptWeight);
      }
      predicted = new ArrayList<>(queries.size());
      for (float[] q : qe) {
        predicted.add(nm.classify(q).label());
      }
    }
    List<String> truth = queries.stream().map(LabelledCrops.Crop::identity).toList();
    return new Outcome(
        ClassificationReport.of(truth, predicted),
        gallery.size(),
        queries.size(),
        (gallery.size() + queries.size()) / seconds,
        List.of(ge),
        List.of(qe));
  }

  /** Crops split into a gallery and the queries to name against it. */
  public record Split(List<LabelledCrops.Crop> gallery, List<LabelledCrops.Crop> queries) {}

  /**
   * Night crops against day enrolment: each animal's colour crops form its gallery and its infrared
   * ones ({@link org.farmid.common.image.FrameLight}) are the queries; animals without both are
   * left out.
   */
  public static Split nightQueries(List<LabelledCrops.Crop> crops) throws IOException {
    List<LabelledCrops.Crop> day = new ArrayList<>();
    List<LabelledCrops.Crop> night = new ArrayList<>();
    for (LabelledCrops.Crop c : crops) {
      (org.farmid.common.image.FrameLight.isInfrared(read(c)) ? night : day).add(c);
    }
    java.util.Set<String> both = new java.util.HashSet<>();
    day.forEach(c -> both.add(c.identity()));
    both.retainAll(night.stream().map(LabelledCrops.Crop::identity).toList());
    day.removeIf(c -> !both.contains(c.identity()));
    night.removeIf(c -> !both.contains(c.identity()));
    return new Split(day, night);
  }

  /** Each crop's embedding, in order, as the embedder's own preprocessing feeds it. */
  public static float[][] embed(Embedder embedder, List<LabelledCrops.Crop> crops)
      throws IOException {
    return embedAll(embedder, embedder.preprocessor(), crops);
  }

  private static float[][] embedAll(
      Embedder embedder, CropPreprocessor pre, List<LabelledCrops.Crop> crops) throws IOException {
    float[][] out = new float[crops.size()][];
    int chunk = 256;
    for (int start = 0; start < crops.size(); start += chunk) {
      List<byte[]> inputs = new ArrayList<>();
      for (LabelledCrops.Crop c : crops.subList(start, Math.min(crops.size(), start + chunk))) {
        inputs.add(pre.apply(read(c)));
      }
      float[][] e = embedder.embed(inputs);
      System.arraycopy(e, 0, out, start, e.length);
    }
    return out;
  }

  /** Reads a crop; the error names the file. */
  public static BufferedImage read(LabelledCrops.Crop c) throws IOException {
    BufferedImage img;
    try {
      img = ImageIO.read(c.path().toFile());
    } catch (IOException e) {
      throw new IOException("cannot read crop " + c.path() + ": " + e.getMessage(), e);
    }
    if (img == null) {
      throw new IOException("crop " + c.path() + " is not a readable image");
    }
    return img;
  }
}
