package org.farmid.models.embed;

import java.util.List;
import org.farmid.models.tf.NetworkGraph;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.ReduceMax;
import org.tensorflow.op.core.ReduceMin;
import org.tensorflow.op.core.ReduceSum;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.op.random.RandomUniform;
import org.tensorflow.types.TBool;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TUint8;

/**
 * The embedder as a TensorFlow graph, built with TF Java: one training path (batch statistics,
 * dropout, triplet loss, Adam) and one inference path (moving batch-norm statistics, no dropout)
 * sharing the same weights. Input is {@code uint8} RGB {@code [N, S, S, 3]} and the graph itself
 * scales it to [-1, 1], so training and inference cannot scale differently.
 */
final class EmbedderGraph extends NetworkGraph {
  static final String INPUT = "images";
  static final String OUTPUT = "embedding";

  /** The cosine-softmax head's weights: one column per training animal, training only. */
  static final String CLASS_WEIGHTS = "head/classes/w";

  /** The cosine-softmax term's scale: cosines in [-1, 1] times this are the logits. */
  static final float COSINE_SCALE = 16f;

  final EmbedderArchitecture arch;
  final Placeholder<TUint8> images;
  final Placeholder<TInt32> labels;

  final Operand<TFloat32> trainEmbedding;
  final Operand<TFloat32> loss;
  final Op trainStep;
  final Operand<TFloat32> embedding;

  private final long seed;
  private final float backboneRate;

  /**
   * @param classes animals in the training data, for the optional classification term
   * @param classificationWeight weight of a cosine-softmax classification term added to the triplet
   *     loss (0: the triplet loss alone, as the published method)
   * @param classificationMargin subtracted from the true animal's cosine before the softmax
   *     (CosFace); 0 is a plain cosine softmax
   * @param backboneRate what the learning rate is multiplied by for the backbone's weights (1: the
   *     head's rate; below 1 keeps more of a pretrained backbone's features)
   */
  EmbedderGraph(
      EmbedderArchitecture arch,
      long seed,
      int classes,
      float classificationWeight,
      float classificationMargin,
      float backboneRate) {
    super(seed);
    this.arch = arch;
    this.seed = seed;
    this.backboneRate = backboneRate;
    images =
        tf.withName(INPUT)
            .placeholder(
                TUint8.class,
                Placeholder.shape(Shape.of(-1, arch.inputHeight(), arch.inputWidth(), 3)));
    labels = tf.withName("labels").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
    Operand<TFloat32> scaled =
        tf.math.sub(
            tf.math.div(tf.dtypes.cast(images, TFloat32.class), tf.constant(127.5f)),
            tf.constant(1f));

    training = true;
    trainEmbedding = network(scaled);
    Operand<TFloat32> triplet =
        arch.loss().equals("semi-hard")
            ? semiHardLoss(tf, trainEmbedding, labels, (float) arch.margin())
            : batchHardLoss(tf, trainEmbedding, labels, (float) arch.margin());
    if (classificationWeight > 0 && classes > 1) {
      // Cosine softmax over the animals of the training set: embeddings against unit-length
      // class weights, scaled, with an optional additive margin on the true animal (CosFace).
      // It pulls each animal together far faster than triplets alone when training from
      // scratch; inference never uses these weights.
      int d = arch.embeddingSize();
      double limit = Math.sqrt(6.0 / (d + classes));
      Operand<TFloat32> w =
          weight(CLASS_WEIGHTS, new long[] {d, classes}, () -> init.nextDouble(-limit, limit));
      Operand<TFloat32> ce =
          cosineSoftmaxLoss(
              tf, trainEmbedding, w, labels, classes, COSINE_SCALE, classificationMargin);
      loss =
          tf.withName("loss").math.add(triplet, tf.math.mul(ce, tf.constant(classificationWeight)));
    } else {
      loss = triplet;
    }
    Op apply = adam(loss);

    // The inference path is built after the optimiser so its moving statistics are not trained.
    training = false;
    Operand<TFloat32> e = network(scaled);
    if (arch.flipAverage()) {
      Operand<TFloat32> mirrored = network(tf.reverse(scaled, tf.constant(new int[] {2})));
      e = normalized(tf.math.add(e, mirrored));
    }
    embedding = tf.withName(OUTPUT).identity(e);
    trainStep = apply;
  }

