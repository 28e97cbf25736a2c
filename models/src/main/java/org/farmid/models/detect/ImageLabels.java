package org.farmid.models.detect;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.farmid.common.image.CropPreprocessor;
import org.farmid.common.labels.CocoLabels;
import org.farmid.common.labels.LabelFormatException;
import org.farmid.common.labels.YoloLabels;
import org.farmid.common.synth.GroundTruthRow;
import org.farmid.common.video.VideoFrame;

/**
 * Labelled still images: a YOLO folder or a COCO file. Each image is read as it is visited (frame 0
 * of itself, BGR), so a large set never sits in memory whole. Label files are checked when the
 * source is opened, so a bad line is refused before any training starts.
 */
public final class ImageLabels implements LabelledFrames {

  /** Image file name endings read, in the order a YOLO label's image is looked for. */
  static final List<String> IMAGE_ENDINGS = List.of(".jpg", ".jpeg", ".png", ".bmp");

  /** One image and how to get its boxes once its size is known. */
  private interface Boxes {
    List<GroundTruthRow> of(int width, int height) throws IOException;
  }

  private record Item(Path image, String key, Boxes boxes) {}

  private final String description;
  private final List<Item> items;

  private ImageLabels(String description, List<Item> items) {
    this.description = description;
    this.items = items;
  }

  /** How many images the source holds. */
  public int size() {
    return items.size();
  }

  @Override
  public String describe() {
    return description;
  }

  @Override
  public void forEach(int step, Visitor visitor) throws IOException {
    for (Item item : items) {
      BufferedImage img = read(item.image());
      List<GroundTruthRow> truth = item.boxes().of(img.getWidth(), img.getHeight());
      visitor.accept(
          new Labelled(
              item.key(),
              new VideoFrame(
                  0, 0, img.getWidth(), img.getHeight(), CropPreprocessor.packedBgr(img)),
              truth));
    }
  }

  /** Reads an image; the error names the file. */
  public static BufferedImage read(Path image) throws IOException {
    BufferedImage img;
    try {
      img = ImageIO.read(image.toFile());
    } catch (IOException e) {
      throw new IOException("cannot read image " + image + ": " + e.getMessage(), e);
    }
    if (img == null) {
      throw new IOException("image " + image + " is not a readable image (JPEG, PNG or BMP)");
    }
    return img;
  }

  /**
   * A YOLO folder: a dataset root with {@code data.yaml} (the split {@code split} it names, else
   * its only split), or a split folder with {@code images/} and {@code labels/} (classes from a
   * {@code data.yaml} in it or its parent; every class number counts when there is none).
   */
  public static ImageLabels yolo(Path folder, String split) throws IOException {
    Path yaml = folder.resolve("data.yaml");
    Path images;
    YoloLabels.DataYaml classes = null;
    if (Files.isDirectory(folder.resolve("images"))
        && Files.isDirectory(folder.resolve("labels"))) {
      images = folder.resolve("images");
      for (Path y : new Path[] {yaml, folder.toAbsolutePath().getParent().resolve("data.yaml")}) {
        if (Files.isRegularFile(y)) {
          classes = readYaml(y);
          break;
        }
      }
    } else {
      YoloLabels.DataYaml data = readYaml(yaml);
      classes = data;
      String dir = data.splits().get(split);
      if (dir == null) {
        throw new LabelFormatException(
            yaml.toString(),
            0,
            "no split '"
                + split
                + "' (it names "
                + String.join(", ", data.splits().keySet())
                + ")");
      }
      Path base = folder;
      if (data.path() != null && Files.isDirectory(folder.resolve(data.path()))) {
        base = folder.resolve(data.path());
      }
      images = base.resolve(dir);
      if (!Files.isDirectory(images)) {
        throw new LabelFormatException(
            yaml.toString(), 0, split + ": image folder " + images + " does not exist");
      }
    }
    int classCount = classes == null ? Integer.MAX_VALUE : classes.names().size();
    Path labels = labelsFolder(images);
    List<Path> imageFiles;
    try (Stream<Path> s = Files.list(images)) {
      imageFiles = s.filter(ImageLabels::isImage).sorted().toList();
    }
    Map<String, Path> imageByStem = new HashMap<>();
    for (Path p : imageFiles) {
      imageByStem.putIfAbsent(stem(p), p);
    }
    // A label file whose image is missing is an error; an image without labels shows no animal.
    if (Files.isDirectory(labels)) {
      try (Stream<Path> s = Files.list(labels)) {
        for (Path l : s.filter(p -> p.toString().endsWith(".txt")).sorted().toList()) {
          if (!imageByStem.containsKey(stem(l))) {
            throw new LabelFormatException(
                l.toString(),
                0,
                "no image "
                    + stem(l)
                    + " ("
                    + String.join(", ", IMAGE_ENDINGS)
                    + ") in "
                    + images
                    + " for this label file");
          }
        }
      }
    }
    List<Item> items = new ArrayList<>();
    for (Path image : imageFiles) {
      Path label = labels.resolve(stem(image) + ".txt");
      List<String> lines =
          Files.isRegularFile(label)
              ? Files.readAllLines(label, StandardCharsets.UTF_8)
              : List.of();
      // Checked now, with a unit image, so a bad line stops the run before any work.
      YoloLabels.parse(label.toString(), lines, classCount, 1, 1);
      items.add(
          new Item(
              image,
              folder.relativize(image).toString(),
              (w, h) -> YoloLabels.parse(label.toString(), lines, classCount, w, h)));
    }
    if (items.isEmpty()) {
      throw new IOException("no images (" + String.join(", ", IMAGE_ENDINGS) + ") in " + images);
    }
    return new ImageLabels(
        "YOLO " + images.toAbsolutePath().normalize() + " (" + items.size() + " images)", items);
  }

