package org.farmid.models.detect;

import java.util.List;
import org.farmid.models.tf.NetworkGraph;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.ReduceSum;
import org.tensorflow.op.image.ResizeBilinear;
import org.tensorflow.op.nn.TopK;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TUint8;

/**
 * A compact single-shot detector in the CenterNet manner, built with TF Java: a small convolutional
 * backbone to stride 8, then a centre heatmap (focal loss), box size and sub-cell offset heads. The
 * inference path takes any frame as {@code input_tensor} uint8 {@code [1, H, W, 3]}, resizes it
 * inside the graph, and decodes peaks into the Object Detection API outputs, so the same loader
 * serves this model and any exported SSD.
 */
final class DetectorGraph extends NetworkGraph {
  static final int STRIDE = 8;
  static final int MAX_DETECTIONS = 100;

  final int inputWidth;
  final int inputHeight;
  final int outWidth;
  final int outHeight;
  final Placeholder<TUint8> trainImages;
  final Placeholder<TFloat32> heatTarget;
  final Placeholder<TFloat32> sizeTarget;
  final Placeholder<TFloat32> offsetTarget;
  final Placeholder<TFloat32> centers;
  final Operand<TFloat32> loss;
  final Op trainStep;
  final Placeholder<TUint8> input;
  final Operand<TFloat32> boxes;
  final Operand<TFloat32> scores;
  final Operand<TFloat32> classes;
  final Operand<TFloat32> count;
  private final int width;

  DetectorGraph(int inputWidth, int inputHeight, int width, long seed) {
    super(seed);
    if (inputWidth % STRIDE != 0 || inputHeight % STRIDE != 0) {
      throw new IllegalArgumentException(
          "detector input " + inputWidth + "x" + inputHeight + " must be a multiple of " + STRIDE);
    }
    this.inputWidth = inputWidth;
    this.inputHeight = inputHeight;
    this.width = width;
    outWidth = inputWidth / STRIDE;
    outHeight = inputHeight / STRIDE;
    trainImages =
        tf.withName("train_images")
            .placeholder(TUint8.class, Placeholder.shape(Shape.of(-1, inputHeight, inputWidth, 3)));
    heatTarget = target("heat_target", 1);
    sizeTarget = target("size_target", 2);
    offsetTarget = target("offset_target", 2);
    centers = target("centers", 1);

    training = true;
    Operand<TFloat32>[] heads = network(scale(trainImages));
    loss = loss(heads);
    trainStep = adam(loss);

    training = false;
    input =
        tf.withName("input_tensor")
            .placeholder(TUint8.class, Placeholder.shape(Shape.of(1, -1, -1, 3)));
    Operand<TFloat32> resized =
        tf.image.resizeBilinear(
            input,
            tf.constant(new int[] {inputHeight, inputWidth}),
            ResizeBilinear.halfPixelCenters(true));
    Operand<TFloat32>[] out = network(scaleFloat(resized));
    Operand<TFloat32> heat = tf.math.sigmoid(out[0]);
    // Peaks: cells that are the maximum of their 3x3 neighbourhood.
    Operand<TFloat32> pooled =
        tf.nn.maxPool(
            heat, tf.constant(new int[] {1, 3, 3, 1}), tf.constant(new int[] {1, 1, 1, 1}), "SAME");
    Operand<TFloat32> peaks =
        tf.math.mul(heat, tf.dtypes.cast(tf.math.equal(heat, pooled), TFloat32.class));
    TopK<TFloat32, TInt32> top =
        tf.nn.topK(
            tf.reshape(peaks, tf.constant(new int[] {1, outWidth * outHeight})),
            tf.constant(MAX_DETECTIONS),
            TInt32.class);
    Operand<TInt32> idx = tf.reshape(top.indices(), tf.constant(new int[] {-1}));
    Operand<TFloat32> ys =
        tf.dtypes.cast(tf.math.floorDiv(idx, tf.constant(outWidth)), TFloat32.class);
    Operand<TFloat32> xs =
        tf.dtypes.cast(tf.math.floorMod(idx, tf.constant(outWidth)), TFloat32.class);
    Operand<TFloat32> off =
        tf.gather(
            tf.reshape(out[2], tf.constant(new int[] {outWidth * outHeight, 2})),
            idx,
            tf.constant(0));
    Operand<TFloat32> size =
        tf.gather(
            tf.reshape(out[1], tf.constant(new int[] {outWidth * outHeight, 2})),
            idx,
            tf.constant(0));
    Operand<TFloat32> cx =
        tf.math.div(tf.math.add(xs, column(off, 0)), tf.constant((float) outWidth));
    Operand<TFloat32> cy =
        tf.math.div(tf.math.add(ys, column(off, 1)), tf.constant((float) outHeight));
    Operand<TFloat32> halfW = tf.math.mul(column(size, 0), tf.constant(0.5f));
    Operand<TFloat32> halfH = tf.math.mul(column(size, 1), tf.constant(0.5f));
    Operand<TFloat32> stacked =
        tf.stack(
            List.of(
                tf.math.sub(cy, halfH),
                tf.math.sub(cx, halfW),
                tf.math.add(cy, halfH),
                tf.math.add(cx, halfW)),
            org.tensorflow.op.core.Stack.axis(1L));
    boxes =
        tf.withName("detection_boxes")
            .reshape(stacked, tf.constant(new int[] {1, MAX_DETECTIONS, 4}));
    scores = tf.withName("detection_scores").identity(top.values());
    classes = tf.withName("detection_classes").onesLike(top.values());
    count = tf.withName("num_detections").constant(new float[] {MAX_DETECTIONS});
  }

