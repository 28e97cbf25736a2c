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
import org.farmid.common.embed.InfraredLook;
import org.farmid.common.image.CropPreprocessor;
import org.farmid.common.image.FrameLight;
import org.farmid.jobs.pipeline.runtime.LocalCopies;
import org.farmid.jobs.pipeline.runtime.ModelProvider;

/**
 * The enrol task: reads each labelled crop image of its partition, preprocesses it exactly as
 * detect does, and embeds the readable ones in one batch; an unreadable image becomes an error.
 * Given the night cameras' {@link InfraredLook}, each crop is also embedded as such a camera would
 * show it (an infrared crop already is: its own embedding serves).
 */
public final class EmbedCrops
    implements FlatMapFunction<Iterator<EmbedCrops.Crop>, EmbedCrops.Out> {
  private static final long serialVersionUID = 1L;

  /** A crop to embed: its file, its path below the crops folder, its animal. */
  public record Crop(String path, String ref, String animalId) implements Serializable {}

  /**
   * An embedded crop, or the reason it could not be read ({@code embedding} null); {@code
   * infraredEmbedding} is null without a look.
   */
  public record Out(
      Crop crop, float[] embedding, float[] infraredEmbedding, String embedderId, String error)
      implements Serializable {
    static Out failed(Crop crop, String error) {
      return new Out(crop, null, null, null, error);
    }
  }

  private final ModelProvider models;
  private final InfraredLook look;
  private final org.apache.spark.util.LongAccumulator embedded;

  /**
   * @param look the night cameras' look; null: no infrared embeddings
   * @param embedded counts the crops embedded, for progress lines (may be null)
   */
  public EmbedCrops(
      ModelProvider models, InfraredLook look, org.apache.spark.util.LongAccumulator embedded) {
    this.models = models;
    this.look = look;
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
    // each readable crop's input, and the input of its infrared embedding (-1: none)
    List<Integer> own = new ArrayList<>();
    List<Integer> night = new ArrayList<>();
    while (crops.hasNext()) {
      Crop c = crops.next();
      try {
        BufferedImage img;
        try (java.io.InputStream in = LocalCopies.open(c.path())) {
          img = ImageIO.read(in);
        }
        if (img == null) {
          out.add(Out.failed(c, "not a readable image (no decoder for its content)"));
          continue;
        }
        if (img.getWidth() < 2 || img.getHeight() < 2) {
          out.add(Out.failed(c, "image too small: " + img.getWidth() + "x" + img.getHeight()));
          continue;
        }
        byte[] input = pre.apply(img);
        inputs.add(input);
        good.add(c);
        own.add(inputs.size() - 1);
        if (look == null) {
          night.add(-1); // no infrared embedding
        } else if (FrameLight.isInfrared(img)) {
          night.add(inputs.size() - 1); // an infrared crop: its own embedding serves
        } else {
          inputs.add(look.apply(input));
          night.add(inputs.size() - 1);
        }
      } catch (IOException | RuntimeException e) {
        out.add(Out.failed(c, "cannot read image: " + e.getMessage()));
      }
    }
    float[][] embeddings = inputs.isEmpty() ? new float[0][] : embedder.embed(inputs);
    for (int i = 0; i < good.size(); i++) {
      int k = night.get(i);
      out.add(
          new Out(
              good.get(i),
              embeddings[own.get(i)],
              k < 0 ? null : embeddings[k],
              embedder.modelId(),
              null));
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