  /**
   * A COCO file; each image's {@code file_name} is looked for beside the file, in {@code images/}
   * beside it, and in {@code images/} beside its folder (CVAT's export layout).
   */
  public static ImageLabels coco(Path json) throws IOException {
    String file = json.toString();
    CocoLabels.Dataset data =
        CocoLabels.parse(file, Files.readString(json, StandardCharsets.UTF_8));
    Path dir = json.toAbsolutePath().getParent();
    List<Path> bases = List.of(dir, dir.resolve("images"), dir.getParent().resolve("images"));
    List<Item> items = new ArrayList<>();
    for (CocoLabels.Image im : data.images()) {
      Path image = null;
      for (Path b : bases) {
        if (Files.isRegularFile(b.resolve(im.fileName()))) {
          image = b.resolve(im.fileName());
          break;
        }
      }
      if (image == null) {
        throw new LabelFormatException(
            file,
            im.line(),
            "image "
                + im.id()
                + ": file "
                + im.fileName()
                + " not found beside the file or in images/");
      }
      items.add(
          new Item(
              image,
              im.fileName(),
              (w, h) -> {
                if ((im.width() > 0 && im.width() != w) || (im.height() > 0 && im.height() != h)) {
                  throw new LabelFormatException(
                      file,
                      im.line(),
                      String.format(
                          Locale.ROOT,
                          "image %d (%s) is %dx%d, the file says %dx%d",
                          im.id(),
                          im.fileName(),
                          w,
                          h,
                          im.width(),
                          im.height()));
                }
                return im.boxes();
              }));
    }
    if (items.isEmpty()) {
      throw new IOException("COCO file " + json + " lists no images");
    }
    return new ImageLabels(
        "COCO " + json.toAbsolutePath().normalize() + " (" + items.size() + " images)", items);
  }

  private static YoloLabels.DataYaml readYaml(Path yaml) throws IOException {
    return YoloLabels.parseDataYaml(
        yaml.toString(), Files.readString(yaml, StandardCharsets.UTF_8));
  }

  /** YOLO's rule: the labels of {@code .../images/...} lie in {@code .../labels/...}. */
  private static Path labelsFolder(Path images) {
    Path abs = images.toAbsolutePath().normalize();
    Path out = abs.getRoot();
    boolean swapped = false;
    List<String> parts = new ArrayList<>();
    abs.forEach(p -> parts.add(p.toString()));
    for (int i = parts.size() - 1; i >= 0 && !swapped; i--) {
      if (parts.get(i).equals("images")) {
        parts.set(i, "labels");
        swapped = true;
      }
    }
    for (String p : parts) {
      out = out.resolve(p);
    }
    return swapped ? out : abs.resolve("labels");
  }

  private static boolean isImage(Path p) {
    String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
    return Files.isRegularFile(p) && IMAGE_ENDINGS.stream().anyMatch(n::endsWith);
  }

  private static String stem(Path p) {
    String n = p.getFileName().toString();
    int dot = n.lastIndexOf('.');
    return dot > 0 ? n.substring(0, dot) : n;
  }
}
