package org.farmid.common.embed;

import java.util.List;
import org.farmid.common.image.CropPreprocessor;

/**
 * Several embedders of one input (such as one recipe trained with several seeds) as one: a crop's
 * embedding is its members' embeddings side by side, re-normalised, so the cosine of two crops is
 * the mean of their members' cosines. Members must take the same input: size and preprocessing.
 */
public final class EmbedderEnsemble implements Embedder {

  private final List<Embedder> members;

  private EmbedderEnsemble(List<Embedder> members) {
    this.members = List.copyOf(members);
  }

  /**
   * The members as one embedder; one member is returned as it is. Refused, naming both, when a
   * member takes another input than the first.
   */
  public static Embedder of(List<? extends Embedder> members) {
    if (members.isEmpty()) {
      throw new IllegalArgumentException("an ensemble needs at least one embedder");
    }
    Embedder first = members.get(0);
    if (members.size() == 1) {
      return first;
    }
    CropPreprocessor p = first.preprocessor();
    for (Embedder e : members.subList(1, members.size())) {
      CropPreprocessor q = e.preprocessor();
      if (q.width() != p.width() || q.height() != p.height() || !q.id().equals(p.id())) {
        throw new IllegalArgumentException(
            "an ensemble's embedders must take one input: "
                + first.modelId()
                + " takes "
                + describe(p)
                + ", "
                + e.modelId()
                + " takes "
                + describe(q));
      }
    }
    return new EmbedderEnsemble(members.stream().map(Embedder.class::cast).toList());
  }

  private static String describe(CropPreprocessor p) {
    return p.width() + "x" + p.height() + " (" + p.id() + ")";
  }

  @Override
  public int inputWidth() {
    return members.get(0).inputWidth();
  }

  @Override
  public int inputHeight() {
    return members.get(0).inputHeight();
  }

  @Override
  public CropPreprocessor preprocessor() {
    return members.get(0).preprocessor();
  }

  @Override
  public int embeddingSize() {
    return members.stream().mapToInt(Embedder::embeddingSize).sum();
  }

  @Override
  public String modelId() {
    return members.stream()
        .map(Embedder::modelId)
        .collect(java.util.stream.Collectors.joining("+", "ensemble(", ")"));
  }

  @Override
  public float[][] embed(List<byte[]> inputs) {
    float[][] out = new float[inputs.size()][embeddingSize()];
    int offset = 0;
    for (Embedder m : members) {
      float[][] e = m.embed(inputs);
      for (int i = 0; i < e.length; i++) {
        System.arraycopy(e[i], 0, out[i], offset, e[i].length);
      }
      offset += m.embeddingSize();
    }
    for (int i = 0; i < out.length; i++) {
      out[i] = Embeddings.normalize(out[i]);
    }
    return out;
  }
}
