package org.farmid.common.labels;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.farmid.common.geom.Box;
import org.farmid.common.synth.GroundTruthRow;

/**
 * COCO object-detection labels ({@code images}, {@code annotations} with {@code bbox = [x, y, w,
 * h]} in pixels, {@code categories}), as CVAT and Label Studio export them. Every category counts
 * as an animal; an annotation's track id (the animal's identity) is CVAT's {@code
 * attributes.track_id} when present, else {@link GroundTruthRow#NO_IDENTITY}.
 */
public final class CocoLabels {

  /**
   * One image and its boxes.
   *
   * @param width the width the file states, 0 when it states none
   * @param line the line of the file where the image's entry starts
   */
  public record Image(
      long id, String fileName, int width, int height, int line, List<GroundTruthRow> boxes) {}

  /** The images of a file, in the file's order, and its category names by id. */
  public record Dataset(List<Image> images, Map<Long, String> categories) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private record Entry(int line, JsonNode node) {}

  private CocoLabels() {}

  /**
   * Reads a COCO file. Refused, with the file and the line of the entry: text that is not JSON, an
   * image without id or file name, an annotation whose image or category is not declared, a bbox
   * that is not four numbers with a positive size inside the image.
   */
  public static Dataset parse(String file, String text) {
    Map<String, List<Entry>> lists = new LinkedHashMap<>();
    try (JsonParser p = JSON.getFactory().createParser(text)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new LabelFormatException(
            file, 1, "expected a JSON object with images, annotations and categories");
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken t = p.nextToken();
        if (List.of("images", "annotations", "categories").contains(name)) {
          if (t != JsonToken.START_ARRAY) {
            throw new LabelFormatException(
                file, p.currentLocation().getLineNr(), name + ": expected a list");
          }
          List<Entry> entries = new ArrayList<>();
          while (p.nextToken() != JsonToken.END_ARRAY) {
            int line = p.currentTokenLocation().getLineNr();
            entries.add(new Entry(line, JSON.readTree(p)));
          }
          lists.put(name, entries);
        } else {
          p.skipChildren();
        }
      }
    } catch (JsonParseException e) {
      throw new LabelFormatException(
          file, e.getLocation().getLineNr(), "not JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new LabelFormatException(file, 0, "cannot read: " + e.getMessage());
    }
    for (String required : List.of("images", "categories")) {
      if (!lists.containsKey(required)) {
        throw new LabelFormatException(file, 0, "no '" + required + "' list (a COCO file has one)");
      }
    }
    Map<Long, String> categories = new LinkedHashMap<>();
    for (Entry e : lists.get("categories")) {
      long id = requireId(file, e, "id", "category");
      categories.put(id, e.node().path("name").asText(String.valueOf(id)));
    }
    Map<Long, int[]> index = new LinkedHashMap<>();
    List<Entry> imageEntries = lists.get("images");
    List<List<GroundTruthRow>> boxes = new ArrayList<>();
    for (int i = 0; i < imageEntries.size(); i++) {
      Entry e = imageEntries.get(i);
      long id = requireId(file, e, "id", "image");
      if (!e.node().path("file_name").isTextual() || e.node().get("file_name").asText().isBlank()) {
        throw new LabelFormatException(file, e.line(), "image " + id + " has no file_name");
      }
      if (index.put(id, new int[] {i}) != null) {
        throw new LabelFormatException(file, e.line(), "image id " + id + " is given twice");
      }
      boxes.add(new ArrayList<>());
    }
    for (Entry e : lists.getOrDefault("annotations", List.of())) {
      long id = e.node().path("id").asLong(-1);
      String what = "annotation" + (id >= 0 ? " " + id : "");
      long imageId = requireId(file, e, "image_id", what);
      int[] at = index.get(imageId);
      if (at == null) {
        throw new LabelFormatException(
            file, e.line(), what + ": image_id " + imageId + " is not among the images");
      }
      long category = requireId(file, e, "category_id", what);
      if (!categories.containsKey(category)) {
        throw new LabelFormatException(
            file,
            e.line(),
            what + ": unknown category_id " + category + "; categories are " + categories);
      }
      JsonNode bbox = e.node().path("bbox");
      if (!bbox.isArray() || bbox.size() != 4) {
        throw new LabelFormatException(
            file, e.line(), what + ": bbox must be [x, y, width, height], got " + bbox);
      }
      double[] b = new double[4];
      for (int k = 0; k < 4; k++) {
        if (!bbox.get(k).isNumber()) {
          throw new LabelFormatException(
              file, e.line(), what + ": bbox value " + bbox.get(k) + " is not a number");
        }
        b[k] = bbox.get(k).asDouble();
      }
      JsonNode image = imageEntries.get(at[0]).node();
      int w = image.path("width").asInt(0);
      int h = image.path("height").asInt(0);
      // Half a pixel of slack: tools round corners to the pixel grid.
      boolean outside =
          b[0] < -0.5
              || b[1] < -0.5
              || (w > 0 && b[0] + b[2] > w + 0.5)
              || (h > 0 && b[1] + b[3] > h + 0.5);
      if (!(b[2] > 0 && b[3] > 0) || outside) {
        throw new LabelFormatException(
            file,
            e.line(),
            String.format(
                Locale.ROOT,
                "%s: bbox [%s, %s, %s, %s] must have a positive size and lie inside image %d"
                    + " (%dx%d)",
                what,
                num(b[0]),
                num(b[1]),
                num(b[2]),
                num(b[3]),
                imageId,
                w,
                h));
      }
      long track = e.node().path("attributes").path("track_id").asLong(GroundTruthRow.NO_IDENTITY);
      List<GroundTruthRow> rows = boxes.get(at[0]);
      rows.add(
          new GroundTruthRow(
              1,
              (int) Math.max(GroundTruthRow.NO_IDENTITY, track),
              new Box(Math.max(0, b[0]), Math.max(0, b[1]), b[2], b[3]),
              1.0));
    }
    List<Image> images = new ArrayList<>();
    for (int i = 0; i < imageEntries.size(); i++) {
      Entry e = imageEntries.get(i);
      images.add(
          new Image(
              e.node().get("id").asLong(),
              e.node().get("file_name").asText(),
              e.node().path("width").asInt(0),
              e.node().path("height").asInt(0),
              e.line(),
              List.copyOf(boxes.get(i))));
    }
    return new Dataset(List.copyOf(images), Map.copyOf(categories));
  }

