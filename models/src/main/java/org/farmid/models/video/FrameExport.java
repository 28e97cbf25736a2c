package org.farmid.models.video;

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
import java.util.function.Consumer;
import java.util.regex.Pattern;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.farmid.common.image.FrameLight;
import org.farmid.common.ingest.MosaicLayout;
import org.farmid.common.ingest.VideoOrigin;
import org.farmid.common.labels.CocoLabels;
import org.farmid.common.labels.ExportPlan;
import org.farmid.common.video.VideoFrame;
import org.farmid.common.video.VideoInfo;

/**
 * Writes frames sampled from an archive as images plus a COCO file without boxes, ready to be
 * labelled in CVAT or Label Studio and read back by {@code train-detector} and {@code
 * eval-detector}: {@code OUT/images/*.jpg}, {@code OUT/annotations.json} and {@code OUT/frames.csv}
 * (where each image came from). A mosaic file (several cameras tiled in one picture, {@link
 * MosaicLayout}) gives one candidate view per camera and tile, named {@code path@camera} as ingest
 * names it. {@link #again} writes the frames a {@code frames.csv} lists once more, so a label file
 * and its {@code frames.csv} are all a labelled set needs to be rebuilt from the archive.
 */
public final class FrameExport {

  /** What was written; unreadable videos are listed with the reason and skipped. */
  public record Outcome(int videos, int candidates, int written, int night, List<String> skipped) {}

  /** The category every box of a labelled export gets unless the labeller names another. */
  public static final String CATEGORY = "animal";

  /** The header of {@code frames.csv}. */
  public static final String FRAMES_HEADER = "file_name,video,camera,date,light,frame,timestamp_ms";

  private FrameExport() {}

  /**
   * @param videos video files below {@code archive}
   * @param pattern the archive's path pattern (camera and date of each video)
   * @param mosaics the layouts of mosaic files, whose views are exported one camera each
   * @param candidatesPerVideo frames looked at in each video, evenly spread over it
   * @param everyMicros when above 0: write every view's frames this far apart from the start of
   *     each video, all of them, in video and time order (frames to pre-label and link into
   *     tracks), in place of {@code count} chosen ones
   */
  public static Outcome run(
      Path archive,
      List<Path> videos,
      Pattern pattern,
      List<MosaicLayout> mosaics,
      int count,
      int candidatesPerVideo,
      long everyMicros,
      Path out,
      Consumer<String> progress)
      throws IOException {
    List<ExportPlan.Candidate> candidates = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    for (Path video : videos) {
      String rel = archive.relativize(video).toString().replace('\\', '/');
      VideoOrigin origin = VideoOrigin.of(rel, pattern);
      String day = origin.start().map(t -> t.toLocalDate().toString()).orElse("");
      try {
        VideoInfo info = probe(video);
        List<String> views = views(rel, mosaics);
        int looks =
            everyMicros > 0
                ? (int) Math.ceil(info.durationMicros() / (double) everyMicros)
                : candidatesPerVideo;
        for (int i = 0; i < looks; i++) {
          long t =
              everyMicros > 0
                  ? i * everyMicros
                  : (long) ((i + 0.5) / candidatesPerVideo * info.durationMicros());
          VideoFrame whole = frameAt(video, t);
          if (whole == null) {
            continue;
          }
          for (String view : views) {
            VideoFrame f = tile(whole, view, mosaics);
            candidates.add(
                new ExportPlan.Candidate(
                    view,
                    MosaicLayout.viewOf(view, mosaics)
                        .map(MosaicLayout.View::camera)
                        .orElse(origin.camera()),
                    day,
                    FrameLight.isInfrared(f.bgr(), f.width(), f.height()),
                    f.timestampMicros()));
          }
        }
      } catch (IOException e) {
        skipped.add(rel + ": " + e.getMessage());
        progress.accept("skipped " + rel + ": " + e.getMessage());
      }
      progress.accept("looked at " + rel + " (" + candidates.size() + " candidate frames)");
    }
    List<ExportPlan.Candidate> chosen =
        everyMicros > 0 ? candidates : ExportPlan.choose(candidates, count);
    int night = write(archive, chosen, mosaics, out, null);
    return new Outcome(videos.size(), candidates.size(), chosen.size(), night, skipped);
  }

