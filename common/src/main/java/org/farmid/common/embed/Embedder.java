package org.farmid.common.embed;

import java.util.List;
import org.farmid.common.image.CropPreprocessor;

/**
 * Turns model inputs into embeddings. Inputs are what {@link
 * org.farmid.common.image.CropPreprocessor} makes: packed RGB bytes of {@code inputWidth() x
 * inputHeight()} pixels. Outputs are L2-normalised {@code float[embeddingSize()]}, in input order.
 */
public interface Embedder {
  int inputWidth();

  int inputHeight();

  /** The preprocessing that makes this embedder's inputs. */
  default CropPreprocessor preprocessor() {
    return new CropPreprocessor(inputWidth(), inputHeight());
  }

  int embeddingSize();

  /** Identifies the model (directory name and training fingerprint) for provenance columns. */
  String modelId();

  float[][] embed(List<byte[]> inputs);
}
