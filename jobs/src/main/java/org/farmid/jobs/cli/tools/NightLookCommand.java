package org.farmid.jobs.cli.tools;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import org.farmid.common.embed.InfraredLook;
import org.farmid.common.image.FrameLight;
import org.farmid.jobs.cli.ConfigOptions;
import org.farmid.jobs.cli.FarmId;
import org.farmid.jobs.cli.JsonReport;
import org.farmid.jobs.cli.UsageException;
import org.farmid.models.video.FrameExport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code farmid night-look}: each camera's infrared look, fitted from its own frames. */
@Command(
    name = "night-look",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Fits each camera's night look (grey = offset + contrast x day luminance) from frames of",
      "an export-frames folder: the median of each pixel over the camera's day frames against",
      "its median over the night frames, where the still pen shows and moving animals drop out.",
      "The look is what eval-crops --gallery-infrared and the pipeline's setting",
      "farmid.gallery.infrared-look (--set gallery.infrared-look=C,O) take. Export a few dozen",
      "frames spread over days and nights first (export-frames --count 40)."
    })
public final class NightLookCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--frames",
      required = true,
      paramLabel = "DIR",
      description = "An export-frames folder (frames.csv and images/).")
  Path frames;

  @Option(
      names = "--step",
      defaultValue = "4",
      paramLabel = "N",
      description = "Use every N-th pixel each way (default: ${DEFAULT-VALUE}).")
  int step;

  @Mixin ConfigOptions config;

  @Override
  public Integer call() throws Exception {
    Path csv = frames.resolve("frames.csv");
    if (!Files.isRegularFile(csv)) {
      throw new UsageException(
          "--frames " + frames + " holds no frames.csv (an export-frames folder)");
    }
    if (step < 1) {
      throw new UsageException("--step must be at least 1, got " + step);
    }
    Map<String, List<FrameExport.Listing>> byCamera = new TreeMap<>();
    for (FrameExport.Listing l : FrameExport.readFrames(csv)) {
      byCamera.computeIfAbsent(l.camera(), k -> new ArrayList<>()).add(l);
    }
    Map<String, Object> figures = new LinkedHashMap<>();
    List<Map<String, Object>> cameras = new ArrayList<>();
    PrintWriter out = spec.commandLine().getOut();
    for (Map.Entry<String, List<FrameExport.Listing>> e : byCamera.entrySet()) {
      List<byte[]> day = new ArrayList<>();
      List<byte[]> night = new ArrayList<>();
      int[] size = null;
      for (FrameExport.Listing l : e.getValue()) {
        Path image = frames.resolve("images").resolve(l.fileName());
        BufferedImage img = ImageIO.read(image.toFile());
        if (img == null) {
          throw new IOException(image + " is not a readable image");
        }
        if (size == null) {
          size = new int[] {img.getWidth(), img.getHeight()};
        } else if (size[0] != img.getWidth() || size[1] != img.getHeight()) {
          throw new UsageException(
              image
                  + " is "
                  + img.getWidth()
                  + "x"
                  + img.getHeight()
                  + ", the camera's first frame "
                  + size[0]
                  + "x"
                  + size[1]);
        }
        (l.night() ? night : day).add(FrameLight.packedRgb(img));
      }
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("camera", e.getKey());
      c.put("day_frames", day.size());
      c.put("night_frames", night.size());
      if (day.isEmpty() || night.isEmpty()) {
        c.put("look", null);
        out.printf(
            "camera %s: %d day and %d night frames; both are needed%n",
            e.getKey(), day.size(), night.size());
      } else {
        InfraredLook.Fit fit = InfraredLook.fit(day, night, size[0], size[1], step);
        String look =
            String.format(
                java.util.Locale.ROOT, "%.3f,%.1f", fit.look().contrast(), fit.look().offset());
        c.put("contrast", fit.look().contrast());
        c.put("offset", fit.look().offset());
        c.put("look", look);
        c.put("pixels", fit.pixels());
        c.put("residual_sd", fit.residualSd());
        out.printf(
            java.util.Locale.ROOT,
            "camera %s: --gallery-infrared %s  (%d day, %d night frames; %d pixels, residual sd %.1f grey levels)%n",
            e.getKey(),
            look,
            day.size(),
            night.size(),
            fit.pixels(),
            fit.residualSd());
      }
      cameras.add(c);
    }
    figures.put("frames", frames.toAbsolutePath().toString());
    figures.put("cameras", cameras);
    out.flush();
    if (config.json() != null) {
      JsonReport.write(config.json(), figures);
    }
    return FarmId.EXIT_OK;
  }
}
