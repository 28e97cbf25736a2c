package org.farmid.jobs.bench;

import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.farmid.common.config.PipelineSettings;
import org.farmid.common.evaluate.GroundTruthSet;
import org.farmid.common.evaluate.MotEvaluation;
import org.farmid.common.evaluate.OpenSetFigures;
import org.farmid.common.gallery.ArchiveMeans;
import org.farmid.common.gallery.GalleryEntry;
import org.farmid.common.gallery.OpenSetClassifier;
import org.farmid.common.gallery.ThresholdRule;
import org.farmid.common.geom.Box;
import org.farmid.common.metrics.MotSummary;
import org.farmid.common.track.VideoTracking;
import org.farmid.jobs.pipeline.GroundTruthJoin;
import org.farmid.jobs.pipeline.StageInputs;
import org.farmid.jobs.spark.Rows;
import org.farmid.jobs.spark.Tables;
import org.farmid.jobs.spark.Warehouse;

/**
 * Chooses the settings that act after detection (the gallery's open-set threshold rule and every
 * {@code farmid.track} setting) on warehouses the whole pipeline has already run through, without
 * detecting or embedding again: each warehouse's classified crops (nearest mean, distance, margin,
 * embedding) and their ground-truth labels are read once; for each combination of settings the
 * crops are named again under that threshold rule, tracked and voted per video as {@code track}
 * does, and scored as {@code evaluate} does. Under the settings a warehouse was made with, the
 * figures are those {@code evaluate} wrote.
 */
public final class SettingsSearch {
  /** The goals the searched settings move: the identity goals of the envelope. */
  public static final List<EnvelopeFigures.Goal> GOALS =
      EnvelopeFigures.GOALS.stream()
          .filter(g -> !List.of("map50", "map", "detection_recall").contains(g.key()))
          .toList();

  /** Figures reported beside the goals. */
  static final List<String> ALSO = List.of("unknown_rejection_rate", "mota", "id_switches");

  /** A warehouse the pipeline ran through and the ground truth of its archive. */
  public record Case(String name, Path warehouse, Path groundTruth) {}

  /** One classified crop: what naming it again and tracking it needs, and its true label. */
  record Crop(
      String detectionId,
      String videoId,
      String camera,
      java.time.LocalDate day,
      int frameIndex,
      Box box,
      float[] embedding,
      String nearest,
      double distance,
      double margin,
      String storedLabel,
      String trueLabel,
      boolean infrared) {}

  /** What one case gives the search, read once. */
  public static final class Evidence {
    final String name;
    final List<Crop> crops;

    /** The true label of each matched crop, by detection id. */
    final Map<String, String> trueLabels;

    /** The spread of each animal's mean, by id (from {@link #gallery}). */
    final Map<String, Double> spreadP95;

    /** The spread of each animal's infrared mean, for crops named against it (from the gallery). */
    final Map<String, Double> infraredSpreadP95;

    /** The gallery version the crops were named against, for naming frames together. */
    final List<GalleryEntry> gallery;

    final long spurious;
    final long missed;
    final GroundTruthSet truth;
    final double minVisibility;
    final List<MotEvaluation.Frame> frames;

    Evidence(
        String name,
        List<Crop> crops,
        Map<String, String> trueLabels,
        List<GalleryEntry> gallery,
        long spurious,
        long missed,
        GroundTruthSet truth,
        double minVisibility,
        List<MotEvaluation.Frame> frames) {
      this.name = name;
      this.crops = crops;
      this.trueLabels = trueLabels;
      this.gallery = gallery;
      this.spreadP95 = new HashMap<>();
      this.infraredSpreadP95 = new HashMap<>();
      for (GalleryEntry e : gallery) {
        spreadP95.put(e.animalId(), e.spreadP95());
        if (e.infrared() != null) {
          infraredSpreadP95.put(e.animalId(), e.infrared().spreadP95());
        }
      }
      this.spurious = spurious;
      this.missed = missed;
      this.truth = truth;
      this.minVisibility = minVisibility;
      this.frames = frames;
    }

