package org.farmid.models.pretrained;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The COCO CenterNet (MobileNetV3 with its feature pyramid, imported by {@code
 * scripts/import-pretrained.sh} into {@code models/pretrained/centernet}) as a backbone: its
 * stride-4 feature map, the one its 80 class heatmaps and its box sizes are read from, under which
 * a detector puts heads of its own.
 */
public final class CenterNetBackbone {
  /** The node whose output the COCO heads read: 128 channels at stride 4. */
  public static final String FEATURES = "tower_0/CenternetHead/mul";

  /** Channels of {@link #FEATURES}. */
  public static final int CHANNELS = 128;

  /** Both input sides must be multiples of this (the network's deepest stride). */
  public static final int INPUT_MULTIPLE = 32;

  private CenterNetBackbone() {}

  /**
   * The feature map of {@code pixels} (NHWC float, RGB 0-255 as the network was trained on), {@code
   * height x width} being the input size; {@code weight} turns each pretrained float weight into an
   * operand (a variable to fine-tune).
   */
  @SuppressWarnings("unchecked")
  public static Operand<TFloat32> features(
      Ops tf,
      TfjsGraphModel model,
      Operand<TFloat32> pixels,
      int height,
      int width,
      java.util.function.Function<TfjsWeights.Weight, Operand<TFloat32>> weight) {
    if (!model.nodes().containsKey(FEATURES)) {
      throw new IllegalArgumentException(
          "the pretrained model has no node "
              + FEATURES
              + ": give the COCO CenterNet from scripts/import-pretrained.sh");
    }
    if (height % INPUT_MULTIPLE != 0 || width % INPUT_MULTIPLE != 0) {
      throw new IllegalArgumentException(
          "the centernet backbone needs input sides that are multiples of "
              + INPUT_MULTIPLE
              + " (detector.input-size), got "
              + width
              + "x"
              + height);
    }
    Map<String, Operand<?>> sizes = new LinkedHashMap<>();
    model.resizeSizesFor(height, width).forEach((name, hw) -> sizes.put(name, tf.constant(hw)));
    String input = model.inputs().keySet().iterator().next();
    Output<?> out =
        model.build(tf, Map.of(input, pixels), sizes, weight, List.of(FEATURES)).get(FEATURES);
    return (Operand<TFloat32>) out;
  }
}
