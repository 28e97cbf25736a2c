package org.farmid.models.detect;

import java.util.List;
import org.farmid.models.pretrained.CenterNetBackbone;
import org.farmid.models.pretrained.TfjsGraphModel;
import org.farmid.models.tf.NetworkGraph;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.ReduceSum;
import org.tensorflow.op.image.NonMaxSuppression;
import org.tensorflow.op.image.ResizeBilinear;
import org.tensorflow.op.nn.TopK;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TUint8;

/**
 * A compact single-shot detector in the CenterNet manner, built with TF Java: a small convolutional
 * backbone, then a centre heatmap (focal loss), box size and sub-cell offset heads. At output
 * stride 8 the heads sit on the backbone's stride-8 features; at stride 4 the backbone goes on to
 * stride 16 for context and comes back up to stride 4 through two upsampling steps with skip
 * connections (a small feature pyramid), so that touching animals, whose centres lie only a
 * stride-8 cell or two apart, get separate peaks and boxes are placed twice as finely. The
 * inference path takes any frame as {@code input_tensor} uint8 {@code [1, H, W, 3]}, resizes it
 * inside the graph, and decodes peaks into the Object Detection API outputs, so the same loader
 * serves this model and any exported SSD.
 */
final class DetectorGraph extends NetworkGraph {
  static final int MAX_DETECTIONS = 100;

  /** Channels of the neck between the centernet backbone's features and the heads. */
  static final int NECK = 32;

  /** Learning-rate multiplier of the centernet backbone's imported weights. */
  static final float BACKBONE_RATE = 0.1f;

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
  final int stride;
  private final int width;
  private final Backbone backbone;
  private final TfjsGraphModel pretrained;

  /**
   * The network under the heads: the compact one drawn here, or MobileNetV2 (width 1.0, its first
   * ten blocks, the weights a pretrained ImageNet model can start) with a small feature pyramid
   * from stride 16 back to stride 4.
   */
  enum Backbone {
    COMPACT,
    MOBILENET_V2,
    CENTERNET;

    static Backbone parse(String name) {
      for (Backbone b : values()) {
        if (b.key().equals(name)) {
          return b;
        }
      }
      throw new IllegalArgumentException(
          "detector backbone must be compact, mobilenet_v2 or centernet, got '" + name + "'");
    }

    String key() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** Test-time flips the export may average over: none, left-right, or both axes. */
  enum TestFlips {
    NONE,
    X,
    XY;

    static TestFlips parse(String name) {
      for (TestFlips f : values()) {
        if (f.name().equalsIgnoreCase(name)) {
          return f;
        }
      }
      throw new IllegalArgumentException("test flips must be none, x or xy, got '" + name + "'");
    }
  }

  DetectorGraph(
      int inputWidth, int inputHeight, int width, int stride, float giouWeight, long seed) {
    this(inputWidth, inputHeight, width, stride, giouWeight, seed, TestFlips.NONE, 0f);
  }

  /**
   * With {@code flips} other than {@link TestFlips#NONE} the inference path runs the network on the
   * frame and its mirror images in one batch, mirrors their outputs back and averages heatmap, box
   * size and sub-cell offset over them before the peaks are decoded (CenterNet's flip test). With a
   * positive {@code softNmsSigma} the decoded boxes go through TensorFlow's Gaussian soft
   * non-maximum suppression (each score scaled by {@code exp(-IoU^2 / (2 sigma))} of its overlap
   * with every better box), which sinks a second peak on the same animal below the animals found
   * and drops nothing.
   */
  DetectorGraph(
      int inputWidth,
      int inputHeight,
      int width,
      int stride,
      float giouWeight,
      long seed,
      TestFlips flips,
      float softNmsSigma) {
    this(
        inputWidth,
        inputHeight,
        width,
        stride,
        giouWeight,
        seed,
        flips,
        softNmsSigma,
        Backbone.COMPACT,
        null);
  }

