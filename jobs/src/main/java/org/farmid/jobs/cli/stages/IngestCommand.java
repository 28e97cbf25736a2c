package org.farmid.jobs.cli.stages;

import java.util.List;
import java.util.Map;
import org.farmid.common.config.PipelineSettings;
import org.farmid.jobs.cli.ArchiveOptions;
import org.farmid.jobs.cli.PipelineCommand;
import org.farmid.jobs.cli.SelectionOptions;
import org.farmid.jobs.pipeline.ingest.IngestStage;
import org.farmid.jobs.spark.RunContext;
import org.farmid.jobs.spark.Warehouse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code farmid ingest}. */
@Command(
    name = "ingest",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Lists the video files below --archive, probes each on the executors (duration, fps, size,",
      "codec), reads camera and start time from the path (farmid.pipeline.path-pattern), plans",
      "segments so a long file spreads over many tasks, and writes the tables videos and",
      "segments. Only new or changed files are probed (path, size, modification time); files",
      "that vanished are marked missing_since and their results kept. Unreadable files go to",
      "rejected_inputs; the rest goes on."
    })
public final class IngestCommand extends PipelineCommand {
  @Mixin ArchiveOptions input;
  @Mixin SelectionOptions select;

  @Override
  protected List<String> overrides() {
    List<String> o = super.overrides();
    input.put(o);
    return o;
  }

  @Override
  protected Map<String, Object> execute(Warehouse wh, PipelineSettings s, RunContext run)
      throws Exception {
    input.validate();
    return IngestStage.run(wh, input.archive(), s, select.selection(), select.reprocess(), run)
        .report();
  }
}
