package org.farmid.jobs.pipeline;

import static org.apache.spark.sql.functions.max;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.farmid.common.config.PipelineSettings;
import org.farmid.common.ingest.ArchiveChanges;
import org.farmid.common.ingest.Selection;
import org.farmid.jobs.pipeline.detect.DetectStage;
import org.farmid.jobs.pipeline.ingest.IngestStage;
import org.farmid.jobs.spark.Sql;
import org.farmid.jobs.spark.Tables;
import org.farmid.jobs.spark.Warehouse;

/**
 * What {@code run} will do, worked out from one listing of the archive and the stored tables before
 * anything is probed, decoded or written: the files to probe, the segments to detect, and the
 * videos whose identities are out of date under the latest gallery version. The segments of files
 * not probed yet, and the identities of detections not made yet, are only known once the stages
 * before have run; the plan says so.
 */
public record RunPlan(
    Selection selection,
    int filesListed,
    int filesToProbe,
    int filesVanished,
    long segmentsSelected,
    long segmentsToDetect,
    Long galleryVersion,
    long videosToClassify) {

  public static RunPlan of(
      Warehouse wh,
      String archive,
      PipelineSettings s,
      String fingerprint,
      Selection sel,
      boolean reprocess)
      throws IOException {
    ArchiveChanges files = IngestStage.plan(wh, archive, s, sel, reprocess);
    DetectStage.Plan detect = DetectStage.plan(wh, fingerprint, sel, reprocess);
    Long version = null;
    long videos = 0;
    if (wh.exists(Tables.GALLERY)) {
      Row r = wh.read(Tables.GALLERY).agg(max("gallery_version")).first();
      version = r.isNullAt(0) ? null : r.getLong(0);
    }
    if (version != null) {
      String covering = Sql.covering(sel);
      var detections = wh.readOrEmpty(Tables.DETECTIONS).where(covering);
      var identities =
          wh.readOrEmpty(Tables.CROP_IDENTITIES)
              .where("gallery_version = " + version + " AND " + covering);
      videos =
          ChangedVideos.toRedo(reprocess, detections, "run_id", identities, "detection_run_id")
              .size();
    }
    return new RunPlan(
        sel,
        files.listed(),
        files.toProbe().size(),
        files.vanished().size(),
        detect.selected(),
        detect.todo(),
        version,
        videos);
  }

  /**
   * Whether a run would find nothing new: no file to probe, no segment to detect, nothing stale.
   */
  public boolean nothingNew() {
    return filesToProbe == 0
        && filesVanished == 0
        && segmentsToDetect == 0
        && videosToClassify == 0;
  }

  /** The plan as the lines {@code run} prints before it starts. */
  public List<String> lines() {
    return List.of(
        String.format(
            Locale.ROOT,
            "run: plan for %s: ingest probes %d of %d files (new or changed), %d vanished",
            selection.describe(),
            filesToProbe,
            filesListed,
            filesVanished),
        String.format(
            Locale.ROOT,
            "run: plan: detect %d of %d planned segments%s",
            segmentsToDetect,
            segmentsSelected,
            filesToProbe > 0
                ? ", and the segments of the " + filesToProbe + " files probed now"
                : ""),
        galleryVersion == null
            ? "run: plan: classify every detection under the gallery built now (none yet)"
            : String.format(
                Locale.ROOT,
                "run: plan: classify the detections of %d videos out of date under gallery"
                    + " version %d, and those detected now",
                videosToClassify,
                galleryVersion));
  }

  /** The plan's figures, by their JSON names. */
  public Map<String, Object> report() {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("plan_files_listed", filesListed);
    f.put("plan_files_to_probe", filesToProbe);
    f.put("plan_files_vanished", filesVanished);
    f.put("plan_segments_to_detect", segmentsToDetect);
    f.put("plan_segments_selected", segmentsSelected);
    f.put("plan_videos_to_classify", videosToClassify);
    return f;
  }
}
