package org.farmid.jobs.pipeline.enrol;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.farmid.common.embed.Embedder;
import org.farmid.common.image.CropPreprocessor;
import org.farmid.jobs.pipeline.runtime.LocalCopies;
import org.farmid.jobs.pipeline.runtime.ModelProvider;

/**
 * The enrol task: reads each labelled crop image of its partition, preprocesses it exactly as
 * detect does, and embeds the readable ones in one batch; an unreadable image becomes an error.
 */
public final class EmbedCrops
    implements FlatMapFunction<Iterator<EmbedCrops.Crop>, EmbedCrops.Out> {
  private static final long serialVersionUID = 1L;

  /** A crop to embed: its file, its path below the crops folder, its animal. */
  public record Crop(String path, String ref, String animalId) implements Serializable {}

  /** An embedded crop, or the reason it could not be read ({@code embedding} null). */
  public record Out(Crop crop, float[] embedding, String embedderId, String error)
      implements Serializable {}

  private final ModelProvider models;
  private final org.apache.spark.util.LongAccumulator embedded;

  /** {@code embedded} (may be null) counts the crops embedded, for progress lines. */
  public EmbedCrops(ModelProvider models, org.apache.spark.util.LongAccumulator embedded) {
    this.models = models;
    this.embedded = embedded;
  }

  @Override
  public Iterator<Out> call(Iterator<Crop> crops) {
    if (!crops.hasNext()) {
      return List.<Out>of().iterator();
    }
    Embedder embedder = models.embedder();
    TaskContext ctx = TaskContext.get();
    if (ctx != null) {
      ctx.addTaskCompletionListener(
          (org.apache.spark.util.TaskCompletionListener) c -> ModelProvider.closeQuietly(embedder));
    }
    CropPreprocessor pre = embedder.preprocessor();
    List<Out> out = new ArrayList<>();
    List<Crop> good = new ArrayList<>();
    List<byte[]> inputs = new ArrayList<>();
    while (crops.hasNext()) {
      Crop c = crops.next();
      try {
        BufferedImage img;
        try (java.io.InputStream in = LocalCopies.open(c.path())) {
          img = ImageIO.read(in);
        }
        if (img == null) {
          out.add(new Out(c, null, null, "not a readable image (no decoder for its content)"));
          continue;
        }
        if (img.getWidth() < 2 || img.getHeight() < 2) {
          out.add(
              new Out(c, null, null, "image too small: " + img.getWidth() + "x" + img.getHeight()));
          continue;
        }
        inputs.add(pre.apply(img));
        good.add(c);
      } catch (IOException | RuntimeException e) {
        out.add(new Out(c, null, null, "cannot read image: " + e.getMessage()));
      }
    }
    float[][] embeddings = inputs.isEmpty() ? new float[0][] : embedder.embed(inputs);
    for (int i = 0; i < good.size(); i++) {
      out.add(new Out(good.get(i), embeddings[i], embedder.modelId(), null));
    }
    if (embedded != null) {
      embedded.add(good.size());
    }
    if (ctx == null) {
      ModelProvider.closeQuietly(embedder);
    }
    return out.iterator();
  }
}