    public String name() {
      return name;
    }

    public int crops() {
      return crops.size();
    }

    /** The gallery the crops are named against. */
    public List<GalleryEntry> gallery() {
      return gallery;
    }

    /** The same crops and truth, named against {@code other} instead. */
    public Evidence withGallery(List<GalleryEntry> other) {
      return new Evidence(
          name, crops, trueLabels, other, spurious, missed, truth, minVisibility, frames);
    }

    /**
     * Crops whose label under {@code s}'s naming (threshold rules, frame-exclusive or not) differs
     * from the one classify stored.
     */
    public long relabelled(PipelineSettings s) {
      Map<String, Named> named = names(s);
      return crops.stream()
          .filter(c -> !named.get(c.detectionId()).label().equals(c.storedLabel()))
          .count();
    }

    /**
     * The same crops against the gallery moved toward the archive ({@link ArchiveMeans}): named and
     * tracked under {@code s} as they are, each crop on a track voted for an animal (with {@code
     * a.ownOnly()}, only where the crop alone was named that animal too) adds its embedding to that
     * animal's archive mean in its light, and each mean is blended with it at {@code a.weight()}.
     * Thresholds stay the enrolment's.
     */
    public Evidence adapted(PipelineSettings s, Adapt a) {
      Map<String, Named> names = names(s);
      Map<String, Crop> byId = new HashMap<>();
      crops.forEach(c -> byId.put(c.detectionId(), c));
      Map<String, GalleryEntry> entries = new HashMap<>();
      gallery.stream()
          .map(e -> e.withThresholds(s.thresholdRule(), s.infraredThresholdRule()))
          .forEach(e -> entries.put(e.animalId(), e));
      ArchiveMeans archive = new ArchiveMeans();
      for (Tracked t : tracked(this, names, s)) {
        String animal = t.path().animalId();
        if (animal == null || OpenSetClassifier.UNKNOWN.equals(animal)) {
          continue;
        }
        for (VideoTracking.Detection d : t.path().detections()) {
          if (a.ownOnly() && !animal.equals(d.animalId())) {
            continue;
          }
          Crop c = byId.get(d.detectionId());
          if (!ArchiveMeans.within(
              entries.get(animal), c.embedding(), c.infrared(), a.maxDistance())) {
            continue;
          }
          archive.add(animal, c.embedding(), c.infrared());
        }
      }
      return withGallery(archive.blend(gallery, a.weight()));
    }

    /**
     * Each crop's name and vote margin under {@code s}, by detection id: each crop alone, or with
     * {@code frameExclusive} each frame's crops together as {@code classify} names them.
     */
    Map<String, Named> names(PipelineSettings s) {
      Map<String, Named> out = new HashMap<>();
      if (!s.frameExclusive()) {
        for (Crop c : crops) {
          out.put(c.detectionId(), new Named(label(c, s), c.margin()));
        }
        return out;
      }
      OpenSetClassifier classifier =
          new OpenSetClassifier(
              gallery.stream()
                  .map(e -> e.withThresholds(s.thresholdRule(), s.infraredThresholdRule()))
                  .toList());
      Map<List<Object>, List<Crop>> frames = new LinkedHashMap<>();
      for (Crop c : crops) {
        frames.computeIfAbsent(List.of(c.videoId(), c.frameIndex()), k -> new ArrayList<>()).add(c);
      }
      for (List<Crop> frame : frames.values()) {
        Crop first = frame.get(0);
        List<OpenSetClassifier.Match> matches =
            classifier.classifyFrame(
                frame.stream().map(Crop::embedding).toList(),
                first.day(),
                first.camera(),
                first.infrared(),
                s.frameRule());
        for (int i = 0; i < frame.size(); i++) {
          OpenSetClassifier.Match m = matches.get(i);
          out.put(frame.get(i).detectionId(), new Named(m.label(), m.margin()));
        }
      }
      return out;
    }

