package org.farmid.jobs.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.farmid.common.config.PipelineSettings;
import org.farmid.jobs.pipeline.DetectStage;
import org.farmid.jobs.pipeline.DjlModels;
import org.farmid.jobs.spark.RunContext;
import org.farmid.jobs.spark.Warehouse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code farmid detect}. */
@Command(
    name = "detect",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "One Spark task per row of segments: seeks to the segment, decodes to its end, keeps",
      "--sample-fps frames a second, detects animals in batches of --batch frames, crops and",
      "embeds every box, and replaces the segment's rows of detections (partitioned by date) and",
      "frames. A segment that fails goes to rejected_inputs and keeps its earlier rows."
    })
final class DetectCommand extends PipelineCommand {
  @Option(
      names = "--sample-fps",
      paramLabel = "F",
      description = "Frames per second kept; 0 keeps all (default farmid.pipeline.sample-fps).")
  Double sampleFps;

  @Option(
      names = "--batch",
      paramLabel = "N",
      description = "Frames per detector call (default farmid.pipeline.detect-batch).")
  Integer batch;

  @Override
  List<String> overrides() {
    List<String> o = super.overrides();
    Overrides.put(o, PipelineSettings.SECTION, "sample-fps", sampleFps);
    Overrides.put(o, PipelineSettings.SECTION, "detect-batch", batch);
    return o;
  }

  @Override
  Map<String, Object> execute(Warehouse wh, PipelineSettings s, RunContext run) throws Exception {
    DetectStage.Outcome o = DetectStage.run(wh, DjlModels.fromSettings(s, true), s, run);
    return figures(o);
  }

  static Map<String, Object> figures(DetectStage.Outcome o) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("segments", o.segments());
    f.put("segments_failed", o.failed());
    f.put("frames_decoded", o.framesDecoded());
    f.put("frames_sampled", o.framesSampled());
    f.put("detections", o.detections());
    f.put("detect_timings", o.timings());
    return f;
  }
}
