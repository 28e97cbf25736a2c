package org.farmid.models.tf;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.nn.FusedBatchNorm;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * What the project's networks share when built with TF Java: weights created once (on the training
 * path) and reused (on the inference path), each settable through an assign op fed from a
 * placeholder; convolution, depthwise, dense and batch-norm layers. Batch norm uses batch
 * statistics while {@link #training} and, otherwise, statistics that {@link TrainingSession}
 * recalibrates from the training path's batch statistics.
 */
public abstract class NetworkGraph implements AutoCloseable {
  private static final float BN_EPSILON = 1e-3f;

  /** A weight: its variable, and an assign op fed from a placeholder to set its value. */
  public record Param(
      String name,
      Variable<TFloat32> variable,
      Placeholder<TFloat32> feed,
      Op assign,
      long[] shape) {}

  public final Graph graph;
  public final Ops tf;
  public final Map<String, Param> params = new LinkedHashMap<>();

  /** Adam's step size and bias corrections, fed every step (set by {@link #adam}). */
  public Placeholder<TFloat32> learningRate;

  public Placeholder<TFloat32> beta1Power;
  public Placeholder<TFloat32> beta2Power;

  /** Per batch-norm layer, the batch mean and variance of the training path. */
  public final Map<String, Output<TFloat32>[]> batchStats = new LinkedHashMap<>();

  private final Map<String, float[]> initialValues = new LinkedHashMap<>();
  protected final SplittableRandom init;

  /** Layers built while true use batch statistics and create their weights. */
  protected boolean training = true;

  protected NetworkGraph(long seed) {
    TensorFlowNatives.ensureLoaded();
    this.init = new SplittableRandom(seed);
    graph = new Graph();
    tf = Ops.create(graph);
  }

  /** The image placeholder the batch-norm statistics are recalibrated with. */
  public abstract Operand<?> images();

  /**
   * The training step: Adam over every weight created so far, as TF's {@code ApplyAdam} kernel
   * computes it, with the step size and the bias corrections fed at each step through {@link
   * AdamFeed} (TF Java's {@code Adam} class fixes its learning rate when the graph is built, so a
   * schedule could not change it). Each weight's step is the fed rate times {@link
   * #learningRateScale}.
   */
  protected Op adam(Operand<TFloat32> loss) {
    learningRate = tf.withName("learning_rate").placeholder(TFloat32.class);
    beta1Power = tf.withName("adam.beta1_power").placeholder(TFloat32.class);
    beta2Power = tf.withName("adam.beta2_power").placeholder(TFloat32.class);
    List<Param> trained = List.copyOf(params.values());
    Output<?>[] grads =
        graph.addGradients(
            loss.asOutput(),
            trained.stream().map(p -> p.variable().asOutput()).toArray(Output<?>[]::new));
    Ops init = tf.withInitScope();
    List<Op> updates = new ArrayList<>();
    // One step size per learning-rate scale, shared by every weight with that scale.
    Map<Float, Operand<TFloat32>> rates = new HashMap<>();
    // Adam's moments start at zero: Fill, not Ops.zeros, whose sub-scope walks every op of the
    // graph on each call (quadratic in the weights of a large imported network).
    Operand<TFloat32> zero = init.constant(0f);
    for (int i = 0; i < trained.size(); i++) {
      Param p = trained.get(i);
      @SuppressWarnings("unchecked")
      Output<TFloat32> grad = (Output<TFloat32>) grads[i];
      Operand<TInt64> shape = init.constant(p.shape());
      Variable<TFloat32> m =
          init.withName(opName(p.name()) + ".adam_m").variable(init.fill(shape, zero));
      Variable<TFloat32> v =
          init.withName(opName(p.name()) + ".adam_v").variable(init.fill(shape, zero));
      updates.add(
          tf.train.applyAdam(
              p.variable(),
              m,
              v,
              beta1Power,
              beta2Power,
              rates.computeIfAbsent(
                  learningRateScale(p.name()),
                  scale ->
                      scale == 1f ? learningRate : tf.math.mul(learningRate, tf.constant(scale))),
              tf.constant(AdamFeed.BETA1),
              tf.constant(AdamFeed.BETA2),
              tf.constant(AdamFeed.EPSILON),
              grad));
    }
    return tf.withName("adam").withControlDependencies(updates).noOp();
  }

  /** What the learning rate is multiplied by for weight {@code name}: 1 unless a network says. */
  protected float learningRateScale(String name) {
    return 1f;
  }

  /** MobileNetV2's stages: expansion t, channels c, repeats n, first stride s. */
  public static final int[][] MOBILENET_V2_STAGES = {
    {1, 16, 1, 1},
    {6, 24, 2, 2},
    {6, 32, 3, 2},
    {6, 64, 4, 2},
    {6, 96, 3, 1},
    {6, 160, 3, 2},
    {6, 320, 1, 1}
  };

  /** Channels rounded as MobileNetV2 does (multiples of 8, never below 90% of the target). */
  public static int divisible(double channels) {
    int v = Math.max(8, (int) (channels + 4) / 8 * 8);
    return v < 0.9 * channels ? v + 8 : v;
  }

  /**
   * MobileNetV2's stem (3x3 conv at stride 2, batch norm, ReLU6) and its first {@code blocks}
   * inverted-residual blocks at width multiplier {@code width}, weights named {@code stem/...} and
   * {@code blockN/...} (the names {@code MobileNetV2Backbone} maps pretrained weights onto).
   * Returns each block's output, block 0 first.
   */
  protected List<Operand<TFloat32>> mobileNetV2(Operand<TFloat32> x, double width, int blocks) {
    int channels = divisible(32 * width);
    x = tf.nn.relu6(batchNorm("stem/bn", conv("stem/conv", x, 3, 3, channels, 2)));
    List<Operand<TFloat32>> outputs = new ArrayList<>();
    int block = 0;
    for (int[] stage : MOBILENET_V2_STAGES) {
      for (int r = 0; r < stage[2] && block < blocks; r++, block++) {
        int out = divisible(stage[1] * width);
        x = invertedResidual("block" + block, x, channels, out, r == 0 ? stage[3] : 1, stage[0]);
        outputs.add(x);
        channels = out;
      }
    }
    return outputs;
  }

  private Operand<TFloat32> invertedResidual(
      String name, Operand<TFloat32> x, int in, int out, int stride, int expansion) {
    Operand<TFloat32> h = x;
    int hidden = in * expansion;
    if (expansion != 1) {
      h = tf.nn.relu6(batchNorm(name + "/expand/bn", conv(name + "/expand", h, 1, in, hidden, 1)));
    }
    h = tf.nn.relu6(batchNorm(name + "/dw/bn", depthwise(name + "/dw", h, hidden, stride)));
    h = batchNorm(name + "/project/bn", conv(name + "/project", h, 1, hidden, out, 1));
    return stride == 1 && in == out ? tf.math.add(x, h) : h;
  }

  protected Operand<TFloat32> conv(
      String name, Operand<TFloat32> x, int k, int in, int out, int stride) {
    double std = Math.sqrt(2.0 / (k * k * in));
    Operand<TFloat32> w =
        weight(name + "/w", new long[] {k, k, in, out}, () -> init.nextGaussian() * std);
    return tf.nn.conv2d(x, w, List.of(1L, (long) stride, (long) stride, 1L), "SAME");
  }

  protected Operand<TFloat32> depthwise(
      String name, Operand<TFloat32> x, int channels, int stride) {
    double std = Math.sqrt(2.0 / 9);
    Operand<TFloat32> w =
        weight(name + "/w", new long[] {3, 3, channels, 1}, () -> init.nextGaussian() * std);
    return tf.nn.depthwiseConv2dNative(x, w, List.of(1L, (long) stride, (long) stride, 1L), "SAME");
  }

  protected Operand<TFloat32> dense(String name, Operand<TFloat32> x, int in, int out) {
    double limit = Math.sqrt(6.0 / (in + out));
    Operand<TFloat32> w =
        weight(name + "/w", new long[] {in, out}, () -> init.nextDouble(-limit, limit));
    Operand<TFloat32> b = weight(name + "/b", new long[] {out}, () -> 0);
    return tf.math.add(tf.linalg.matMul(x, w), b);
  }

  protected Operand<TFloat32> batchNorm(String name, Operand<TFloat32> x) {
    int channels = (int) x.shape().get(3);
    Operand<TFloat32> gamma = weight(name + "/gamma", new long[] {channels}, () -> 1);
    Operand<TFloat32> beta = weight(name + "/beta", new long[] {channels}, () -> 0);
    if (training) {
      Operand<TFloat32> empty = tf.constant(new float[0]);
      FusedBatchNorm<TFloat32, TFloat32> bn =
          tf.nn.fusedBatchNorm(
              x,
              gamma,
              beta,
              empty,
              empty,
              FusedBatchNorm.epsilon(BN_EPSILON),
              FusedBatchNorm.isTraining(true));
      @SuppressWarnings("unchecked")
      Output<TFloat32>[] stats = new Output[] {bn.batchMean(), bn.batchVariance()};
      batchStats.put(name, stats);
      return bn.y();
    }
    Operand<TFloat32> mean = weight(name + "/moving_mean", new long[] {channels}, () -> 0);
    Operand<TFloat32> variance = weight(name + "/moving_variance", new long[] {channels}, () -> 1);
    return tf.nn
        .fusedBatchNorm(
            x,
            gamma,
            beta,
            mean,
            variance,
            FusedBatchNorm.epsilon(BN_EPSILON),
            FusedBatchNorm.isTraining(false))
        .y();
  }

  /** A variable read through identity (ops straight on a variable's ref output can crash TF). */
  protected Operand<TFloat32> weight(
      String name, long[] shape, java.util.function.DoubleSupplier fill) {
    Param p = params.get(name);
    if (p == null) {
      Variable<TFloat32> v = tf.withName(opName(name)).variable(Shape.of(shape), TFloat32.class);
      Placeholder<TFloat32> feed =
          tf.withName(opName(name) + ".init_value")
              .placeholder(TFloat32.class, Placeholder.shape(Shape.of(shape)));
      Op assign = tf.withName(opName(name) + ".init").assign(v, feed);
      p = new Param(name, v, feed, assign, shape);
      params.put(name, p);
      int n = 1;
      for (long d : shape) {
        n *= (int) d;
      }
      float[] values = new float[n];
      for (int i = 0; i < n; i++) {
        values[i] = (float) fill.getAsDouble();
      }
      initialValues.put(name, values);
    }
    return tf.identity(p.variable());
  }

  /** Graph op names allow no '/' from withName; weights are named with dots. */
  static String opName(String name) {
    return name.replace('/', '.');
  }

  /** The starting values of every weight, drawn from the seed. */
  public Map<String, float[]> initialValues() {
    return initialValues;
  }

  @Override
  public void close() {
    graph.close();
  }
}