    private String label(Crop c, PipelineSettings s) {
      ThresholdRule rule = c.infrared() ? s.infraredThresholdRule() : s.thresholdRule();
      if (c.nearest() == null) {
        return OpenSetClassifier.UNKNOWN;
      }
      Double p95 = (c.infrared() ? infraredSpreadP95 : spreadP95).get(c.nearest());
      if (p95 == null) {
        throw new IllegalStateException(
            name + ": crop " + c.detectionId() + " names " + c.nearest() + ", not in its gallery");
      }
      return c.distance() <= rule.threshold(p95) ? c.nearest() : OpenSetClassifier.UNKNOWN;
    }
  }

  /** A crop's name and the margin its vote along a track weighs by. */
  record Named(String label, double margin) {}

  /**
   * The gallery's means moved toward the archive's own crops before naming ({@link
   * Evidence#adapted}), as the pipeline's {@code adapt} stage moves them.
   *
   * @param weight share of the archive's mean in each blended mean, 0 to 1
   * @param ownOnly only crops whose own name agrees with their track's vote count
   * @param maxDistance only crops within this share of the voted animal's threshold of its mean (in
   *     the crop's light) count; {@code Double.POSITIVE_INFINITY} for every crop of the track
   */
  public record Adapt(double weight, boolean ownOnly, double maxDistance) {
    public Adapt {
      if (!(weight > 0 && weight <= 1)) {
        throw new IllegalArgumentException(
            "adapt weight must be above 0 and at most 1, got " + weight);
      }
      if (!(maxDistance > 0)) {
        throw new IllegalArgumentException(
            "adapt max distance must be above 0 (a share of the threshold), got " + maxDistance);
      }
    }

    /** Every crop of a voted track counts. */
    public Adapt(double weight, boolean ownOnly) {
      this(weight, ownOnly, Double.POSITIVE_INFINITY);
    }

    /** How the settings column shows it. */
    public String describe() {
      return "adapt-weight="
          + weight
          + (ownOnly ? " adapt-own" : "")
          + (Double.isInfinite(maxDistance) ? "" : " adapt-max-distance=" + maxDistance);
    }
  }

  /** One track of one video: the video's ground-truth key and the tracker's path. */
  private record Tracked(String videoKey, VideoTracking.Path path) {}

  /** The crops named {@code names}, tracked and voted per video as {@code track} does. */
  private static List<Tracked> tracked(Evidence e, Map<String, Named> names, PipelineSettings s) {
    Map<String, List<VideoTracking.Detection>> byVideo = new TreeMap<>();
    for (Crop c : e.crops) {
      Named n = names.get(c.detectionId());
      byVideo
          .computeIfAbsent(c.videoId(), k -> new ArrayList<>())
          .add(
              new VideoTracking.Detection(
                  c.detectionId(), c.frameIndex(), c.box(), c.embedding(), n.label(), n.margin()));
    }
    List<Tracked> out = new ArrayList<>();
    VideoTracking.Profiles profiles = s.trackProfiles();
    for (Map.Entry<String, List<VideoTracking.Detection>> v : byVideo.entrySet()) {
      String key = GroundTruthSet.videoKey(v.getKey());
      List<VideoTracking.Detection> detections = v.getValue();
      for (VideoTracking.Path p : VideoTracking.track(detections, profiles.forVideo(detections))) {
        out.add(new Tracked(key, p));
      }
    }
    return out;
  }

  private SettingsSearch() {}

