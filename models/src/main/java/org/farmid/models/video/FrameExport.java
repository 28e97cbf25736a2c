package org.farmid.models.video;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import org.farmid.common.image.FrameLight;
import org.farmid.common.ingest.VideoOrigin;
import org.farmid.common.labels.CocoLabels;
import org.farmid.common.labels.ExportPlan;
import org.farmid.common.video.VideoFrame;
import org.farmid.common.video.VideoInfo;

/**
 * Writes frames sampled from an archive as images plus a COCO file without boxes, ready to be
 * labelled in CVAT or Label Studio and read back by {@code train-detector} and {@code
 * eval-detector}: {@code OUT/images/*.jpg}, {@code OUT/annotations.json} and {@code OUT/frames.csv}
 * (where each image came from).
 */
public final class FrameExport {

  /** What was written; unreadable videos are listed with the reason and skipped. */
  public record Outcome(int videos, int candidates, int written, int night, List<String> skipped) {}

  /** The category every box of a labelled export gets unless the labeller names another. */
  public static final String CATEGORY = "animal";

  private FrameExport() {}

  /**
   * @param videos video files below {@code archive}
   * @param pattern the archive's path pattern (camera and date of each video)
   * @param candidatesPerVideo frames looked at in each video, evenly spread over it
   */
  public static Outcome run(
      Path archive,
      List<Path> videos,
      Pattern pattern,
      int count,
      int candidatesPerVideo,
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
        for (int i = 0; i < candidatesPerVideo; i++) {
          long t = (long) ((i + 0.5) / candidatesPerVideo * info.durationMicros());
          VideoFrame f = frameAt(video, t);
          if (f != null) {
            candidates.add(
                new ExportPlan.Candidate(
                    rel,
                    origin.camera(),
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
    List<ExportPlan.Candidate> chosen = ExportPlan.choose(candidates, count);
    Path images = out.resolve("images");
    Files.createDirectories(images);
    List<CocoLabels.Image> entries = new ArrayList<>();
    StringBuilder csv = new StringBuilder("file_name,video,camera,date,light,frame,timestamp_ms\n");
    int night = 0;
    for (ExportPlan.Candidate c : chosen) {
      VideoFrame f = frameAt(archive.resolve(c.video()), c.timestampMicros());
      if (f == null) {
        throw new IOException(
            "frame at " + c.timestampMicros() + " us of " + c.video() + " vanished");
      }
      String name =
          String.format(
              Locale.ROOT,
              "%s_%s_%s_%08d.jpg",
              safe(c.camera()),
              c.day().isEmpty() ? "undated" : c.day(),
              safe(stem(c.video())),
              c.timestampMicros() / 1000);
      writeJpeg(f, images.resolve(name));
      entries.add(
          new CocoLabels.Image(entries.size() + 1, name, f.width(), f.height(), 0, List.of()));
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
    return new Outcome(videos.size(), candidates.size(), entries.size(), night, skipped);
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
    BufferedImage img = new BufferedImage(f.width(), f.height(), BufferedImage.TYPE_3BYTE_BGR);
    byte[] dst = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
    System.arraycopy(f.bgr(), 0, dst, 0, dst.length);
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