  /**
   * As above, on the given backbone ({@code width} is the compact backbone's only). The centernet
   * backbone is built from {@code pretrained} (the imported COCO CenterNet), its weights the
   * starting values of trainable variables; the other backbones take null.
   */
  DetectorGraph(
      int inputWidth,
      int inputHeight,
      int width,
      int stride,
      float giouWeight,
      long seed,
      TestFlips flips,
      float softNmsSigma,
      Backbone backbone,
      TfjsGraphModel pretrained) {
    super(seed);
    if (backbone != Backbone.COMPACT && stride != 4) {
      throw new IllegalArgumentException(
          "the " + backbone.key() + " detector backbone works at output stride 4, got " + stride);
    }
    if ((backbone == Backbone.CENTERNET) != (pretrained != null)) {
      throw new IllegalArgumentException(
          backbone == Backbone.CENTERNET
              ? "the centernet backbone is built from the imported model: give its folder"
              : "only the centernet backbone is built from an imported model");
    }
    this.backbone = backbone;
    this.pretrained = pretrained;
    if (stride != 4 && stride != 8) {
      throw new IllegalArgumentException("detector output stride must be 4 or 8, got " + stride);
    }
    int multiple = inputMultiple(stride);
    if (inputWidth % multiple != 0 || inputHeight % multiple != 0) {
      throw new IllegalArgumentException(
          "detector input "
              + inputWidth
              + "x"
              + inputHeight
              + " must be a multiple of "
              + multiple
              + " at stride "
              + stride);
    }
    this.inputWidth = inputWidth;
    this.inputHeight = inputHeight;
    this.width = width;
    this.stride = stride;
    outWidth = inputWidth / stride;
    outHeight = inputHeight / stride;
    trainImages =
        tf.withName("train_images")
            .placeholder(TUint8.class, Placeholder.shape(Shape.of(-1, inputHeight, inputWidth, 3)));
    heatTarget = target("heat_target", 1);
    sizeTarget = target("size_target", 2);
    offsetTarget = target("offset_target", 2);
    centers = target("centers", 1);

    training = true;
    Operand<TFloat32>[] heads = network(scale(trainImages));
    loss = loss(heads, giouWeight);
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
    Operand<TFloat32>[] out = flipAveraged(scaleFloat(resized), flips);
    Operand<TFloat32> heat = out[0];
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
    Operand<TFloat32> peakScores =
        tf.reshape(top.values(), tf.constant(new int[] {MAX_DETECTIONS}));
    if (softNmsSigma > 0) {
      // IoU threshold 1 (no hard suppression) and score threshold 0: every peak stays, re-scored;
      // the output is sorted by the new scores.
      NonMaxSuppression<TFloat32> nms =
          tf.image.nonMaxSuppression(
              stacked,
              peakScores,
              tf.constant(MAX_DETECTIONS),
              tf.constant(1f),
              tf.constant(0f),
              tf.constant(softNmsSigma),
              NonMaxSuppression.padToMaxOutputSize(true));
      stacked = tf.gather(stacked, nms.selectedIndices(), tf.constant(0));
      peakScores = nms.selectedScores();
    }
    boxes =
        tf.withName("detection_boxes")
            .reshape(stacked, tf.constant(new int[] {1, MAX_DETECTIONS, 4}));
    Operand<TFloat32> rowScores =
        tf.reshape(peakScores, tf.constant(new int[] {1, MAX_DETECTIONS}));
    scores = tf.withName("detection_scores").identity(rowScores);
    classes = tf.withName("detection_classes").onesLike(rowScores);
    count = tf.withName("num_detections").constant(new float[] {MAX_DETECTIONS});
  }

