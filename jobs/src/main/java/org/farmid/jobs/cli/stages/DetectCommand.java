package org.farmid.jobs.cli.stages;

import java.util.List;
import java.util.Map;
import org.farmid.common.config.PipelineSettings;
import org.farmid.jobs.cli.Overrides;
import org.farmid.jobs.cli.PipelineCommand;
import org.farmid.jobs.cli.SelectionOptions;
import org.farmid.jobs.pipeline.detect.DetectStage;
import org.farmid.jobs.pipeline.runtime.DjlModels;
import org.farmid.jobs.spark.RunContext;
import org.farmid.jobs.spark.Warehouse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code farmid detect}. */
@Command(
    name = "detect",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "One Spark task per segment not yet detected under the current models and detection",
      "settings: seeks to the segment, decodes to its end, keeps --sample-fps frames a second,",
      "detects animals in batches of --batch frames, crops and embeds every box, and replaces the",
      "segment's rows of detections (partitioned by date) and frames. The backlog is worked in",
      "batches of farmid.pipeline.batch-segments, one commit each: a killed run loses at most one",
      "batch. A segment that fails goes to rejected_inputs and keeps its earlier rows."
    })
public final class DetectCommand extends PipelineCommand {
  @Mixin SelectionOptions select;

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
  protected List<String> overrides() {
    List<String> o = super.overrides();
    Overrides.put(o, PipelineSettings.SECTION, "sample-fps", sampleFps);
    Overrides.put(o, PipelineSettings.SECTION, "detect-batch", batch);
    return o;
  }

  @Override
  protected Map<String, Object> execute(Warehouse wh, PipelineSettings s, RunContext run)
      throws Exception {
    return DetectStage.run(
            wh, DjlModels.fromSettings(s, true), s, select.selection(), select.reprocess(), run)
        .report();
  }
}