  /**
   * Writes once more the frames a {@code frames.csv} of an earlier export lists, under the same
   * names, with an {@code annotations.json} beside them: the boxes {@code labels} gives those
   * images (a label file kept from the first export; its images the frames file does not list are
   * left out, so a filtered frames file makes a part of a labelled set), or none. Each frame must
   * still be where the file says: a video that changed since, or a line that does not read, is
   * named with its line.
   *
   * @param labels the labelled set's COCO file, or null
   * @return the frames written
   */
  public static Outcome again(
      Path archive,
      Path framesCsv,
      CocoLabels.Dataset labels,
      List<MosaicLayout> mosaics,
      Path out,
      Consumer<String> progress)
      throws IOException {
    List<ExportPlan.Candidate> frames = new ArrayList<>();
    List<String> names = new ArrayList<>();
    List<Integer> indices = new ArrayList<>();
    for (Listing l : readFrames(framesCsv)) {
      indices.add(l.frame());
      frames.add(
          new ExportPlan.Candidate(
              l.video(), l.camera(), l.day(), l.night(), l.timestampMs() * 1000));
      names.add(l.fileName());
    }
    progress.accept(frames.size() + " frames listed in " + framesCsv);
    Map<String, CocoLabels.Image> labelled = new HashMap<>();
    if (labels != null) {
      labels.images().forEach(i -> labelled.put(i.fileName(), i));
      for (String name : names) {
        if (!labelled.containsKey(name)) {
          throw new IllegalArgumentException(
              framesCsv + " lists " + name + ", which the label file does not");
        }
      }
    }
    int night = write(archive, frames, mosaics, out, new Listed(names, indices, labelled));
    return new Outcome(
        (int) frames.stream().map(c -> fileOf(c.video(), mosaics)).distinct().count(),
        frames.size(),
        frames.size(),
        night,
        List.of());
  }

  /** One line of a {@code frames.csv}: an exported image and where it was taken from. */
  public record Listing(
      String fileName,
      String video,
      String camera,
      String day,
      boolean night,
      int frame,
      long timestampMs) {}

