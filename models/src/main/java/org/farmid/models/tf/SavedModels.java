package org.farmid.models.tf;

import ai.djl.MalformedModelException;
import ai.djl.inference.Predictor;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.Translator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Loading SavedModels through DJL's TensorFlow engine, offline, and handing each thread its own
 * predictor (DJL predictors are not thread-safe; the model is shared).
 */
public final class SavedModels {
  private SavedModels() {}

  /**
   * Loads {@code dir} with the {@code serve} tag and the given signature, its session configured by
   * {@code runtime}.
   */
  public static <I, O> ZooModel<I, O> load(
      Path dir,
      Class<I> in,
      Class<O> out,
      String signature,
      Translator<I, O> translator,
      String what,
      ModelRuntime runtime) {
    TensorFlowNatives.ensureLoaded();
    Criteria.Builder<I, O> builder =
        Criteria.builder()
            .setTypes(in, out)
            .optModelPath(dir)
            .optEngine("TensorFlow")
            .optOption("Tags", "serve")
            .optOption("SignatureDefKey", signature)
            .optTranslator(translator);
    String config = runtime.configProto();
    if (config != null) {
      builder = builder.optOption("ConfigProto", config);
    }
    Criteria<I, O> criteria = builder.build();
    try {
      ZooModel<I, O> model = criteria.loadModel();
      // One line per load, in the driver's or the executor's stderr: how a cluster run shows that
      // each JVM loads each model once, whatever the number of tasks.
      System.err.println(
          "farmid: loaded " + what + " " + dir + " in process " + ProcessHandle.current().pid());
      return model;
    } catch (IOException | ModelNotFoundException | MalformedModelException e) {
      throw new IllegalStateException("cannot load " + what + " " + dir + ": " + e.getMessage(), e);
    }
  }

  /** One predictor per thread over a shared model; closing closes them all, not the model. */
  public static final class ThreadPredictors<I, O> implements AutoCloseable {
    private final List<Predictor<I, O>> created = new ArrayList<>();
    private final ThreadLocal<Predictor<I, O>> local;

    public ThreadPredictors(ZooModel<I, O> model) {
      local =
          ThreadLocal.withInitial(
              () -> {
                Predictor<I, O> p = model.newPredictor();
                synchronized (created) {
                  created.add(p);
                }
                return p;
              });
    }

    public Predictor<I, O> get() {
      return local.get();
    }

    @Override
    public void close() {
      synchronized (created) {
        created.forEach(Predictor::close);
        created.clear();
      }
      local.remove();
    }
  }
}
