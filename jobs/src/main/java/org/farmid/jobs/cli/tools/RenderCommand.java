package org.farmid.jobs.cli.tools;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.farmid.common.config.PipelineSettings;
import org.farmid.jobs.cli.PipelineCommand;
import org.farmid.jobs.cli.UsageException;
import org.farmid.jobs.report.VideoRender;
import org.farmid.jobs.spark.RunContext;
import org.farmid.jobs.spark.Warehouse;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code farmid render}. */
@Command(
    name = "render",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Writes a copy of one archived video (H.264 MP4) with every identified animal boxed and",
      "named: the track's voted animal and track number where track ran, the crop's own identity",
      "otherwise, 'unknown' in red. Frames between analysed frames show the boxes of the nearest",
      "analysed frame (at most half a sampling interval away)."
    })
public final class RenderCommand extends PipelineCommand {
  @Option(
      names = "--video",
      required = true,
      paramLabel = "FILE|ID",
      description = "An ingested video file, or its video_id (e.g. cam01/2026-01-05/08-15-42.mp4).")
  String video;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "FILE.mp4",
      description = "The annotated video (written beside as .partial.mp4, then renamed).")
  Path out;

  @Option(
      names = "--gallery-version",
      paramLabel = "V",
      description = "Gallery version whose identities to draw (default: the video's latest).")
  Long galleryVersion;

  @Override
  protected boolean recordsRun() {
    return false;
  }

  @Override
  protected void validate(PipelineSettings settings) {
    if (Files.isDirectory(out)) {
      throw new UsageException("--out " + out + " is a folder; give a file name ending in .mp4");
    }
    if (!out.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".mp4")) {
      throw new UsageException("--out " + out + " must end in .mp4");
    }
  }

  @Override
  protected boolean readsExistingWarehouse() {
    return true;
  }

  @Override
  protected Map<String, Object> execute(Warehouse wh, PipelineSettings s, RunContext run)
      throws Exception {
    System.setProperty("java.awt.headless", "true");
    VideoRender.Outcome o;
    try {
      o = VideoRender.render(wh, video, galleryVersion, out, s.mosaics(), run::progress);
    } catch (IllegalArgumentException e) {
      // what was asked for (a video, a gallery version, an evaluation) is not in the warehouse;
      // a warehouse without the stage's inputs stays a failure (exit 1), as in the other stages
      throw new UsageException(e.getMessage());
    }
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("video_id", o.videoId());
    f.put("gallery_version", o.galleryVersion());
    f.put("frames", o.frames());
    f.put("frames_marked", o.framesMarked());
    f.put("analysed_frames", o.analysedFrames());
    f.put("out", o.out().toString());
    return f;
  }
}