  private Operand<TFloat32> column(Operand<TFloat32> m, int c) {
    return tf.reshape(
        tf.gather(m, tf.constant(new int[] {c}), tf.constant(1)), tf.constant(new int[] {-1}));
  }

  private Placeholder<TFloat32> target(String name, int channels) {
    return tf.withName(name)
        .placeholder(
            TFloat32.class, Placeholder.shape(Shape.of(-1, outHeight, outWidth, channels)));
  }

  private Operand<TFloat32> scale(Operand<TUint8> images) {
    return scaleFloat(tf.dtypes.cast(images, TFloat32.class));
  }

  private Operand<TFloat32> scaleFloat(Operand<TFloat32> images) {
    return tf.math.sub(tf.math.div(images, tf.constant(127.5f)), tf.constant(1f));
  }

  @SuppressWarnings("unchecked")
  private Operand<TFloat32>[] network(Operand<TFloat32> x) {
    int c1 = width;
    int c2 = width * 3 / 2;
    int c3 = width * 3;
    x = tf.nn.relu(batchNorm("l1/bn", conv("l1", x, 3, 3, c1, 2)));
    x = tf.nn.relu(batchNorm("l2/bn", conv("l2", x, 3, c1, c2, 2)));
    x = tf.nn.relu(batchNorm("l3/bn", conv("l3", x, 3, c2, c2, 1)));
    x = tf.nn.relu(batchNorm("l4/bn", conv("l4", x, 3, c2, c3, 2)));
    for (int i = 5; i <= 7; i++) {
      Operand<TFloat32> h = tf.nn.relu(batchNorm("l" + i + "/bn", conv("l" + i, x, 3, c3, c3, 1)));
      x = tf.math.add(x, h);
    }
    Operand<TFloat32> hh = tf.nn.relu(batchNorm("heat/bn", conv("heat/conv", x, 3, c3, c3, 1)));
    // The heatmap's bias starts at the CenterNet prior, sigmoid(-2.19) = 0.1.
    Operand<TFloat32> heat =
        tf.math.add(
            conv("heat/out", hh, 1, c3, 1, 1), weight("heat/out/b", new long[] {1}, () -> -2.19));
    Operand<TFloat32> size =
        tf.math.add(
            conv("size/out", x, 1, c3, 2, 1), weight("size/out/b", new long[] {2}, () -> 0.1));
    Operand<TFloat32> offset =
        tf.math.add(
            conv("offset/out", x, 1, c3, 2, 1), weight("offset/out/b", new long[] {2}, () -> 0.5));
    return new Operand[] {heat, size, offset};
  }

  /** CenterNet's penalty-reduced focal loss on centres, plus L1 on size and offset at centres. */
  private Operand<TFloat32> loss(Operand<TFloat32>[] heads) {
    Operand<TFloat32> one = tf.constant(1f);
    Operand<TFloat32> p =
        tf.math.minimum(
            tf.math.maximum(tf.math.sigmoid(heads[0]), tf.constant(1e-4f)), tf.constant(1 - 1e-4f));
    Operand<TFloat32> q = tf.math.sub(one, p);
    Operand<TFloat32> notCenter = tf.math.sub(one, centers);
    Operand<TFloat32> posLoss =
        tf.math.mul(tf.math.mul(tf.math.log(p), tf.math.mul(q, q)), centers);
    Operand<TFloat32> away = tf.math.sub(one, heatTarget);
    Operand<TFloat32> away2 = tf.math.mul(away, away);
    Operand<TFloat32> negLoss =
        tf.math.mul(
            tf.math.mul(tf.math.log(q), tf.math.mul(p, p)),
            tf.math.mul(tf.math.mul(away2, away2), notCenter));
    Operand<TFloat32> n = tf.math.maximum(sumAll(centers), one);
    Operand<TFloat32> focal =
        tf.math.neg(tf.math.div(tf.math.add(sumAll(posLoss), sumAll(negLoss)), n));
    Operand<TFloat32> sizeL1 =
        tf.math.div(
            sumAll(tf.math.mul(tf.math.abs(tf.math.sub(heads[1], sizeTarget)), centers)), n);
    Operand<TFloat32> offL1 =
        tf.math.div(
            sumAll(tf.math.mul(tf.math.abs(tf.math.sub(heads[2], offsetTarget)), centers)), n);
    return tf.withName("loss")
        .math
        .add(focal, tf.math.add(tf.math.mul(sizeL1, tf.constant(5f)), offL1));
  }

  private Operand<TFloat32> sumAll(Operand<TFloat32> x) {
    return tf.reduceSum(x, tf.constant(new int[] {0, 1, 2, 3}), ReduceSum.keepDims(false));
  }

  @Override
  public Operand<?> images() {
    return trainImages;
  }
}