  /**
   * Reads the latest gallery version's classified crops of one warehouse and matches them to the
   * ground truth (at {@code s}'s match IoU and minimum visibility). A warehouse of the earlier
   * layout is moved to the current one first, as every pipeline command does.
   */
  public static Evidence read(
      SparkSession spark, Case c, PipelineSettings s, Consumer<String> progress)
      throws IOException {
    Warehouse wh = new Warehouse(spark, c.warehouse());
    for (String moved : wh.migrateLayout()) {
      progress.accept(c.name() + ": warehouse of an earlier layout, table moved: " + moved);
    }
    Dataset<Row> all = wh.read(Tables.CROP_IDENTITIES);
    long version = StageInputs.classifiedVersion(null, all, wh);
    Dataset<Row> classified = all.where(col("gallery_version").equalTo(version));
    GroundTruthSet truth = GroundTruthSet.read(c.groundTruth());
    Map<String, String> trueLabels = new HashMap<>();
    long spurious = 0;
    long missed = 0;
    for (GroundTruthJoin.Pair p :
        GroundTruthJoin.match(
                wh.read(Tables.FRAMES), classified, truth, s.matchIou(), s.minVisibility())
            .collect()) {
      switch (p.outcome()) {
        case MISSED -> missed++;
        case SPURIOUS -> spurious++;
        case MATCHED -> trueLabels.put(p.row().getAs("detection_id"), p.truthLabel());
      }
    }
    List<GalleryEntry> gallery = StageInputs.galleryEntries(wh, version);
    // the stored margin of a crop that classify named together with its frame is that answer's
    // (0 where another crop took its animal): each crop's own margin, alone, is worked out again
    OpenSetClassifier alone = new OpenSetClassifier(gallery);
    List<Crop> crops = new ArrayList<>();
    for (Row r :
        classified
            .join(wh.read(Tables.DETECTIONS).select("detection_id", "embedding"), "detection_id")
            .collectAsList()) {
      String id = r.getAs("detection_id");
      Double distance = r.getAs("distance");
      java.sql.Date date = r.getAs("date");
      java.time.LocalDate day = date == null ? null : date.toLocalDate();
      float[] embedding = Rows.floats(r, "embedding");
      boolean infrared = Rows.infrared(r);
      String camera = r.getAs("camera");
      crops.add(
          new Crop(
              id,
              r.getAs("video_id"),
              camera,
              day,
              r.<Integer>getAs("frame_index"),
              Rows.box(r),
              embedding,
              r.getAs("nearest_animal"),
              distance == null ? Double.NaN : distance,
              alone.classify(embedding, day, camera, infrared).margin(),
              r.getAs("animal_id"),
              trueLabels.get(id),
              infrared));
    }
    return new Evidence(
        c.name(),
        crops,
        trueLabels,
        gallery,
        spurious,
        missed,
        truth,
        s.minVisibility(),
        StageInputs.sampledFrames(wh));
  }

  /**
   * The figures of one case under {@code s}, by the names {@code evaluate} reports them: the
   * per-crop identity figures, the track-voted ones and the MOT figures.
   */
  public static Map<String, Object> figures(Evidence e, PipelineSettings s) {
    Map<List<String>, Long> cropCounts = new LinkedHashMap<>();
    long matched = 0;
    Map<String, Named> names = e.names(s);
    for (Crop c : e.crops) {
      if (c.trueLabel() != null) {
        matched++;
        cropCounts.merge(List.of(c.trueLabel(), names.get(c.detectionId()).label()), 1L, Long::sum);
      }
    }
    Map<List<String>, Long> trackCounts = new LinkedHashMap<>();
    List<MotEvaluation.Point> points = new ArrayList<>();
    for (Tracked t : tracked(e, names, s)) {
      VideoTracking.Path p = t.path();
      for (VideoTracking.Detection d : p.detections()) {
        points.add(new MotEvaluation.Point(t.videoKey(), d.frameIndex(), p.id(), d.box()));
        String truth = e.trueLabels.get(d.detectionId());
        if (truth != null) {
          trackCounts.merge(List.of(truth, p.animalId()), 1L, Long::sum);
        }
      }
    }
    Map<String, Object> f = new LinkedHashMap<>();
    f.putAll(OpenSetFigures.of(matched, e.spurious, e.missed, cropCounts).summary());
    f.putAll(OpenSetFigures.of(matched, e.spurious, e.missed, trackCounts).trackSummary());
    MotSummary mot =
        MotEvaluation.evaluate(e.truth, e.minVisibility, e.frames, points).get(MotEvaluation.ALL);
    f.putAll(MotEvaluation.figures(mot));
    return f;
  }