  /**
   * A COCO file of the given images and their boxes (ids 1, 2, ... in order, one category per name,
   * every box of category 1, a box's identity as CVAT's {@code attributes.track_id}), indented, as
   * labelling tools import it.
   */
  public static String write(List<Image> images, List<String> categoryNames) {
    Map<String, Object> doc = new LinkedHashMap<>();
    doc.put("info", Map.of("description", "frames exported by farmid export-frames"));
    List<Object> imgs = new ArrayList<>();
    List<Object> anns = new ArrayList<>();
    for (Image im : images) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("id", im.id());
      m.put("file_name", im.fileName());
      m.put("width", im.width());
      m.put("height", im.height());
      imgs.add(m);
      for (GroundTruthRow r : im.boxes()) {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("id", anns.size() + 1);
        a.put("image_id", im.id());
        a.put("category_id", 1);
        a.put("bbox", List.of(r.box().left(), r.box().top(), r.box().width(), r.box().height()));
        a.put("area", r.box().area());
        a.put("iscrowd", 0);
        if (r.id() != GroundTruthRow.NO_IDENTITY) {
          a.put("attributes", Map.of("track_id", r.id()));
        }
        anns.add(a);
      }
    }
    List<Object> cats = new ArrayList<>();
    for (int i = 0; i < categoryNames.size(); i++) {
      cats.add(Map.of("id", i + 1, "name", categoryNames.get(i)));
    }
    doc.put("images", imgs);
    doc.put("annotations", anns);
    doc.put("categories", cats);
    try {
      return JSON.copy().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc) + "\n";
    } catch (IOException e) {
      throw new IllegalStateException("cannot write COCO JSON", e);
    }
  }

  private static long requireId(String file, Entry e, String key, String what) {
    JsonNode v = e.node().path(key);
    if (!v.canConvertToLong() || !v.isIntegralNumber()) {
      throw new LabelFormatException(
          file, e.line(), what + ": '" + key + "' must be an integer, got " + v);
    }
    return v.asLong();
  }

  private static String num(double v) {
    return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
  }
}
