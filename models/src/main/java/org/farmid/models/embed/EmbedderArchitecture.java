package org.farmid.models.embed;

import java.util.List;
import org.farmid.models.tf.NetworkGraph;

/**
 * The shape of the embedding network: a MobileNetV2-style backbone of inverted-residual blocks, cut
 * after {@code blocks} blocks (the published method attached its head at block 10 to keep
 * fine-grained features), then Flatten (or a pooling over the feature map), Dropout, Dense 256
 * ReLU, Dense {@code embeddingSize}, L2 normalisation.
 *
 * @param inputWidth input width, pixels
 * @param inputHeight input height, pixels (crops are stretched to the input's shape)
 * @param width MobileNetV2 width multiplier
 * @param blocks inverted-residual blocks kept, 1..17
 * @param loss {@code semi-hard} or {@code batch-hard}
 * @param flipAverage the exported embedding is the normalised mean of the crop's and its mirror
 *     image's embeddings (test-time flip), so a crop and its mirror get the same embedding
 * @param pooling how the feature map becomes the head's input: {@code flatten} (every position its
 *     own inputs, as the published method), {@code average} or {@code max} (each channel pooled
 *     over the map: where on the crop a pattern lies no longer matters)
 */
public record EmbedderArchitecture(
    int inputWidth,
    int inputHeight,
    double width,
    int blocks,
    int embeddingSize,
    int denseSize,
    double dropout,
    double margin,
    String loss,
    boolean flipAverage,
    String pooling) {

  /** The ways a feature map may become the head's input. */
  public static final List<String> POOLINGS = List.of("flatten", "average", "max");

  /** MobileNetV2's stages: expansion t, channels c, repeats n, first stride s. */
  static final int[][] STAGES = NetworkGraph.MOBILENET_V2_STAGES;

  public EmbedderArchitecture {
    if (inputWidth < 32 || inputHeight < 32) {
      throw new IllegalArgumentException(
          "input sides must be at least 32, got " + inputWidth + "x" + inputHeight);
    }
    if (blocks < 1 || blocks > 17) {
      throw new IllegalArgumentException("blocks must be 1..17, got " + blocks);
    }
    if (!loss.equals("semi-hard") && !loss.equals("batch-hard")) {
      throw new IllegalArgumentException("loss must be semi-hard or batch-hard, got " + loss);
    }
    if (!POOLINGS.contains(pooling)) {
      throw new IllegalArgumentException("pooling must be flatten, average or max, got " + pooling);
    }
  }

  /** Length of the head's input: the flattened feature map, or one value per channel. */
  int headInputs() {
    return pooling.equals("flatten")
        ? featureWidth() * featureHeight() * featureChannels()
        : featureChannels();
  }

  /** Channels rounded as MobileNetV2 does (multiples of 8, never below 90% of the target). */
  static int divisible(double channels) {
    return NetworkGraph.divisible(channels);
  }

  /** Width of the feature map after the kept blocks. */
  int featureWidth() {
    return featureSide(inputWidth);
  }

  /** Height of the feature map after the kept blocks. */
  int featureHeight() {
    return featureSide(inputHeight);
  }

  /** A side of the feature map after the kept blocks (SAME padding halves and rounds up). */
  private int featureSide(int inputSide) {
    int side = (inputSide + 1) / 2; // stem stride 2
    int kept = 0;
    for (int[] stage : STAGES) {
      for (int r = 0; r < stage[2] && kept < blocks; r++, kept++) {
        if (r == 0 && stage[3] == 2) {
          side = (side + 1) / 2;
        }
      }
    }
    return side;
  }

  /** Channels of the feature map after the kept blocks. */
  int featureChannels() {
    int kept = 0;
    int channels = divisible(32 * width);
    for (int[] stage : STAGES) {
      for (int r = 0; r < stage[2] && kept < blocks; r++, kept++) {
        channels = divisible(stage[1] * width);
      }
    }
    return channels;
  }
}