  /** The backbone's weights (all but {@code head/}) learn at {@code backboneRate} of the rate. */
  @Override
  protected float learningRateScale(String name) {
    return name.startsWith("head/") ? 1f : backboneRate;
  }

  /** The backbone and head; in the training path weights are created, later reused. */
  private Operand<TFloat32> network(Operand<TFloat32> x) {
    List<Operand<TFloat32>> blocks = mobileNetV2(x, arch.width(), arch.blocks());
    x = blocks.get(blocks.size() - 1);
    int flat = arch.headInputs();
    Operand<TFloat32> f =
        switch (arch.pooling()) {
          case "average" -> tf.math.mean(x, tf.constant(new int[] {1, 2}));
          case "max" -> tf.max(x, tf.constant(new int[] {1, 2}));
          default -> tf.reshape(x, tf.constant(new int[] {-1, flat}));
        };
    if (training && arch.dropout() > 0) {
      float keep = (float) (1 - arch.dropout());
      Operand<TFloat32> u =
          tf.random.randomUniform(
              tf.shape(f), TFloat32.class, RandomUniform.seed(seed), RandomUniform.seed2(7L));
      Operand<TFloat32> mask = tf.math.floor(tf.math.add(u, tf.constant(keep)));
      f = tf.math.div(tf.math.mul(f, mask), tf.constant(keep));
    }
    Operand<TFloat32> h = tf.nn.relu(dense("head/dense1", f, flat, arch.denseSize()));
    Operand<TFloat32> e = dense("head/dense2", h, arch.denseSize(), arch.embeddingSize());
    return normalized(e);
  }

  /** Rows scaled to unit length. */
  private Operand<TFloat32> normalized(Operand<TFloat32> e) {
    return unitLength(tf, e, 1);
  }

  /** {@code x} scaled to unit length along {@code axis} (1: rows, 0: columns). */
  private static Operand<TFloat32> unitLength(Ops tf, Operand<TFloat32> x, int axis) {
    Operand<TFloat32> sq =
        tf.reduceSum(tf.math.mul(x, x), tf.constant(axis), ReduceSum.keepDims(true));
    return tf.math.mul(x, tf.math.rsqrt(tf.math.maximum(sq, tf.constant(1e-12f))));
  }

  /**
   * Mean cross-entropy of a cosine softmax: logits are {@code scale * (cos(e, w_c) - margin [c is
   * the label])} with the columns of {@code w} scaled to unit length (CosFace; margin 0 is the
   * plain cosine softmax). {@code e} rows are unit length.
   */
  static Operand<TFloat32> cosineSoftmaxLoss(
      Ops tf,
      Operand<TFloat32> e,
      Operand<TFloat32> w,
      Operand<TInt32> labels,
      int classes,
      float scale,
      float margin) {
    Operand<TFloat32> wNorm = unitLength(tf, w, 0);
    Operand<TFloat32> onehot =
        tf.oneHot(labels, tf.constant(classes), tf.constant(1f), tf.constant(0f));
    Operand<TFloat32> cos = tf.linalg.matMul(e, wNorm);
    Operand<TFloat32> logits =
        tf.math.mul(tf.math.sub(cos, tf.math.mul(onehot, tf.constant(margin))), tf.constant(scale));
    return tf.math.mean(tf.nn.softmaxCrossEntropyWithLogits(logits, onehot).loss(), tf.constant(0));
  }

  /** Pairwise Euclidean distances of L2-normalised rows: sqrt(max(2 - 2 a.b, 0)). */
  private static Operand<TFloat32> distances(Ops tf, Operand<TFloat32> e) {
    Operand<TFloat32> dot = tf.linalg.matMul(e, e, MatMul.transposeB(true));
    Operand<TFloat32> d2 =
        tf.math.maximum(
            tf.math.sub(tf.constant(2f), tf.math.mul(dot, tf.constant(2f))), tf.constant(0f));
    return tf.math.sqrt(tf.math.add(d2, tf.constant(1e-12f)));
  }

  private static Operand<TFloat32> sameLabel(Ops tf, Operand<TInt32> l) {
    Operand<TBool> eq =
        tf.math.equal(
            tf.reshape(l, tf.constant(new int[] {-1, 1})),
            tf.reshape(l, tf.constant(new int[] {1, -1})));
    return tf.dtypes.cast(eq, TFloat32.class);
  }