  /**
   * The lines of a {@code frames.csv} in file order; a missing header or a line that does not read
   * is named with its number.
   */
  public static List<Listing> readFrames(Path framesCsv) throws IOException {
    List<String> lines = Files.readAllLines(framesCsv, StandardCharsets.UTF_8);
    if (lines.isEmpty() || !lines.get(0).trim().equals(FRAMES_HEADER)) {
      throw new IllegalArgumentException(
          framesCsv + " line 1: expected the header " + FRAMES_HEADER);
    }
    List<Listing> out = new ArrayList<>();
    for (int n = 2; n <= lines.size(); n++) {
      String line = lines.get(n - 1).trim();
      if (line.isEmpty()) {
        continue;
      }
      String[] f = line.split(",", -1);
      try {
        if (f.length != 7 || !(f[4].equals("day") || f[4].equals("night"))) {
          throw new NumberFormatException();
        }
        out.add(
            new Listing(
                f[0],
                f[1],
                f[2],
                f[3],
                f[4].equals("night"),
                Integer.parseInt(f[5]),
                Long.parseLong(f[6])));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            framesCsv
                + " line "
                + n
                + ": expected "
                + FRAMES_HEADER
                + " (light day or night, frame and timestamp_ms whole numbers), got '"
                + line
                + "'");
      }
    }
    return out;
  }

  /**
   * The names and frame numbers a {@code frames.csv} gave, checked against what is decoded, and the
   * labelled images by name (empty without labels).
   */
  private record Listed(
      List<String> names, List<Integer> frames, Map<String, CocoLabels.Image> labels) {}

  private static int write(
      Path archive,
      List<ExportPlan.Candidate> chosen,
      List<MosaicLayout> mosaics,
      Path out,
      Listed listed)
      throws IOException {
    Path images = out.resolve("images");
    Files.createDirectories(images);
    List<CocoLabels.Image> entries = new ArrayList<>();
    StringBuilder csv = new StringBuilder(FRAMES_HEADER + "\n");
    int night = 0;
    // The views of one mosaic picture come one after another: decode the picture once for them.
    String wholeFile = null;
    long wholeAt = -1;
    VideoFrame whole = null;
    for (ExportPlan.Candidate c : chosen) {
      String file = fileOf(c.video(), mosaics);
      if (!file.equals(wholeFile) || c.timestampMicros() != wholeAt) {
        whole = frameAt(archive.resolve(file), c.timestampMicros());
        wholeFile = file;
        wholeAt = c.timestampMicros();
      }
      if (whole == null) {
        throw new IOException(
            "frame at " + c.timestampMicros() + " us of " + c.video() + " vanished");
      }
      VideoFrame f = tile(whole, c.video(), mosaics);
      int k = entries.size();
      if (listed != null && listed.frames().get(k) != f.index()) {
        throw new IOException(
            c.video()
                + " at "
                + c.timestampMicros() / 1000
                + " ms is frame "
                + f.index()
                + ", not frame "
                + listed.frames().get(k)
                + " as the frames file says: the video changed since it was exported");
      }
      String name =
          listed != null
              ? listed.names().get(k)
              : String.format(
                  Locale.ROOT,
                  "%s_%s_%s_%08d.jpg",
                  safe(c.camera()),
                  c.day().isEmpty() ? "undated" : c.day(),
                  safe(stem(fileOf(c.video(), mosaics))),
                  c.timestampMicros() / 1000);
      writeJpeg(f, images.resolve(name));
      CocoLabels.Image label = listed != null ? listed.labels().get(name) : null;
      if (label != null
          && (label.width() != 0 && label.width() != f.width()
              || label.height() != 0 && label.height() != f.height())) {
        throw new IOException(
            "the label file gives "
                + name
                + " as "
                + label.width()
                + "x"
                + label.height()
                + ", the frame is "
                + f.width()
                + "x"
                + f.height());
      }
      entries.add(
          new CocoLabels.Image(
              k + 1, name, f.width(), f.height(), 0, label != null ? label.boxes() : List.of()));
      csv.append(
          String.join(
                  ",",
                  name,
                  c.video(),
                  c.camera(),
                  c.day(),
                  c.night() ? "night" : "day",
                  String.valueOf(f.index()),
                  String.valueOf(c.timestampMicros() / 1000))
              + "\n");
      night += c.night() ? 1 : 0;
    }
    Files.writeString(
        out.resolve("annotations.json"),
        CocoLabels.write(entries, List.of(CATEGORY)),
        StandardCharsets.UTF_8);
    Files.writeString(out.resolve("frames.csv"), csv.toString(), StandardCharsets.UTF_8);
    return night;
  }

  /** The video ids a file gives: itself, or one view per camera of its mosaic layout. */
  private static List<String> views(String rel, List<MosaicLayout> mosaics) {
    return MosaicLayout.find(rel, mosaics)
        .map(l -> l.cameras().stream().map(c -> MosaicLayout.viewId(rel, c)).toList())
        .orElse(List.of(rel));
  }

  /** The file a video id is read from (a view's id names its mosaic file first). */
  private static String fileOf(String videoId, List<MosaicLayout> mosaics) {
    return MosaicLayout.viewOf(videoId, mosaics)
        .map(v -> videoId.substring(0, videoId.lastIndexOf(MosaicLayout.VIEW_SEPARATOR)))
        .orElse(videoId);
  }

  /** A view's tile of a mosaic frame, or the frame itself for a plain video. */
  private static VideoFrame tile(VideoFrame whole, String videoId, List<MosaicLayout> mosaics) {
    return MosaicLayout.viewOf(videoId, mosaics).map(v -> v.crop(whole)).orElse(whole);
  }

  private static VideoInfo probe(Path video) throws IOException {
    try (SegmentDecoder d = SegmentDecoder.open(video)) {
      return d.info();
    }
  }

  /** The first frame at or after {@code micros}, or null past the end. */
  private static VideoFrame frameAt(Path video, long micros) throws IOException {
    try (SegmentDecoder d = SegmentDecoder.open(video, micros, Long.MAX_VALUE)) {
      return d.next();
    }
  }

  private static void writeJpeg(VideoFrame f, Path file) throws IOException {
    BufferedImage img = f.toImage();
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpg").next();
    try (ImageOutputStream os = ImageIO.createImageOutputStream(file.toFile())) {
      writer.setOutput(os);
      ImageWriteParam p = writer.getDefaultWriteParam();
      p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      p.setCompressionQuality(0.95f);
      writer.write(null, new IIOImage(img, null, null), p);
    } finally {
      writer.dispose();
    }
  }

  private static String safe(String s) {
    return s.replaceAll("[^A-Za-z0-9._-]", "-");
  }

  private static String stem(String rel) {
    String n = rel.substring(rel.lastIndexOf('/') + 1);
    int dot = n.lastIndexOf('.');
    return dot > 0 ? n.substring(0, dot) : n;
  }
}