  /**
   * As {@link #figures(Evidence, PipelineSettings)}, with the gallery first moved toward the
   * archive's crops when {@code adapt} is not null.
   */
  public static Map<String, Object> figures(Evidence e, PipelineSettings s, Adapt adapt) {
    return figures(adapt == null ? e : e.adapted(s, adapt), s);
  }

  /**
   * Every combination of the values to try, in order (the first key varies slowest), each as {@code
   * key=value} overrides.
   */
  public static List<List<String>> grid(Map<String, List<String>> values) {
    List<List<String>> out = new ArrayList<>();
    out.add(List.of());
    for (Map.Entry<String, List<String>> e : values.entrySet()) {
      List<List<String>> next = new ArrayList<>();
      for (List<String> prefix : out) {
        for (String v : e.getValue()) {
          List<String> combo = new ArrayList<>(prefix);
          combo.add(e.getKey() + "=" + v);
          next.add(combo);
        }
      }
      out = next;
    }
    return out;
  }

  /**
   * How far one combination's figures fall short of the goals, summed over goals and cases (a goal
   * a case cannot measure, such as visitors unknown without visitors, adds nothing).
   */
  public static double shortfall(List<Map<String, Object>> perCase) {
    double total = 0;
    for (Map<String, Object> f : perCase) {
      for (EnvelopeFigures.Goal g : GOALS) {
        double shortBy = g.shortBy(number(f.get(g.key())));
        total += Double.isNaN(shortBy) ? 0 : shortBy;
      }
    }
    return total;
  }

  /** The (case, goal) pairs one combination meets, over the goals each case can measure. */
  public static int goalsMet(List<Map<String, Object>> perCase) {
    int met = 0;
    for (Map<String, Object> f : perCase) {
      for (EnvelopeFigures.Goal g : GOALS) {
        met += g.shortBy(number(f.get(g.key()))) == 0 ? 1 : 0;
      }
    }
    return met;
  }

  /**
   * Scores every combination on every case; returns one row per combination, best first: most goals
   * met over the cases, then lowest shortfall (a goal met where the cases are easy is not traded
   * for a little less shortfall where they are hard). Each row holds {@code settings} (the
   * overrides), {@code goals_met}, {@code shortfall}, {@code mean} (each figure's mean over the
   * cases that measure it) and {@code cases} (each case's figures).
   */
  public static List<Map<String, Object>> search(
      List<Evidence> cases,
      List<List<String>> combos,
      Function<List<String>, PipelineSettings> settings,
      Consumer<String> progress) {
    List<Adapt> none = new ArrayList<>();
    none.add(null);
    return search(cases, combos, none, settings, progress);
  }

