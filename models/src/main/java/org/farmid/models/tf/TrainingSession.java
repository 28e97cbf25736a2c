package org.farmid.models.tf;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TUint8;

/** Weight moves between a {@link NetworkGraph}'s session and Java arrays. */
public final class TrainingSession {
  private TrainingSession() {}

  /** Sets the named weights (others keep their values). */
  public static void assign(Session session, NetworkGraph g, Map<String, float[]> values) {
    var runner = session.runner();
    List<Tensor> tensors = new ArrayList<>();
    try {
      for (NetworkGraph.Param p : g.params.values()) {
        float[] v = values.get(p.name());
        if (v == null) {
          continue;
        }
        TFloat32 t = TFloat32.tensorOf(Shape.of(p.shape()), DataBuffers.of(v, true, false));
        tensors.add(t);
        runner.feed(p.feed(), t).addTarget(p.assign());
      }
      if (!tensors.isEmpty()) {
        runner.run().close();
      }
    } finally {
      tensors.forEach(Tensor::close);
    }
  }

  /** Every weight's current value. */
  public static Map<String, float[]> read(Session session, NetworkGraph g) {
    var runner = session.runner();
    List<NetworkGraph.Param> ps = new ArrayList<>(g.params.values());
    for (NetworkGraph.Param p : ps) {
      runner.fetch(p.variable());
    }
    Map<String, float[]> values = new LinkedHashMap<>();
    try (Result r = runner.run()) {
      for (int i = 0; i < ps.size(); i++) {
        values.put(ps.get(i).name(), floats(r.get(i)));
      }
    }
    return values;
  }

  /**
   * Sets the inference path's batch-norm statistics to the mean of the training path's batch
   * statistics over the given image batches (clean, unaugmented ones).
   */
  public static void recalibrate(Session session, NetworkGraph g, List<? extends Tensor> batches) {
    List<String> names = new ArrayList<>(g.batchStats.keySet());
    Map<String, double[]> sums = new LinkedHashMap<>();
    for (Tensor images : batches) {
      var runner = session.runner().feed(g.images(), images);
      for (String name : names) {
        runner.fetch(g.batchStats.get(name)[0]).fetch(g.batchStats.get(name)[1]);
      }
      try (Result r = runner.run()) {
        for (int i = 0; i < names.size(); i++) {
          for (int which = 0; which < 2; which++) {
            float[] v = floats(r.get(2 * i + which));
            String key = names.get(i) + (which == 0 ? "/moving_mean" : "/moving_variance");
            double[] acc = sums.computeIfAbsent(key, k -> new double[v.length]);
            for (int c = 0; c < v.length; c++) {
              acc[c] += v[c];
            }
          }
        }
      }
    }
    Map<String, float[]> values = new LinkedHashMap<>();
    for (Map.Entry<String, double[]> e : sums.entrySet()) {
      float[] v = new float[e.getValue().length];
      for (int c = 0; c < v.length; c++) {
        v[c] = (float) (e.getValue()[c] / batches.size());
      }
      values.put(e.getKey(), v);
    }
    assign(session, g, values);
  }

  /**
   * The weights of a model this project exported from a network of the same shape, to start
   * training from (fine-tuning). Weights named in {@code fresh} (training-only heads whose size
   * depends on the data) are left out when their shape differs; any other missing weight or shape
   * difference is refused, naming it.
   */
  public static Map<String, float[]> readSaved(Path modelDir, NetworkGraph g, Set<String> fresh) {
    Map<String, float[]> values = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    try (SavedModelBundle b = SavedModelBundle.load(modelDir.toString(), "serve")) {
      var runner = b.session().runner();
      List<NetworkGraph.Param> present = new ArrayList<>();
      for (NetworkGraph.Param p : g.params.values()) {
        String op = NetworkGraph.opName(p.name());
        if (b.graph().operation(op) == null) {
          problems.add("weight " + p.name() + " is missing");
        } else {
          runner.fetch(op);
          present.add(p);
        }
      }
      try (Result r = runner.run()) {
        for (int i = 0; i < present.size(); i++) {
          NetworkGraph.Param p = present.get(i);
          Shape have = r.get(i).shape();
          if (have.equals(Shape.of(p.shape()))) {
            values.put(p.name(), floats(r.get(i)));
          } else if (!fresh.contains(p.name())) {
            problems.add(
                "weight "
                    + p.name()
                    + " has shape "
                    + have
                    + ", this network needs "
                    + Shape.of(p.shape()));
          }
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(
          modelDir
              + " does not fit this network (give the same architecture settings): "
              + String.join("; ", problems.subList(0, Math.min(5, problems.size())))
              + (problems.size() > 5 ? "; and " + (problems.size() - 5) + " more" : ""));
    }
    return values;
  }

  /** Packed RGB pictures of {@code width x height} as one uint8 {@code [N, H, W, 3]} tensor. */
  public static TUint8 rgbBatch(List<byte[]> pictures, int width, int height) {
    int size = width * height * 3;
    byte[] pixels = new byte[pictures.size() * size];
    for (int i = 0; i < pictures.size(); i++) {
      System.arraycopy(pictures.get(i), 0, pixels, i * size, size);
    }
    return TUint8.tensorOf(
        Shape.of(pictures.size(), height, width, 3), DataBuffers.of(pixels, true, false));
  }

  /** The values of a float tensor, flattened. */
  public static float[] floats(Tensor t) {
    float[] v = new float[(int) t.shape().size()];
    t.asRawTensor().data().asFloats().read(v);
    return v;
  }
}
