package org.farmid.common.config;

import com.typesafe.config.Config;
import java.io.Serializable;
import java.util.List;
import java.util.Locale;
import org.farmid.common.gallery.OpenSetClassifier;
import org.farmid.common.gallery.ThresholdRule;
import org.farmid.common.ingest.VideoOrigin;
import org.farmid.common.track.Tracker;
import org.farmid.common.track.VideoTracking;

/**
 * The {@code farmid.pipeline} and {@code farmid.gallery} sections, checked: what the Spark stages
 * need. Serializable, as partition functions carry it to executors.
 */
public record PipelineSettings(
    String detectorModel,
    String embedderModel,
    List<String> videoExtensions,
    double segmentSeconds,
    String pathPattern,
    double sampleFps,
    int detectBatch,
    int embedBatch,
    org.farmid.common.embed.TransformAverage.Mode embedAverage,
    float scoreThreshold,
    int maxDetections,
    double extraNmsIou,
    double multiAnimalOverlap,
    double matchIou,
    double minVisibility,
    ThresholdRule thresholdRule,
    ThresholdRule infraredThresholdRule,
    int minCrops,
    VideoTracking.Profiles trackProfiles,
    List<org.farmid.common.ingest.MosaicLayout> mosaics,
    int batchSegments,
    org.farmid.common.embed.InfraredLook infraredLook,
    OpenSetClassifier.FrameRule frameRule,
    double adaptWeight)
    implements Serializable {
  public static final String SECTION = "farmid.pipeline";
  public static final String GALLERY_SECTION = "farmid.gallery";
  public static final String TRACK_SECTION = "farmid.track";

  /** The path of the embedding-average setting (also read by {@code eval-crops}). */
  public static final String EMBED_AVERAGE = SECTION + ".embed-average";

  /**
   * Whether the crops of one frame are named together, no animal twice in a picture ({@code
   * gallery.frame-exclusive}); {@link #frameRule} is then how, and null when each crop is named
   * alone.
   */
  public boolean frameExclusive() {
    return frameRule != null;
  }

  /**
   * Whether {@code run} moves the gallery's means toward the archive's own track-voted crops
   * ({@code gallery.adapt-weight} above 0): the share of the archive's mean in each blended mean.
   */
  public boolean adapts() {
    return adaptWeight > 0;
  }

  /**
   * The fingerprint of what plans a file's segments (segment length, path pattern, mosaics): a file
   * ingested under another one is probed and planned again.
   */
  public String planFingerprint() {
    return Fingerprint.of(
        "plan", Double.toString(segmentSeconds), pathPattern, String.valueOf(mosaics));
  }

  /**
   * The fingerprint of what decides a segment's detections: the two models and the detection
   * settings. A segment detected under another one is detected again.
   */
  public String detectFingerprint(String detectorId, String embedderId) {
    return Fingerprint.of(
        "detect",
        detectorId,
        embedderId,
        Double.toString(sampleFps),
        Float.toString(scoreThreshold),
        Integer.toString(maxDetections),
        Double.toString(extraNmsIou),
        Double.toString(multiAnimalOverlap));
  }

  /**
   * The fingerprint of what decides a video's tracks and their votes: both tracking profiles and
   * the crowded threshold. A video tracked under another one is tracked again.
   */
  public String trackFingerprint() {
    return Fingerprint.of("track", String.valueOf(trackProfiles));
  }

  public static PipelineSettings from(Config config) {
    SettingsReader r = new SettingsReader(config, SECTION);
    String detector = r.string("detector-model");
    String embedder = r.string("embedder-model");
    List<String> extensions =
        r.strings("video-extensions").stream()
            .map(e -> e.toLowerCase(Locale.ROOT).replaceFirst("^\\.", ""))
            .toList();
    if (extensions.isEmpty()) {
      r.problem("key '" + r.pathOf("video-extensions") + "' must list at least one extension");
    }
    double segment = r.positiveDouble("segment-seconds");
    String pattern = r.string("path-pattern");
    try {
      VideoOrigin.compile(pattern);
    } catch (IllegalArgumentException e) {
      r.problem("key '" + r.pathOf("path-pattern") + "': " + e.getMessage());
    }
    double sampleFps = r.doubleBetween("sample-fps", 0, 1000);
    int detectBatch = r.intAtLeast("detect-batch", 1);
    int embedBatch = r.intAtLeast("embed-batch", 1);
    org.farmid.common.embed.TransformAverage.Mode embedAverage =
        r.choice(
            "embed-average",
            org.farmid.common.embed.TransformAverage.Mode::byKey,
            org.farmid.common.embed.TransformAverage.Mode.choices());
    double score = r.doubleBetween("score-threshold", 0, 1);
    int maxDetections = r.intAtLeast("max-detections", 1);
    double nms = r.doubleBetween("extra-nms-iou", 0, 1);
    double overlap = r.doubleBetween("multi-animal-overlap", 0, 1);
    double matchIou = r.doubleBetween("match-iou", 0.01, 1);
    double visibility = r.doubleBetween("min-visibility", 0, 1);
    int batchSegments = r.intAtLeast("batch-segments", 1);
    List<org.farmid.common.ingest.MosaicLayout> mosaics = mosaics(config, r);
    SettingsReader g = new SettingsReader(config, GALLERY_SECTION);
    double factor = g.doubleBetween("threshold-factor", 0, 100);
    double infraredFactor = g.doubleBetween("infrared-threshold-factor", 0, 100);
    double offset = g.doubleBetween("threshold-offset", -2, 2);
    double min = g.doubleBetween("threshold-min", 0, 2);
    double max = g.doubleBetween("threshold-max", 0, 2);
    if (max < min) {
      g.problem(
          "key '"
              + g.pathOf("threshold-max")
              + "' must not be below "
              + g.pathOf("threshold-min")
              + " ("
              + max
              + " < "
              + min
              + ")");
    }
    int minCrops = g.intAtLeast("min-crops", 1);
    boolean frameExclusive = g.bool("frame-exclusive");
    boolean frameReassign = g.bool("frame-exclusive-reassign");
    OpenSetClassifier.LoserMargin loserMargin =
        g.choice(
            "frame-exclusive-margin",
            OpenSetClassifier.LoserMargin::byKey,
            OpenSetClassifier.LoserMargin.choices());
    double adaptWeight = g.doubleBetween("adapt-weight", 0, 1);
    org.farmid.common.embed.InfraredLook infraredLook = null;
    String look = g.string("infrared-look");
    if (!"none".equals(look)) {
      try {
        infraredLook = org.farmid.common.embed.InfraredLook.parse(look);
      } catch (IllegalArgumentException e) {
        g.problem("key '" + g.pathOf("infrared-look") + "' must be none or " + e.getMessage());
      }
    }
    SettingsReader t = new SettingsReader(config, TRACK_SECTION);
    boolean joinByIdentity = t.bool("join-by-identity");
    int crowdedFrom = t.intAtLeast("crowded-from", 0);
    VideoTracking.Settings sparse = trackSettings(t, joinByIdentity);
    SettingsReader crowdedReader = new SettingsReader(config, TRACK_SECTION + ".crowded");
    VideoTracking.Settings crowded = trackSettings(crowdedReader, joinByIdentity);
    List<String> problems = new java.util.ArrayList<>();
    for (SettingsReader reader : List.of(r, g, t, crowdedReader)) {
      try {
        reader.throwIfInvalid();
      } catch (InvalidConfigException e) {
        problems.addAll(e.problems());
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidConfigException(problems);
    }
    return new PipelineSettings(
        detector,
        embedder,
        extensions,
        segment,
        pattern,
        sampleFps,
        detectBatch,
        embedBatch,
        embedAverage,
        (float) score,
        maxDetections,
        nms,
        overlap,
        matchIou,
        visibility,
        new ThresholdRule(factor, offset, min, max),
        new ThresholdRule(infraredFactor, offset, min, max),
        minCrops,
        new VideoTracking.Profiles(sparse, crowded, crowdedFrom),
        mosaics,
        batchSegments,
        infraredLook,
        frameExclusive ? new OpenSetClassifier.FrameRule(frameReassign, loserMargin) : null,
        adaptWeight);
  }

  /**
   * One profile of tracking settings from its section ({@code farmid.track} or {@code
   * farmid.track.crowded}); null where a value is invalid (the reader has the problem).
   */
  private static VideoTracking.Settings trackSettings(SettingsReader t, boolean joinByIdentity) {
    double maxMotion = t.positiveDouble("max-motion");
    double appearance = t.doubleBetween("appearance-weight", 0, 1);
    double maxCost = t.doubleBetween("max-cost", 0, 1);
    int maxMisses = t.intAtLeast("max-misses", 0);
    double minShare = t.doubleBetween("min-share", 0, 1);
    double switchPenalty = t.doubleBetween("switch-penalty", 0, 1000);
    double coverDiscount = t.doubleBetween("cover-discount", 0, 0.99);
    double unknownWeight = t.doubleBetween("unknown-weight", 0.01, 1);
    try {
      return new VideoTracking.Settings(
          new Tracker.Options(maxMotion, appearance, maxCost, maxMisses),
          minShare,
          switchPenalty,
          joinByIdentity,
          coverDiscount,
          unknownWeight);
    } catch (IllegalArgumentException e) {
      return null; // out of range: the reader has recorded which key
    }
  }

  /**
   * {@code pipeline.mosaics}: a list of {@code {path = REGEX, grid = "2x2", cameras = [...]}}, each
   * naming the files (by path below the archive) that tile several cameras in one picture.
   */
  private static List<org.farmid.common.ingest.MosaicLayout> mosaics(
      Config config, SettingsReader r) {
    String key = r.pathOf("mosaics");
    List<org.farmid.common.ingest.MosaicLayout> out = new java.util.ArrayList<>();
    List<? extends com.typesafe.config.ConfigObject> list;
    try {
      list = config.getObjectList(key);
    } catch (com.typesafe.config.ConfigException e) {
      r.problem(
          "key '" + key + "' must be a list of {path = REGEX, grid = \"2x2\", cameras = [names]}");
      return out;
    }
    for (int i = 0; i < list.size(); i++) {
      Config m = list.get(i).toConfig();
      String at = key + "[" + i + "]";
      try {
        for (String k : m.root().keySet()) {
          if (!List.of("path", "grid", "cameras").contains(k)) {
            throw new IllegalArgumentException(
                "unknown key '" + k + "' (known: path, grid, cameras)");
          }
        }
        out.add(
            org.farmid.common.ingest.MosaicLayout.of(
                m.getString("path"), m.getString("grid"), m.getStringList("cameras")));
      } catch (com.typesafe.config.ConfigException | IllegalArgumentException e) {
        r.problem("key '" + at + "': " + e.getMessage());
      }
    }
    return List.copyOf(out);
  }
}