  /**
   * As {@link #search(List, List, Function, Consumer)}, each combination also under each of {@code
   * adapts} (null: the enrolment means), shown at the end of its settings.
   */
  public static List<Map<String, Object>> search(
      List<Evidence> cases,
      List<List<String>> combos,
      List<Adapt> adapts,
      Function<List<String>, PipelineSettings> settings,
      Consumer<String> progress) {
    List<Map<String, Object>> rows = new ArrayList<>();
    long t0 = System.nanoTime();
    int total = combos.size() * adapts.size();
    for (int i = 0; i < total; i++) {
      List<String> combo = combos.get(i / adapts.size());
      Adapt adapt = adapts.get(i % adapts.size());
      PipelineSettings s = settings.apply(combo);
      Map<String, Map<String, Object>> perCase = new LinkedHashMap<>();
      for (Evidence e : cases) {
        perCase.put(e.name(), figures(e, s, adapt));
      }
      List<String> shown = new ArrayList<>(combo);
      if (adapt != null) {
        shown.add(adapt.describe());
      }
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("settings", shown);
      row.put("goals_met", goalsMet(new ArrayList<>(perCase.values())));
      row.put("shortfall", shortfall(new ArrayList<>(perCase.values())));
      row.put("mean", means(perCase.values()));
      row.put("cases", perCase);
      rows.add(row);
      if ((i + 1) % 10 == 0 || i + 1 == total) {
        progress.accept(
            String.format(
                Locale.ROOT,
                "%d of %d combinations scored (%.0f s)",
                i + 1,
                total,
                (System.nanoTime() - t0) / 1e9));
      }
    }
    rows.sort(
        java.util.Comparator.<Map<String, Object>>comparingDouble(r -> -number(r.get("goals_met")))
            .thenComparingDouble(r -> number(r.get("shortfall"))));
    return rows;
  }

  private static Map<String, Object> means(java.util.Collection<Map<String, Object>> perCase) {
    Map<String, Object> mean = new LinkedHashMap<>();
    List<String> keys = new ArrayList<>();
    GOALS.forEach(g -> keys.add(g.key()));
    keys.addAll(ALSO);
    for (String k : keys) {
      double sum = 0;
      int n = 0;
      for (Map<String, Object> f : perCase) {
        double v = number(f.get(k));
        if (!Double.isNaN(v)) {
          sum += v;
          n++;
        }
      }
      mean.put(k, n == 0 ? Double.NaN : sum / n);
    }
    return mean;
  }

  /**
   * The table of the best {@code top} rows: each row's settings, goals met and shortfall, each
   * goal's mean over the cases and each case's IDF1.
   */
  public static String markdown(List<Map<String, Object>> rows, List<String> caseNames, int top) {
    StringBuilder sb = new StringBuilder();
    sb.append("| rank | settings | goals met | shortfall |");
    StringBuilder rule = new StringBuilder("|---:|---|---:|---:|");
    for (EnvelopeFigures.Goal g : GOALS) {
      sb.append(' ').append(g.header()).append(" |");
      rule.append("---:|");
    }
    for (String k : ALSO) {
      sb.append(' ').append(k.replace('_', ' ')).append(" |");
      rule.append("---:|");
    }
    for (String c : caseNames) {
      sb.append(" IDF1 ").append(c).append(" |");
      rule.append("---:|");
    }
    sb.append('\n').append(rule).append('\n');
    for (int i = 0; i < Math.min(top, rows.size()); i++) {
      Map<String, Object> r = rows.get(i);
      @SuppressWarnings("unchecked")
      List<String> settings = (List<String>) r.get("settings");
      @SuppressWarnings("unchecked")
      Map<String, Object> mean = (Map<String, Object>) r.get("mean");
      @SuppressWarnings("unchecked")
      Map<String, Map<String, Object>> cases = (Map<String, Map<String, Object>>) r.get("cases");
      sb.append("| ")
          .append(i + 1)
          .append(" | ")
          .append(settings.isEmpty() ? "(as configured)" : String.join(" ", settings))
          .append(" | ")
          .append(r.get("goals_met"))
          .append(" | ")
          .append(format(number(r.get("shortfall"))))
          .append(" |");
      for (EnvelopeFigures.Goal g : GOALS) {
        sb.append(' ').append(format(number(mean.get(g.key())))).append(" |");
      }
      for (String k : ALSO) {
        sb.append(' ').append(format(number(mean.get(k)))).append(" |");
      }
      for (String c : caseNames) {
        sb.append(' ').append(format(number(cases.get(c).get("idf1")))).append(" |");
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  private static String format(double v) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.3f", v);
  }

  static double number(Object o) {
    return o instanceof Number n ? n.doubleValue() : Double.NaN;
  }
}
