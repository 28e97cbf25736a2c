package org.farmid.models.embed;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.farmid.common.image.CropPreprocessor;

/**
 * The small card beside an embedder's SavedModel ({@code model.json}): what the model expects and
 * how it was made. The loader compares it with what the code does and refuses a mismatch by name.
 *
 * @param inputSize input width in pixels, the side of a square input
 * @param heightIfNotSquare input height in pixels, written only when it differs from the width
 *     (cards of square models have none)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ModelCard(
    @JsonProperty("format") String format,
    @JsonProperty("kind") String kind,
    @JsonProperty("input_size") int inputSize,
    @JsonProperty("input_height") Integer heightIfNotSquare,
    @JsonProperty("input_name") String inputName,
    @JsonProperty("input_dtype") String inputDtype,
    @JsonProperty("channel_order") String channelOrder,
    @JsonProperty("preprocessing") String preprocessing,
    @JsonProperty("output_name") String outputName,
    @JsonProperty("embedding_size") int embeddingSize,
    @JsonProperty("signature") String signature,
    @JsonProperty("architecture") Map<String, Object> architecture,
    @JsonProperty("training") Map<String, Object> training,
    @JsonProperty("validation") Map<String, Object> validation,
    @JsonProperty("git_commit") String gitCommit) {

  public static final String FILE = "model.json";
  public static final String FORMAT = "farmid-model/1";
  public static final String EMBEDDER = "embedder";

  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  public int inputWidth() {
    return inputSize;
  }

  public int inputHeight() {
    return heightIfNotSquare == null ? inputSize : heightIfNotSquare;
  }

  public void write(Path modelDir) throws IOException {
    MAPPER.writeValue(modelDir.resolve(FILE).toFile(), this);
  }

  /**
   * Reads the card of a model folder and checks it against what this code feeds and expects.
   *
   * @throws InvalidModelException naming the folder and every mismatch
   */
  public static ModelCard readEmbedder(Path modelDir, int expectedEmbeddingSize)
      throws InvalidModelException {
    if (!Files.isDirectory(modelDir)) {
      throw new InvalidModelException("model folder " + modelDir + " does not exist");
    }
    Path file = modelDir.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      throw new InvalidModelException("model folder " + modelDir + " has no " + FILE + " card");
    }
    if (!Files.isRegularFile(modelDir.resolve("saved_model.pb"))) {
      throw new InvalidModelException("model folder " + modelDir + " has no saved_model.pb");
    }
    ModelCard card;
    try {
      card = MAPPER.readValue(file.toFile(), ModelCard.class);
    } catch (IOException e) {
      throw new InvalidModelException("cannot read " + file + ": " + e.getMessage());
    }
    List<String> problems = new ArrayList<>();
    expect(problems, "format", FORMAT, card.format());
    expect(problems, "kind", EMBEDDER, card.kind());
    expect(problems, "channel_order", "RGB", card.channelOrder());
    expect(problems, "input_dtype", "uint8", card.inputDtype());
    if (!CropPreprocessor.knows(card.preprocessing())) {
      problems.add(
          "preprocessing is '"
              + card.preprocessing()
              + "', expected '"
              + CropPreprocessor.ID
              + "' or '"
              + CropPreprocessor.ALIGNED_ID
              + "'");
    }
    if (expectedEmbeddingSize > 0 && card.embeddingSize() != expectedEmbeddingSize) {
      problems.add(
          "embedding_size is " + card.embeddingSize() + ", expected " + expectedEmbeddingSize);
    }
    if (card.inputWidth() < 8) {
      problems.add("input_size " + card.inputWidth() + " is not a usable size");
    }
    if (card.inputHeight() < 8) {
      problems.add("input_height " + card.inputHeight() + " is not a usable size");
    }
    if (!problems.isEmpty()) {
      throw new InvalidModelException(
          "model " + modelDir + " does not match this code: " + String.join("; ", problems));
    }
    return card;
  }

  private static void expect(List<String> problems, String key, String expected, String actual) {
    if (!expected.equals(actual)) {
      problems.add(key + " is '" + actual + "', expected '" + expected + "'");
    }
  }
}