  /**
   * The network's outputs for a {@code [1, H, W, 3]} frame, averaged over the frame and its mirror
   * images when {@code flips} asks for them: {heat probability, size, offset}, each {@code [1, oh,
   * ow, C]}. Mirrored across the width, a cell's sub-cell x offset {@code o} becomes {@code 1 - o}
   * (and likewise y across the height), so offsets are mirrored back as well as the maps.
   */
  @SuppressWarnings("unchecked")
  private Operand<TFloat32>[] flipAveraged(Operand<TFloat32> frame, TestFlips flips) {
    if (flips == TestFlips.NONE) {
      Operand<TFloat32>[] raw = network(frame);
      return new Operand[] {tf.math.sigmoid(raw[0]), raw[1], raw[2]};
    }
    // Variants: 0 as is, 1 mirrored left-right, then (XY) 2 top-bottom, 3 both.
    int n = flips == TestFlips.XY ? 4 : 2;
    List<Operand<TFloat32>> variants = new java.util.ArrayList<>();
    for (int v = 0; v < n; v++) {
      variants.add(mirror(frame, (v & 1) != 0, (v & 2) != 0));
    }
    Operand<TFloat32>[] raw = network(tf.concat(variants, tf.constant(0)));
    Operand<TFloat32> heat = tf.math.sigmoid(raw[0]);
    Operand<TFloat32> heatSum = null;
    Operand<TFloat32> sizeSum = null;
    Operand<TFloat32> offsetSum = null;
    for (int v = 0; v < n; v++) {
      boolean fx = (v & 1) != 0;
      boolean fy = (v & 2) != 0;
      Operand<TFloat32> h = mirror(item(heat, v), fx, fy);
      Operand<TFloat32> sz = mirror(item(raw[1], v), fx, fy);
      Operand<TFloat32> off = mirror(item(raw[2], v), fx, fy);
      // Offsets are (x, y) in the last axis: a mirrored axis reads 1 - o.
      off =
          tf.math.add(
              tf.math.mul(off, tf.constant(new float[] {fx ? -1f : 1f, fy ? -1f : 1f})),
              tf.constant(new float[] {fx ? 1f : 0f, fy ? 1f : 0f}));
      heatSum = heatSum == null ? h : tf.math.add(heatSum, h);
      sizeSum = sizeSum == null ? sz : tf.math.add(sizeSum, sz);
      offsetSum = offsetSum == null ? off : tf.math.add(offsetSum, off);
    }
    Operand<TFloat32> share = tf.constant(1f / n);
    return new Operand[] {
      tf.math.mul(heatSum, share), tf.math.mul(sizeSum, share), tf.math.mul(offsetSum, share)
    };
  }

  /** Batch item {@code i} of an {@code [N, h, w, C]} map, as {@code [1, h, w, C]}. */
  private Operand<TFloat32> item(Operand<TFloat32> x, int i) {
    return tf.gather(x, tf.constant(new int[] {i}), tf.constant(0));
  }

