package org.farmid.jobs.cli.models;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import org.farmid.common.detect.Detection;
import org.farmid.common.video.VideoFrame;
import org.farmid.jobs.cli.ConfigOptions;
import org.farmid.jobs.cli.DetectorVideoOptions;
import org.farmid.jobs.cli.FarmId;
import org.farmid.jobs.cli.JsonReport;
import org.farmid.jobs.cli.Report;
import org.farmid.jobs.cli.UsageException;
import org.farmid.models.detect.DetectorOptions;
import org.farmid.models.detect.DjlDetector;
import org.farmid.models.video.SegmentDecoder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code farmid detect-frame}: one frame of a video with its detections drawn, as PNG. */
@Command(
    name = "detect-frame",
    mixinStandardHelpOptions = true,
    description =
        "Decodes the frame of VIDEO at --at seconds, runs the detector and writes it with its boxes as PNG.")
public final class DetectFrameCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin DetectorVideoOptions input;

  @Option(
      names = "--at",
      defaultValue = "0",
      paramLabel = "SECONDS",
      description = "Time of the frame (default: ${DEFAULT-VALUE}).")
  double at;

  @Option(
      names = "--score",
      defaultValue = "0.3",
      description = "Lowest score drawn (default: ${DEFAULT-VALUE}).")
  float score;

  @Option(names = "--out", required = true, paramLabel = "PNG")
  Path out;

  @Mixin ConfigOptions config;

  @Override
  public Integer call() throws Exception {
    config.load(List.of());
    if (at < 0) {
      throw new UsageException("--at must not be negative, got " + at);
    }
    VideoFrame frame;
    long start = Math.round(at * 1_000_000);
    try (SegmentDecoder d = SegmentDecoder.open(input.video(), start, Long.MAX_VALUE)) {
      frame = d.next();
    }
    if (frame == null) {
      throw new UsageException("video " + input.video() + " has no frame at or after " + at + " s");
    }
    List<Detection> dets;
    try (DjlDetector detector =
        DjlDetector.open(input.model(), new DetectorOptions(score, Set.of(), 100, 0))) {
      dets = detector.detect(List.of(frame)).get(0);
    }
    BufferedImage img = frame.toImage();
    Graphics2D g = img.createGraphics();
    g.setStroke(new BasicStroke(3));
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
    for (Detection d : dets) {
      g.setColor(Color.YELLOW);
      g.drawRect(
          (int) d.box().left(), (int) d.box().top(), (int) d.box().width(), (int) d.box().height());
      g.drawString(
          String.format(java.util.Locale.ROOT, "%.2f", d.score()),
          (int) d.box().left() + 4,
          (int) d.box().top() + 18);
    }
    g.dispose();
    Path parent = out.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    ImageIO.write(img, "png", out.toFile());
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("video", input.video().toString());
    figures.put("frame", frame.index());
    figures.put("seconds", frame.timestampMicros() / 1e6);
    figures.put("detections", dets.size());
    figures.put("image", out.toAbsolutePath().toString());
    Report.print(spec.commandLine().getOut(), "detections drawn", figures);
    if (config.json() != null) {
      JsonReport.write(config.json(), figures);
    }
    return FarmId.EXIT_OK;
  }
}
