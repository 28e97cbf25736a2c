package org.farmid.jobs.cli.stages;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import org.farmid.common.config.PipelineSettings;
import org.farmid.jobs.cli.PipelineCommand;
import org.farmid.jobs.cli.UsageException;
import org.farmid.jobs.pipeline.enrol.EnrolStage;
import org.farmid.jobs.pipeline.runtime.DjlModels;
import org.farmid.jobs.spark.RunContext;
import org.farmid.jobs.spark.Warehouse;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code farmid enrol}. */
@Command(
    name = "enrol",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Adds labelled embeddings to the table enrolment: from crop folders (DIR/<animal id>/*.png",
      "or .jpg, embedded on the executors with the same preprocessing as detect), or by labelling",
      "detections with the ground-truth box they overlap (IoU >= farmid.pipeline.match-iou).",
      "Each colour crop is embedded a second time as the night cameras show it",
      "(farmid.gallery.infrared-look; none: not), an infrared one gives its own embedding.",
      "Rows from the same folder are replaced, never added twice."
    })
public final class EnrolCommand extends PipelineCommand {
  static final class Source {
    @Option(
        names = "--crops",
        paramLabel = "DIR|URI",
        description = "Folders of crops per animal: a path or a Hadoop URI (hdfs://, s3a://).")
    String crops;

    @Option(
        names = "--from-ground-truth",
        paramLabel = "DIR",
        description = "Ground truth (a synth output folder or its ground-truth/ folder).")
    Path groundTruth;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Source source;

  @Option(
      names = "--until",
      paramLabel = "DATE",
      description = "With --from-ground-truth: only detections up to this day (yyyy-MM-dd).")
  LocalDate until;

  @Override
  protected Map<String, Object> execute(Warehouse wh, PipelineSettings s, RunContext run)
      throws Exception {
    EnrolStage.Outcome o;
    if (source.crops != null) {
      if (until != null) {
        throw new UsageException("--until applies to --from-ground-truth only");
      }
      o =
          EnrolStage.fromCrops(
              wh, source.crops, DjlModels.fromSettings(s, false), s.infraredLook(), run);
    } else {
      o = EnrolStage.fromGroundTruth(wh, source.groundTruth, until, s, run);
    }
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("enrolment_rows", o.rows());
    f.put("animals", o.animals());
    f.put("rejected", o.rejected());
    f.put("notes", o.notes());
    return f;
  }
}
