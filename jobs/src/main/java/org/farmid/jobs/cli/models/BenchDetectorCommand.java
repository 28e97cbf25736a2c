package org.farmid.jobs.cli.models;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
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

/** {@code farmid bench-detector}: frames per second of the detector alone, on decoded frames. */
@Command(
    name = "bench-detector",
    mixinStandardHelpOptions = true,
    description = {
      "Decodes the first frames of VIDEO into memory, warms the detector up, then times detection",
      "alone (no decoding) and prints frames/s."
    })
public final class BenchDetectorCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Mixin DetectorVideoOptions input;

  @Option(
      names = "--frames",
      defaultValue = "100",
      description = "Frames timed (default: ${DEFAULT-VALUE}).")
  int frames;

  @Mixin ConfigOptions config;

  @Override
  public Integer call() throws Exception {
    config.load(List.of());
    if (frames < 1) {
      throw new UsageException("--frames must be positive, got " + frames);
    }
    List<VideoFrame> decoded = new ArrayList<>();
    try (SegmentDecoder d = SegmentDecoder.open(input.video())) {
      for (VideoFrame f = d.next(); f != null && decoded.size() < frames; f = d.next()) {
        decoded.add(f);
      }
    }
    if (decoded.isEmpty()) {
      throw new UsageException("video " + input.video() + " has no frames");
    }
    double seconds;
    try (DjlDetector detector =
        DjlDetector.open(input.model(), new DetectorOptions(0.3f, Set.of(), 100, 0))) {
      detector.detect(decoded.subList(0, Math.min(5, decoded.size())));
      long t0 = System.nanoTime();
      detector.detect(decoded);
      seconds = (System.nanoTime() - t0) / 1e9;
    }
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("model", input.model().toAbsolutePath().toString());
    figures.put("video", input.video().toString());
    figures.put("frame_size", decoded.get(0).width() + "x" + decoded.get(0).height());
    figures.put("frames", decoded.size());
    figures.put("frames_per_second", Math.round(decoded.size() / seconds * 10) / 10.0);
    figures.put("ms_per_frame", Math.round(1000 * seconds / decoded.size() * 100) / 100.0);
    Report.print(spec.commandLine().getOut(), "detector throughput", figures);
    if (config.json() != null) {
      JsonReport.write(config.json(), figures);
    }
    return FarmId.EXIT_OK;
  }
}
