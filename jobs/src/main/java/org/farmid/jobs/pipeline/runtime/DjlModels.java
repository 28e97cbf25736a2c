package org.farmid.jobs.pipeline.runtime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.farmid.common.config.PipelineSettings;
import org.farmid.common.detect.Detector;
import org.farmid.common.embed.Embedder;
import org.farmid.common.embed.TransformAverage;
import org.farmid.jobs.spark.Storage;
import org.farmid.models.detect.DetectorOptions;
import org.farmid.models.detect.DjlDetector;
import org.farmid.models.embed.DjlEmbedder;
import org.farmid.models.embed.InvalidModelException;
import org.farmid.models.embed.ModelCard;

/**
 * The real models: DJL TensorFlow SavedModels from two folders. DJL's model cache makes each folder
 * load once per executor JVM; each task opens its own predictors and closes them.
 */
public final class DjlModels implements ModelProvider {
  private static final long serialVersionUID = 1L;
  public static final int EMBEDDING_SIZE = 64;

  private final String detectorDir;
  private final String embedderDir;
  private final float scoreThreshold;
  private final int maxDetections;
  private final double extraNmsIou;
  private final int embedBatch;
  private final TransformAverage.Mode embedAverage;

  private DjlModels(String detectorDir, String embedderDir, PipelineSettings s) {
    this.detectorDir = detectorDir;
    this.embedderDir = embedderDir;
    this.scoreThreshold = s.scoreThreshold();
    this.maxDetections = s.maxDetections();
    this.extraNmsIou = s.extraNmsIou();
    this.embedBatch = s.embedBatch();
    this.embedAverage = s.embedAverage();
  }

  /**
   * Resolves the settings' model folders (absolute, or relative to {@code farmid.home}, then to the
   * working directory) and checks them on the driver, before any executor work.
   */
  public static DjlModels fromSettings(PipelineSettings s, boolean needDetector)
      throws InvalidModelException {
    String detLocation = location(s.detectorModel());
    String embLocation = location(s.embedderModel());
    Path det = local("farmid.pipeline.detector-model", detLocation);
    Path emb = local("farmid.pipeline.embedder-model", embLocation);
    ModelCard card = ModelCard.readEmbedder(emb, EMBEDDING_SIZE);
    String refusal =
        s.embedAverage().refusal("model " + emb, card.inputWidth(), card.inputHeight());
    if (refusal != null) {
      throw new InvalidModelException("setting " + PipelineSettings.EMBED_AVERAGE + ": " + refusal);
    }
    if (needDetector) {
      try {
        DjlDetector.checkSignature(det);
      } catch (InvalidModelException e) {
        throw new InvalidModelException(
            e.getMessage() + " (setting farmid.pipeline.detector-model)");
      }
    }
    return new DjlModels(detLocation, embLocation, s);
  }

  /**
   * Where a model setting points: a Hadoop filesystem URI as given ({@code hdfs://nn/models/det}),
   * or a local folder resolved as {@link #resolve} does.
   */
  public static String location(String setting) {
    return Storage.isUri(setting) ? Storage.location(setting) : resolve(setting).toString();
  }

  /** A local folder with the model's files: the folder, or this JVM's copy of a URI's files. */
  private static Path local(String setting, String location) {
    try {
      return LocalCopies.folder(setting, location).local();
    } catch (java.io.IOException e) {
      String why = Storage.explain(setting, location, e);
      throw new IllegalStateException(why != null ? why : e.getMessage(), e);
    }
  }

  public static Path resolve(String path) {
    Path p = Path.of(path);
    if (p.isAbsolute()) {
      return p.normalize();
    }
    String home = System.getProperty("farmid.home");
    if (home != null && Files.exists(Path.of(home).resolve(p))) {
      return Path.of(home).resolve(p).toAbsolutePath().normalize();
    }
    return p.toAbsolutePath().normalize();
  }

  @Override
  public Detector detector() {
    try {
      return DjlDetector.open(
          local("farmid.pipeline.detector-model", detectorDir),
          new DetectorOptions(scoreThreshold, Set.of(), maxDetections, extraNmsIou),
          ExecutorRuntime.current());
    } catch (InvalidModelException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  @Override
  public Embedder embedder() {
    try {
      return TransformAverage.of(
          DjlEmbedder.open(
              local("farmid.pipeline.embedder-model", embedderDir),
              EMBEDDING_SIZE,
              embedBatch,
              ExecutorRuntime.current()),
          embedAverage);
    } catch (InvalidModelException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  /** The embedder's model folder (on a URI: this JVM's local copy). */
  public Path embedderDir() {
    return local("farmid.pipeline.embedder-model", embedderDir);
  }

  @Override
  public String detectorId() {
    String trimmed = detectorDir.replaceAll("/+$", "");
    return trimmed.substring(trimmed.lastIndexOf('/') + 1);
  }

  @Override
  public String embedderId() {
    try {
      Path dir = embedderDir();
      return embedAverage.modelId(
          DjlEmbedder.modelId(dir, ModelCard.readEmbedder(dir, EMBEDDING_SIZE)));
    } catch (InvalidModelException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }
}
