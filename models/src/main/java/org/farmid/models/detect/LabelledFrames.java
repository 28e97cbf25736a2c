package org.farmid.models.detect;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.farmid.common.geom.Box;
import org.farmid.common.synth.GroundTruthRow;
import org.farmid.common.video.VideoFrame;

/**
 * Frames with ground-truth boxes, whatever their source: an archive made by {@code farmid synth}, a
 * YOLO folder, a COCO file or a video with MOT text beside it. Detector training and evaluation
 * read every source through this.
 */
public interface LabelledFrames {

  /** One frame (an image is frame 0 of itself) and its ground-truth rows, boxes in its pixels. */
  record Labelled(String video, VideoFrame frame, List<GroundTruthRow> truth) {
    /** The ground-truth boxes, in the rows' order. */
    public List<Box> boxes() {
      return truth.stream().map(GroundTruthRow::box).toList();
    }
  }

  /** Something to do with each labelled frame, in order. */
  interface Visitor {
    void accept(Labelled frame) throws IOException;
  }

  /** The source's format and location, for messages and model cards. */
  String describe();

  /** Every {@code step}-th frame of each video; every image of an image set, whatever the step. */
  void forEach(int step, Visitor visitor) throws IOException;

  /**
   * Opens a source, telling its format from what it holds:
   *
   * <ul>
   *   <li>a folder with {@code archive/} and {@code ground-truth/}: a {@code farmid synth} archive;
   *   <li>a folder with {@code data.yaml} (the split {@code split} of it, or {@code train} when the
   *       file names no such split) or with {@code images/} and {@code labels/}: YOLO;
   *   <li>a {@code .json} file, or a folder holding one {@code .json} file directly or in {@code
   *       annotations/}: COCO;
   *   <li>a video file, with MOT text as {@code NAME.txt} or {@code gt/gt.txt} beside it: MOT.
   * </ul>
   *
   * @param split the YOLO split to read where a {@code data.yaml} names several
   * @throws IOException naming the path when it is none of these
   */
  static LabelledFrames open(Path path, String split) throws IOException {
    if (Files.isDirectory(path)) {
      if (Files.isDirectory(path.resolve("archive"))) {
        return SynthFrames.of(path);
      }
      if (Files.isRegularFile(path.resolve("data.yaml"))
          || (Files.isDirectory(path.resolve("images"))
              && Files.isDirectory(path.resolve("labels")))) {
        return ImageLabels.yolo(path, split);
      }
      for (Path dir : List.of(path, path.resolve("annotations"))) {
        List<Path> json = jsonFiles(dir);
        if (json.size() == 1) {
          return ImageLabels.coco(json.get(0));
        }
        if (json.size() > 1) {
          throw new IOException(
              dir + " holds " + json.size() + " .json files; name the COCO file itself");
        }
      }
      try (Stream<Path> files = Files.list(path)) {
        List<Path> videos = files.filter(LabelledFrames::isVideo).sorted().toList();
        if (videos.size() == 1) {
          return MotVideoFrames.of(videos.get(0));
        }
      }
    } else if (Files.isRegularFile(path)) {
      if (path.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json")) {
        return ImageLabels.coco(path);
      }
      if (isVideo(path)) {
        return MotVideoFrames.of(path);
      }
    } else {
      throw new IOException("labelled frames " + path + " do not exist");
    }
    throw new IOException(
        path
            + " is no labelled source: expected a farmid synth archive (archive/, ground-truth/),"
            + " a YOLO folder (data.yaml, or images/ and labels/), a COCO .json file, or a video"
            + " with MOT text beside it (NAME.txt or gt/gt.txt)");
  }

  private static List<Path> jsonFiles(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(
              p ->
                  Files.isRegularFile(p)
                      && p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json"))
          .sorted()
          .toList();
    }
  }

  private static boolean isVideo(Path p) {
    String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
    return Files.isRegularFile(p)
        && (n.endsWith(".mp4") || n.endsWith(".mkv") || n.endsWith(".avi") || n.endsWith(".mov"));
  }
}