  /** TensorFlow Addons' semi-hard triplet loss, with masks and reductions only. */
  static Operand<TFloat32> semiHardLoss(
      Ops tf, Operand<TFloat32> e, Operand<TInt32> l, float margin) {
    Operand<TFloat32> d = distances(tf, e);
    Operand<TFloat32> adj = sameLabel(tf, l);
    Operand<TFloat32> neg = tf.math.sub(tf.constant(1f), adj);
    Operand<TFloat32> eye = sameLabel(tf, tf.range(tf.constant(0), tf.size(l), tf.constant(1)));
    Operand<TFloat32> pos = tf.math.sub(adj, eye);
    Operand<TFloat32> dAp = tf.expandDims(d, tf.constant(2)); // [a, p, 1]
    Operand<TFloat32> dAn = tf.expandDims(d, tf.constant(1)); // [a, 1, n]
    Operand<TFloat32> negAn = tf.expandDims(neg, tf.constant(1));
    Operand<TFloat32> beyond =
        tf.math.mul(negAn, tf.dtypes.cast(tf.math.greater(dAn, dAp), TFloat32.class)); // [a,p,n]
    Operand<TFloat32> big =
        tf.stopGradient(
            tf.math.add(tf.reduceMax(d, tf.constant(new int[] {0, 1})), tf.constant(1f)));
    Operand<TFloat32> outside =
        tf.reduceMin(
            tf.math.add(
                tf.math.mul(dAn, beyond), tf.math.mul(tf.math.sub(tf.constant(1f), beyond), big)),
            tf.constant(2));
    Operand<TBool> has = tf.math.greater(tf.reduceMax(beyond, tf.constant(2)), tf.constant(0f));
    Operand<TFloat32> inside =
        tf.math.add(
            tf.zerosLike(outside),
            tf.reduceMax(tf.math.mul(d, neg), tf.constant(1), ReduceMax.keepDims(true)));
    Operand<TFloat32> negative = tf.select(has, outside, inside);
    Operand<TFloat32> perPair =
        tf.math.mul(tf.nn.relu(tf.math.add(tf.math.sub(d, negative), tf.constant(margin))), pos);
    Operand<TFloat32> pairs =
        tf.math.maximum(tf.reduceSum(pos, tf.constant(new int[] {0, 1})), tf.constant(1f));
    return tf.withName("loss")
        .math
        .div(tf.reduceSum(perPair, tf.constant(new int[] {0, 1})), pairs);
  }

  /** Batch-hard triplet loss: farthest positive against nearest negative, per anchor. */
  static Operand<TFloat32> batchHardLoss(
      Ops tf, Operand<TFloat32> e, Operand<TInt32> l, float margin) {
    Operand<TFloat32> d = distances(tf, e);
    Operand<TFloat32> adj = sameLabel(tf, l);
    Operand<TFloat32> big =
        tf.stopGradient(
            tf.math.add(tf.reduceMax(d, tf.constant(new int[] {0, 1})), tf.constant(1f)));
    Operand<TFloat32> eye = sameLabel(tf, tf.range(tf.constant(0), tf.size(l), tf.constant(1)));
    Operand<TFloat32> pos = tf.math.sub(adj, eye);
    Operand<TFloat32> hardPositive = tf.reduceMax(tf.math.mul(d, pos), tf.constant(1));
    Operand<TFloat32> hardNegative =
        tf.reduceMin(
            tf.math.add(d, tf.math.mul(adj, big)), tf.constant(1), ReduceMin.keepDims(false));
    // Anchors without another crop of their animal have no triplet and are left out.
    Operand<TFloat32> valid = tf.reduceMax(pos, tf.constant(1));
    Operand<TFloat32> perAnchor =
        tf.math.mul(
            tf.nn.relu(tf.math.add(tf.math.sub(hardPositive, hardNegative), tf.constant(margin))),
            valid);
    return tf.math.div(
        tf.reduceSum(perAnchor, tf.constant(0)),
        tf.math.maximum(tf.reduceSum(valid, tf.constant(0)), tf.constant(1f)));
  }

  @Override
  public Operand<?> images() {
    return images;
  }
}
