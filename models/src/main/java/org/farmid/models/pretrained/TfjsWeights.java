package org.farmid.models.pretrained;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The weights of a TensorFlow.js model: the {@code weightsManifest} of its {@code model.json} read
 * from the binary shards beside it and de-quantised to float32 ({@code uint8} and {@code uint16} as
 * {@code min + q * scale}, {@code float16} widened; float32 as stored).
 */
public final class TfjsWeights {

  /** One weight: its name in the manifest, its shape and its values in row-major order. */
  public record Weight(String name, long[] shape, float[] values) {
    public int size() {
      return values.length;
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private TfjsWeights() {}

  /**
   * The {@code model.json} of a TensorFlow.js model folder; refused naming the folder if absent.
   */
  static JsonNode modelJson(Path dir) throws IOException {
    Path file = dir.resolve("model.json");
    if (!Files.isRegularFile(file)) {
      throw new IOException(dir + " holds no model.json (a TensorFlow.js model)");
    }
    return JSON.readTree(file.toFile());
  }

  /** Every weight of the manifest, in manifest order; errors name the file and the weight. */
  public static Map<String, Weight> read(Path dir, JsonNode manifest) throws IOException {
    Map<String, Weight> out = new LinkedHashMap<>();
    for (JsonNode group : manifest) {
      ByteBuffer data = concat(dir, group.path("paths"));
      for (JsonNode w : group.path("weights")) {
        String name = w.path("name").asText();
        long[] shape = new long[w.path("shape").size()];
        int n = 1;
        for (int i = 0; i < shape.length; i++) {
          shape[i] = w.path("shape").get(i).asLong();
          n *= (int) shape[i];
        }
        JsonNode q = w.path("quantization");
        String stored =
            q.isMissingNode() ? w.path("dtype").asText("float32") : q.path("dtype").asText();
        float[] v = new float[n];
        int bytes =
            n
                * (stored.equals("float32") || stored.equals("int32")
                    ? 4
                    : stored.equals("uint8") ? 1 : 2);
        if (data.remaining() < bytes) {
          throw new IOException(
              "weight "
                  + name
                  + " needs "
                  + bytes
                  + " bytes, the shards of "
                  + dir
                  + " hold only "
                  + data.remaining()
                  + " more");
        }
        switch (stored) {
          case "float32" -> {
            for (int i = 0; i < n; i++) {
              v[i] = data.getFloat();
            }
          }
          case "int32" -> {
            for (int i = 0; i < n; i++) {
              v[i] = data.getInt();
            }
          }
          case "uint8", "uint16" -> {
            // As TensorFlow.js computes it: in double, then rounded to float.
            double min = q.path("min").asDouble();
            double scale = q.path("scale").asDouble();
            for (int i = 0; i < n; i++) {
              int raw = stored.equals("uint8") ? data.get() & 0xff : data.getShort() & 0xffff;
              v[i] = (float) (raw * scale + min);
            }
          }
          case "float16" -> {
            for (int i = 0; i < n; i++) {
              v[i] = halfToFloat(data.getShort());
            }
          }
          default ->
              throw new IOException(
                  "weight "
                      + name
                      + " in "
                      + dir
                      + " is stored as "
                      + stored
                      + "; expected float32, int32, uint8, uint16 or float16");
        }
        out.put(name, new Weight(name, shape, v));
      }
      if (data.remaining() != 0) {
        throw new IOException(
            "the shards of " + dir + " hold " + data.remaining() + " bytes no weight reads");
      }
    }
    return out;
  }

  /** IEEE 754 half precision to float (Java 17 has no Float.float16ToFloat). */
  static float halfToFloat(short h) {
    int bits = h & 0xffff;
    int sign = (bits & 0x8000) << 16;
    int exp = (bits >>> 10) & 0x1f;
    int mant = bits & 0x3ff;
    if (exp == 0x1f) {
      return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
    }
    if (exp == 0) {
      // Subnormal or zero: mant * 2^-24.
      float v = mant * 0x1p-24f;
      return sign != 0 ? -v : v;
    }
    return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
  }

  private static ByteBuffer concat(Path dir, JsonNode paths) throws IOException {
    byte[][] parts = new byte[paths.size()][];
    int total = 0;
    for (int i = 0; i < paths.size(); i++) {
      Path shard = dir.resolve(paths.get(i).asText());
      if (!Files.isRegularFile(shard)) {
        throw new IOException("weight shard " + shard + " is missing");
      }
      parts[i] = Files.readAllBytes(shard);
      total += parts[i].length;
    }
    ByteBuffer b = ByteBuffer.allocate(total).order(ByteOrder.LITTLE_ENDIAN);
    for (byte[] p : parts) {
      b.put(p);
    }
    return b.flip();
  }
}
