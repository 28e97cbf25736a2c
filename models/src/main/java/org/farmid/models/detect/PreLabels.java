package org.farmid.models.detect;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.farmid.common.detect.Detection;
import org.farmid.common.detect.Detector;
import org.farmid.common.geom.Box;
import org.farmid.common.labels.CocoLabels;
import org.farmid.common.synth.GroundTruthRow;
import org.farmid.common.track.Tracker;
import org.farmid.models.video.FrameExport;

/**
 * A detector's boxes on exported frames ({@code export-frames}' images and COCO file), as a COCO
 * file to correct in CVAT or Label Studio instead of drawing every box from nothing. With the
 * export's {@code frames.csv}, the boxes of each video are linked into tracks by the {@link
 * Tracker} on boxes alone, frame after frame: a track's boxes carry its number as CVAT's {@code
 * attributes.track_id}, so each track is one animal's crops to {@code cut-crops} (identities a
 * labeller checks and names, or, as they are, pairs of crops known to show one animal and crops
 * known to show two, for the embedder to learn a farm's own animals from). Tracks of fewer than
 * {@code minTrack} boxes keep their boxes but no number.
 */
public final class PreLabels {
  private PreLabels() {}

  /**
   * The labelled images in the export's order, the boxes drawn, the tracks numbered and the boxes
   * those hold.
   */
  public record Outcome(List<CocoLabels.Image> images, int boxes, int tracks, int tracked) {}

  /**
   * Runs the detector over every image of {@code export} and, where {@code frames} is given, links
   * the boxes of each of its videos.
   *
   * @param frames the export's frames, or null not to link
   * @param link the tracker's settings; its appearance weight is moot (boxes only)
   */
  public static Outcome run(
      ImageLabels export,
      List<FrameExport.Listing> frames,
      Detector detector,
      Tracker.Options link,
      int minTrack,
      Consumer<String> progress)
      throws IOException {
    if (minTrack < 1) {
      throw new IllegalArgumentException("minTrack must be at least 1, got " + minTrack);
    }
    Map<String, List<Box>> boxes = new LinkedHashMap<>();
    Map<String, int[]> sizes = new HashMap<>();
    int[] done = {0};
    export.forEach(
        1,
        l -> {
          List<Box> found = new ArrayList<>();
          for (Detection d : detector.detect(List.of(l.frame())).get(0)) {
            found.add(d.box());
          }
          boxes.put(l.video(), found);
          sizes.put(l.video(), new int[] {l.frame().width(), l.frame().height()});
          if (++done[0] % 50 == 0) {
            progress.accept(done[0] + " of " + export.size() + " images detected");
          }
        });
    Map<String, int[]> ids = frames == null ? Map.of() : link(boxes, frames, link, minTrack);
    List<CocoLabels.Image> images = new ArrayList<>();
    int drawn = 0;
    int tracked = 0;
    int tracks = 0;
    for (Map.Entry<String, List<Box>> e : boxes.entrySet()) {
      int[] id = ids.get(e.getKey());
      List<GroundTruthRow> rows = new ArrayList<>();
      for (int k = 0; k < e.getValue().size(); k++) {
        int track = id == null ? GroundTruthRow.NO_IDENTITY : id[k];
        rows.add(new GroundTruthRow(1, track, e.getValue().get(k), 1.0));
        tracked += track == GroundTruthRow.NO_IDENTITY ? 0 : 1;
        tracks = Math.max(tracks, track);
      }
      drawn += rows.size();
      int[] size = sizes.get(e.getKey());
      images.add(new CocoLabels.Image(images.size() + 1, e.getKey(), size[0], size[1], 0, rows));
    }
    return new Outcome(images, drawn, tracks, tracked);
  }

  /**
   * Each image's boxes' track numbers (in the order of its boxes): the images of one video in frame
   * order through one {@link Tracker}; tracks numbered 1, 2, ... in the order they start (videos in
   * the order {@code frames} first lists them), those of fewer than {@code minTrack} boxes {@link
   * GroundTruthRow#NO_IDENTITY}. Images {@code frames} does not list get no numbers.
   */
  static Map<String, int[]> link(
      Map<String, List<Box>> boxes,
      List<FrameExport.Listing> frames,
      Tracker.Options options,
      int minTrack) {
    Map<String, List<FrameExport.Listing>> videos = new LinkedHashMap<>();
    for (FrameExport.Listing l : frames) {
      if (boxes.containsKey(l.fileName())) {
        videos.computeIfAbsent(l.video(), v -> new ArrayList<>()).add(l);
      }
    }
    Map<String, long[]> local = new HashMap<>();
    List<String> order = new ArrayList<>();
    Map<String, Integer> length = new HashMap<>();
    videos.forEach(
        (video, listed) -> {
          listed.sort(Comparator.comparingInt(FrameExport.Listing::frame));
          Tracker tracker = new Tracker(options);
          for (FrameExport.Listing l : listed) {
            List<Tracker.Observation> obs = new ArrayList<>();
            for (Box b : boxes.get(l.fileName())) {
              obs.add(new Tracker.Observation(l.fileName() + "#" + obs.size(), b, null));
            }
            long[] ids = tracker.step(obs);
            local.put(l.fileName(), ids);
            for (long id : ids) {
              String key = video + "\u0000" + id;
              if (length.merge(key, 1, Integer::sum) == 1) {
                order.add(key);
              }
            }
          }
        });
    Map<String, Integer> number = new HashMap<>();
    for (String key : order) {
      if (length.get(key) >= minTrack) {
        number.put(key, number.size() + 1);
      }
    }
    Map<String, int[]> out = new HashMap<>();
    videos.forEach(
        (video, listed) -> {
          for (FrameExport.Listing l : listed) {
            long[] ids = local.get(l.fileName());
            int[] n = new int[ids.length];
            for (int k = 0; k < ids.length; k++) {
              n[k] = number.getOrDefault(video + "\u0000" + ids[k], GroundTruthRow.NO_IDENTITY);
            }
            out.put(l.fileName(), n);
          }
        });
    return out;
  }
}
