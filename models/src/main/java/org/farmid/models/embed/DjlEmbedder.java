package org.farmid.models.embed;

import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.Batchifier;
import ai.djl.translate.TranslateException;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.farmid.common.embed.Embedder;
import org.farmid.common.image.CropPreprocessor;
import org.farmid.models.tf.ModelRuntime;
import org.farmid.models.tf.SavedModels;

/**
 * The embedder served by DJL's TensorFlow engine, offline. A model folder is loaded once per JVM
 * and shared; each thread gets its own {@link Predictor}; inputs go through {@code batchPredict} in
 * batches of the configured size, and every NDArray lives in a manager closed with its batch.
 */
public final class DjlEmbedder implements Embedder, AutoCloseable {
  private static final ConcurrentHashMap<List<Object>, ZooModel<byte[], float[]>> MODELS =
      new ConcurrentHashMap<>();

  private final Path modelDir;
  private final ModelCard card;
  private final int batchSize;
  private final SavedModels.ThreadPredictors<byte[], float[]> predictor;

  private DjlEmbedder(
      Path modelDir, ModelCard card, int batchSize, ZooModel<byte[], float[]> model) {
    this.modelDir = modelDir;
    this.card = card;
    this.batchSize = batchSize;
    this.predictor = new SavedModels.ThreadPredictors<>(model);
  }

  /**
   * Opens the model in {@code modelDir}; checks its card first, so a wrong model fails here with
   * the reason, not later with wrong answers.
   */
  public static DjlEmbedder open(Path modelDir, int expectedEmbeddingSize, int batchSize)
      throws InvalidModelException {
    return open(modelDir, expectedEmbeddingSize, batchSize, ModelRuntime.DEFAULT);
  }

  /** Opens the model with a session configured by {@code runtime} (threads, GPU). */
  public static DjlEmbedder open(
      Path modelDir, int expectedEmbeddingSize, int batchSize, ModelRuntime runtime)
      throws InvalidModelException {
    Path dir = modelDir.toAbsolutePath().normalize();
    ModelCard card = ModelCard.readEmbedder(dir, expectedEmbeddingSize);
    ZooModel<byte[], float[]> model;
    try {
      model = MODELS.computeIfAbsent(List.of(dir, runtime), k -> load(dir, card, runtime));
    } catch (IllegalStateException e) {
      throw new InvalidModelException(e.getMessage());
    }
    return new DjlEmbedder(dir, card, batchSize, model);
  }

  /** How many model folders this JVM has loaded (each once). */
  public static int loadedModels() {
    return MODELS.size();
  }

  private static ZooModel<byte[], float[]> load(Path dir, ModelCard card, ModelRuntime runtime) {
    return SavedModels.load(
        dir,
        byte[].class,
        float[].class,
        card.signature(),
        new CropTranslator(card),
        "embedder",
        runtime);
  }

  @Override
  public int inputWidth() {
    return card.inputWidth();
  }

  @Override
  public int inputHeight() {
    return card.inputHeight();
  }

  @Override
  public int embeddingSize() {
    return card.embeddingSize();
  }

  /** The preprocessing the model was trained with, as its card names it. */
  @Override
  public CropPreprocessor preprocessor() {
    return CropPreprocessor.byId(card.preprocessing(), card.inputWidth(), card.inputHeight());
  }

  @Override
  public String modelId() {
    return modelId(modelDir, card);
  }

  /** The id of the model in {@code modelDir}: folder name and training-data fingerprint. */
  public static String modelId(Path modelDir, ModelCard card) {
    Object fp = card.training() == null ? null : card.training().get("data_fingerprint");
    return modelDir.getFileName() + (fp == null ? "" : "@" + fp);
  }

  public ModelCard card() {
    return card;
  }

  @Override
  public float[][] embed(List<byte[]> inputs) {
    int expected = card.inputWidth() * card.inputHeight() * 3;
    for (byte[] in : inputs) {
      if (in.length != expected) {
        throw new IllegalArgumentException(
            "model "
                + modelDir
                + " takes "
                + card.inputWidth()
                + "x"
                + card.inputHeight()
                + " RGB inputs ("
                + expected
                + " bytes), got "
                + in.length
                + " bytes");
      }
    }
    float[][] out = new float[inputs.size()][];
    Predictor<byte[], float[]> p = predictor.get();
    for (int start = 0; start < inputs.size(); start += batchSize) {
      List<byte[]> batch = inputs.subList(start, Math.min(inputs.size(), start + batchSize));
      try {
        List<float[]> result = p.batchPredict(batch);
        for (int i = 0; i < result.size(); i++) {
          out[start + i] = result.get(i);
        }
      } catch (TranslateException e) {
        throw new IllegalStateException(
            "embedding failed with model " + modelDir + ": " + e.getMessage(), e);
      }
    }
    return out;
  }

  /** Closes this thread-set's predictors; the model itself stays loaded for the JVM. */
  @Override
  public void close() {
    predictor.close();
  }

  /** uint8 RGB crops in, the named embedding out; batched by stacking. */
  static final class CropTranslator implements Translator<byte[], float[]> {
    private final ModelCard card;

    CropTranslator(ModelCard card) {
      this.card = card;
    }

    @Override
    public NDList processInput(TranslatorContext ctx, byte[] rgb) {
      NDManager m = ctx.getNDManager();
      NDArray a =
          m.create(
              ByteBuffer.wrap(rgb),
              new Shape(card.inputHeight(), card.inputWidth(), 3),
              DataType.UINT8);
      a.setName(card.inputName());
      return new NDList(a);
    }

    @Override
    public float[] processOutput(TranslatorContext ctx, NDList list) {
      NDArray e = list.get(card.outputName());
      if (e == null) {
        e = list.singletonOrThrow();
      }
      return e.toFloatArray();
    }

    @Override
    public Batchifier getBatchifier() {
      return Batchifier.STACK;
    }
  }
}