  /** The map mirrored across its width ({@code x}) and/or height ({@code y}). */
  private Operand<TFloat32> mirror(Operand<TFloat32> x, boolean acrossWidth, boolean acrossHeight) {
    if (!acrossWidth && !acrossHeight) {
      return x;
    }
    int[] axes = acrossWidth && acrossHeight ? new int[] {1, 2} : new int[] {acrossWidth ? 2 : 1};
    return tf.reverse(x, tf.constant(axes));
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

  /**
   * The imported backbone's weights learn at a tenth of the heads' rate: it has no batch norm left
   * (folded into its convolutions), and Adam's first full-size steps on it undo what COCO taught it
   * (measured: the loss climbs at 2e-4 for every weight, falls at 1e-5).
   */
  @Override
  protected float learningRateScale(String name) {
    return name.startsWith("centernet/") ? BACKBONE_RATE : 1f;
  }

  /** Both input sides must be multiples of this: the deepest feature map's stride. */
  static int inputMultiple(int stride) {
    return stride == 4 ? 16 : 8;
  }

  @SuppressWarnings("unchecked")
  private Operand<TFloat32>[] network(Operand<TFloat32> x) {
    if (backbone == Backbone.CENTERNET) {
      // Back from [-1, 1] to the 0-255 pixels the COCO network was trained on.
      Operand<TFloat32> pixels = tf.math.mul(tf.math.add(x, tf.constant(1f)), tf.constant(127.5f));
      Operand<TFloat32> f =
          CenterNetBackbone.features(
              tf,
              pretrained,
              pixels,
              inputHeight,
              inputWidth,
              w -> {
                float[] v = w.values();
                int[] next = {0};
                return weight("centernet/" + w.name(), w.shape(), () -> v[next[0]++]);
              });
      // A 1x1 neck down to 32 channels keeps the heads' 3x3 convolution at stride 4 cheap.
      Operand<TFloat32> neck =
          tf.nn.relu(batchNorm("neck/bn", conv("neck", f, 1, CenterNetBackbone.CHANNELS, NECK, 1)));
      return heads(neck, NECK);
    }
    if (backbone == Backbone.MOBILENET_V2) {
      // Blocks 2, 5 and 9 end the stride-4, stride-8 and stride-16 stages (24, 32, 64 channels).
      List<Operand<TFloat32>> b = mobileNetV2(x, 1.0, 10);
      Operand<TFloat32> y =
          tf.math.add(b.get(5), upsample(conv("fpn16/proj", b.get(9), 1, 64, 32, 1), 16));
      y = tf.nn.relu(batchNorm("fpn8/bn", conv("fpn8", y, 3, 32, 24, 1)));
      y = tf.math.add(b.get(2), upsample(y, 8));
      y = tf.nn.relu(batchNorm("fpn4/bn", conv("fpn4", y, 3, 24, 32, 1)));
      return heads(y, 32);
    }
    int c1 = width;
    int c2 = width * 3 / 2;
    int c3 = width * 3;
    x = tf.nn.relu(batchNorm("l1/bn", conv("l1", x, 3, 3, c1, 2)));
    x = tf.nn.relu(batchNorm("l2/bn", conv("l2", x, 3, c1, c2, 2)));
    x = tf.nn.relu(batchNorm("l3/bn", conv("l3", x, 3, c2, c2, 1)));
    Operand<TFloat32> stride4 = x;
    x = tf.nn.relu(batchNorm("l4/bn", conv("l4", x, 3, c2, c3, 2)));
    for (int i = 5; i <= 7; i++) {
      Operand<TFloat32> h = tf.nn.relu(batchNorm("l" + i + "/bn", conv("l" + i, x, 3, c3, c3, 1)));
      x = tf.math.add(x, h);
    }
    int c = c3;
    if (stride == 4) {
      int c4 = width * 4;
      Operand<TFloat32> y = tf.nn.relu(batchNorm("l8/bn", conv("l8", x, 3, c3, c4, 2)));
      y = tf.math.add(y, tf.nn.relu(batchNorm("l9/bn", conv("l9", y, 3, c4, c4, 1))));
      x = tf.math.add(x, upsample(conv("up8/proj", y, 1, c4, c3, 1), 16));
      x = tf.nn.relu(batchNorm("up8/bn", conv("up8", x, 3, c3, c2, 1)));
      x = tf.math.add(stride4, upsample(x, 8));
      x = tf.nn.relu(batchNorm("up4/bn", conv("up4", x, 3, c2, c2, 1)));
      c = c2;
    }
    return heads(x, c);
  }

  /** Heatmap, box size and sub-cell offset heads on a feature map of {@code c} channels. */
  @SuppressWarnings("unchecked")
  private Operand<TFloat32>[] heads(Operand<TFloat32> x, int c) {
    Operand<TFloat32> hh = tf.nn.relu(batchNorm("heat/bn", conv("heat/conv", x, 3, c, c, 1)));
    // The heatmap's bias starts at the CenterNet prior, sigmoid(-2.19) = 0.1.
    Operand<TFloat32> heat =
        tf.math.add(
            conv("heat/out", hh, 1, c, 1, 1), weight("heat/out/b", new long[] {1}, () -> -2.19));
    Operand<TFloat32> size =
        tf.math.add(
            conv("size/out", x, 1, c, 2, 1), weight("size/out/b", new long[] {2}, () -> 0.1));
    Operand<TFloat32> offset =
        tf.math.add(
            conv("offset/out", x, 1, c, 2, 1), weight("offset/out/b", new long[] {2}, () -> 0.5));
    return new Operand[] {heat, size, offset};
  }

  /**
   * Nearest-neighbour upsampling by two, built from reshape and a broadcast multiply (ops whose
   * gradients TF's C API knows), of a map at stride {@code level}.
   */
  private Operand<TFloat32> upsample(Operand<TFloat32> x, int level) {
    int rows = inputHeight / level;
    int cols = inputWidth / level;
    int channels = (int) x.shape().get(3);
    Operand<TFloat32> spread =
        tf.math.mul(
            tf.reshape(x, tf.constant(new int[] {-1, rows, 1, cols, 1, channels})),
            tf.ones(tf.constant(new int[] {1, 1, 2, 1, 2, 1}), TFloat32.class));
    return tf.reshape(spread, tf.constant(new int[] {-1, rows * 2, cols * 2, channels}));
  }

  /**
   * CenterNet's penalty-reduced focal loss on centres, plus L1 on size and offset at centres, plus
   * (with a positive weight) the generalised IoU loss of the box each centre cell predicts.
   */
  private Operand<TFloat32> loss(Operand<TFloat32>[] heads, float giouWeight) {
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
    Operand<TFloat32> total =
        tf.math.add(focal, tf.math.add(tf.math.mul(sizeL1, tf.constant(5f)), offL1));
    if (giouWeight > 0) {
      Operand<TFloat32> giou =
          tf.math.div(
              sumAll(
                  tf.math.mul(
                      tf.math.sub(
                          one, generalisedIou(heads[1], heads[2], sizeTarget, offsetTarget)),
                      centers)),
              n);
      total = tf.math.add(total, tf.math.mul(giou, tf.constant(giouWeight)));
    }
    return tf.withName("loss").identity(total);
  }

  /**
   * Generalised IoU (Rezatofighi et al. 2019) per cell between the box predicted there and the
   * target box, both as a centre offset within the cell and a size as a share of the input, and
   * compared in cell units. Every division is guarded, so cells without a box give finite values.
   */
  Operand<TFloat32> generalisedIou(
      Operand<TFloat32> size,
      Operand<TFloat32> offset,
      Operand<TFloat32> targetSize,
      Operand<TFloat32> targetOffset) {
    Operand<TFloat32> tiny = tf.constant(1e-6f);
    Operand<TFloat32> pw = tf.math.maximum(cells(size, 0, outWidth), tf.constant(1e-3f));
    Operand<TFloat32> ph = tf.math.maximum(cells(size, 1, outHeight), tf.constant(1e-3f));
    Operand<TFloat32> tw = cells(targetSize, 0, outWidth);
    Operand<TFloat32> th = cells(targetSize, 1, outHeight);
    Operand<TFloat32>[] px = span(cells(offset, 0, 1), pw);
    Operand<TFloat32>[] py = span(cells(offset, 1, 1), ph);
    Operand<TFloat32>[] tx = span(cells(targetOffset, 0, 1), tw);
    Operand<TFloat32>[] ty = span(cells(targetOffset, 1, 1), th);
    Operand<TFloat32> zero = tf.constant(0f);
    Operand<TFloat32> iw =
        tf.math.maximum(
            zero, tf.math.sub(tf.math.minimum(px[1], tx[1]), tf.math.maximum(px[0], tx[0])));
    Operand<TFloat32> ih =
        tf.math.maximum(
            zero, tf.math.sub(tf.math.minimum(py[1], ty[1]), tf.math.maximum(py[0], ty[0])));
    Operand<TFloat32> inter = tf.math.mul(iw, ih);
    Operand<TFloat32> union =
        tf.math.maximum(
            tf.math.sub(tf.math.add(tf.math.mul(pw, ph), tf.math.mul(tw, th)), inter), tiny);
    Operand<TFloat32> enclosing =
        tf.math.maximum(
            tf.math.mul(
                tf.math.sub(tf.math.maximum(px[1], tx[1]), tf.math.minimum(px[0], tx[0])),
                tf.math.sub(tf.math.maximum(py[1], ty[1]), tf.math.minimum(py[0], ty[0]))),
            tiny);
    return tf.math.sub(
        tf.math.div(inter, union), tf.math.div(tf.math.sub(enclosing, union), enclosing));
  }

  /** Channel {@code c} of a {@code [N, oh, ow, 2]} map as {@code [N, oh, ow, 1]}, times a scale. */
  private Operand<TFloat32> cells(Operand<TFloat32> map, int c, int scale) {
    float[] pick = new float[2];
    pick[c] = scale;
    return tf.reduceSum(
        tf.math.mul(map, tf.constant(pick)), tf.constant(new int[] {3}), ReduceSum.keepDims(true));
  }

  /** The low and high ends of an interval given by its centre and length. */
  @SuppressWarnings("unchecked")
  private Operand<TFloat32>[] span(Operand<TFloat32> centre, Operand<TFloat32> length) {
    Operand<TFloat32> half = tf.math.mul(length, tf.constant(0.5f));
    return new Operand[] {tf.math.sub(centre, half), tf.math.add(centre, half)};
  }

  private Operand<TFloat32> sumAll(Operand<TFloat32> x) {
    return tf.reduceSum(x, tf.constant(new int[] {0, 1, 2, 3}), ReduceSum.keepDims(false));
  }

  @Override
  public Operand<?> images() {
    return trainImages;
  }
}
