package org.farmid.jobs.pipeline.ingest;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.farmid.common.config.PipelineSettings;
import org.farmid.common.ingest.ArchiveChanges;
import org.farmid.common.ingest.MosaicLayout;
import org.farmid.common.ingest.SegmentPlan;
import org.farmid.common.ingest.Selection;
import org.farmid.common.ingest.VideoOrigin;
import org.farmid.common.ingest.VideoViews;
import org.farmid.common.video.VideoInfo;
import org.farmid.jobs.pipeline.runtime.LocalCopies;
import org.farmid.jobs.spark.RunContext;
import org.farmid.jobs.spark.Sql;
import org.farmid.jobs.spark.StageProgress;
import org.farmid.jobs.spark.Storage;
import org.farmid.jobs.spark.TableRow;
import org.farmid.jobs.spark.Tables;
import org.farmid.jobs.spark.Warehouse;
import org.farmid.models.video.SegmentDecoder;

/**
 * {@code ingest}: lists the archive's video files and probes, on the executors, only those that are
 * new or changed since the last ingest (path, size, modification time, and the settings that plan
 * segments); it plans their segments and replaces their rows of {@code videos}, {@code segments}
 * and its rows of {@code rejected_inputs}. Files that vanished keep their {@code videos} row,
 * marked {@code missing_since}, and lose their segments (nothing is left to decode); their results
 * stay. Unchanged files cost one listing and no write.
 */
public final class IngestStage {
  private IngestStage() {}

  /**
   * What ingest found: the videos (views), segments and refused files of the archive now, and what
   * this run changed (files probed, kept, vanished; segments planned).
   */
  public record Outcome(
      int videos,
      int segments,
      int rejected,
      int probed,
      int unchanged,
      int vanished,
      int newSegments) {
    /** The figures the command reports, by their JSON names. */
    public Map<String, Object> report() {
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("videos", videos());
      f.put("segments", segments());
      f.put("rejected_videos", rejected());
      f.put("files_probed", probed());
      f.put("files_unchanged", unchanged());
      f.put("files_vanished", vanished());
      f.put("segments_planned", newSegments());
      return f;
    }
  }

  /** What probing one file told. */
  public record Probe(String path, VideoInfo info, long sizeBytes, String error)
      implements Serializable {}

  /** Everything, incrementally. */
  public static Outcome run(Warehouse wh, Path archive, PipelineSettings s, RunContext run)
      throws IOException {
    return run(wh, archive.toString(), s, Selection.all(), false, run);
  }

  /**
   * A local archive, as {@link #run(Warehouse, String, PipelineSettings, Selection, boolean,
   * RunContext)}.
   */
  public static Outcome run(
      Warehouse wh,
      Path archive,
      PipelineSettings s,
      Selection selection,
      boolean reprocess,
      RunContext run)
      throws IOException {
    return run(wh, archive.toString(), s, selection, reprocess, run);
  }

  /**
   * @param selection the footage covered: files outside it are neither probed nor counted as
   *     vanished
   * @param reprocess probe and plan every covered file again
   */
  public static Outcome run(
      Warehouse wh,
      String archive,
      PipelineSettings s,
      Selection selection,
      boolean reprocess,
      RunContext run)
      throws IOException {
    String root = Storage.location(archive);
    String archiveText = root;
    Pattern pattern = VideoOrigin.compile(s.pathPattern());
    String archiveWhere = "archive = " + Sql.literal(archiveText);
    ArchiveChanges changes = plan(wh, archive, s, selection, reprocess);
    run.progress(
        String.format(
            Locale.ROOT,
            "ingest: %d video files under %s (%s): %d new or changed, %d unchanged, %d vanished,"
                + " %d refused before and unchanged",
            changes.listed(),
            root,
            selection.describe(),
            changes.toProbe().size(),
            changes.unchanged().size(),
            changes.vanished().size(),
            changes.stillRefused()));
    Map<String, Long> modified = new HashMap<>();
    changes.toProbe().forEach(f -> modified.put(f.path(), f.modifiedMillis()));
    List<Probe> probes = probe(wh, changes.toProbe().stream().map(f -> f.path()).toList(), run);
    long segmentMicros = Math.round(s.segmentSeconds() * 1e6);
    List<Row> videos = new ArrayList<>();
    List<Row> segments = new ArrayList<>();
    List<Row> rejected = new ArrayList<>();
    Timestamp now = Timestamp.from(Instant.now());
    for (Probe probe : probes) {
      if (probe.error() != null) {
        rejected.add(
            Tables.rejection(probe.path(), archiveText, "ingest", probe.error(), run.runId(), now));
        continue;
      }
      Timestamp mtime = new Timestamp(modified.get(probe.path()));
      for (VideoViews.View v :
          VideoViews.of(
              relative(root, probe.path()), probe.info(), pattern, s.mosaics(), segmentMicros)) {
        videos.add(
            video(v, probe, archiveText)
                .set("run_id", run.runId())
                .set("modified_at", mtime)
                .set("plan_fingerprint", s.planFingerprint())
                .set("missing_since", null)
                .build());
        for (SegmentPlan.Segment seg : v.segments()) {
          segments.add(segment(v, seg, probe, archiveText).set("run_id", run.runId()).build());
        }
      }
    }
    videos.addAll(vanished(wh, archiveWhere, changes.vanished(), now));
    if (!changes.isEmpty()) {
      // a first ingest replaces the archive's rows whole; later ones only the changed files'
      boolean first = changes.known() == 0 && selection.isAll();
      List<String> paths = new ArrayList<>(changes.toProbe().stream().map(f -> f.path()).toList());
      paths.addAll(changes.vanished());
      String where = first ? archiveWhere : archiveWhere + " AND " + Sql.in("path", paths);
      write(wh, videos, segments, rejected, where, run.runId());
    }
    for (Row r : rejected) {
      run.progress("ingest: rejected " + r.getString(0) + ": " + r.getString(3));
    }
    for (String gone : changes.vanished()) {
      run.progress("ingest: vanished from the archive (its results are kept): " + gone);
    }
    Row totals =
        wh.read(Tables.VIDEOS)
            .where(archiveWhere)
            .selectExpr(
                "count_if(missing_since IS NULL)",
                "coalesce(sum(CASE WHEN missing_since IS NULL THEN segments END), 0)")
            .first();
    int refusedNow = rejected.size() + changes.stillRefused();
    run.count("videos", totals.getLong(0));
    run.count("segments", totals.getLong(1));
    run.count("rejected", refusedNow);
    run.count("files_probed", probes.size());
    run.count("files_vanished", changes.vanished().size());
    run.count("segments_planned", segments.size());
    return new Outcome(
        (int) totals.getLong(0),
        (int) totals.getLong(1),
        refusedNow,
        probes.size(),
        changes.unchanged().size(),
        changes.vanished().size(),
        segments.size());
  }

  /**
   * What an ingest would do, from one listing of the archive and the stored rows, without probing
   * or writing anything (tables that do not exist yet count as empty and are not created).
   */
  public static ArchiveChanges plan(
      Warehouse wh, String archive, PipelineSettings s, Selection selection, boolean reprocess)
      throws IOException {
    String root = Storage.location(archive);
    String archiveWhere = "archive = " + Sql.literal(root);
    return ArchiveChanges.of(
        list(archive, s, selection, wh.spark().sparkContext().hadoopConfiguration()),
        known(wh, archiveWhere, selection),
        refused(wh, archiveWhere),
        s.planFingerprint(),
        reprocess);
  }

  /**
   * The video files of the selection below the archive (a path or a Hadoop URI), with their sizes
   * and modification times, sorted by path; nothing is read from the warehouse.
   */
  public static List<ArchiveChanges.Listed> list(
      String archive, PipelineSettings s, Selection selection, Configuration conf)
      throws IOException {
    String root = Storage.location(archive);
    Pattern pattern = VideoOrigin.compile(s.pathPattern());
    List<ArchiveChanges.Listed> all =
        Storage.isLocal(root)
            ? listLocal(archive, Path.of(root), s.videoExtensions())
            : listRemote(archive, root, s.videoExtensions(), conf);
    List<ArchiveChanges.Listed> listed = new ArrayList<>();
    for (ArchiveChanges.Listed f : all) {
      if (covered(selection, relative(root, f.path()), pattern, s)) {
        listed.add(f);
      }
    }
    return listed;
  }

  /** The path below the archive root, '/'-separated. */
  private static String relative(String root, String path) {
    return path.substring(root.length()).replace('\\', '/').replaceFirst("^/+", "");
  }

  /** Whether a file (its path below the root) holds footage of the selection. */
  private static boolean covered(
      Selection selection, String fileId, Pattern pattern, PipelineSettings s) {
    if (selection.isAll()) {
      return true;
    }
    VideoOrigin origin = VideoOrigin.of(fileId, pattern);
    List<String> cameras =
        MosaicLayout.find(fileId, s.mosaics())
            .map(MosaicLayout::cameras)
            .orElse(List.of(origin.camera()));
    return selection.coversAny(cameras, origin.start().map(t -> t.toLocalDate()).orElse(null));
  }

  /** The files the archive's {@code videos} rows describe, those of the selection only. */
  private static List<ArchiveChanges.Known> known(
      Warehouse wh, String archiveWhere, Selection selection) {
    Map<String, ArchiveChanges.Known> byPath = new LinkedHashMap<>();
    Set<String> coveredPaths = new HashSet<>();
    for (Row r :
        wh.readOrEmpty(Tables.VIDEOS)
            .where(archiveWhere)
            .select(
                "path",
                "size_bytes",
                "modified_at",
                "plan_fingerprint",
                "missing_since",
                "camera",
                "date")
            .collectAsList()) {
      String path = r.getString(0);
      Timestamp mtime = r.getTimestamp(2);
      byPath.putIfAbsent(
          path,
          new ArchiveChanges.Known(
              path,
              r.getLong(1),
              mtime == null ? -1 : mtime.getTime(),
              r.getString(3),
              !r.isNullAt(4)));
      Date day = r.getDate(6);
      if (selection.covers(r.getString(5), day == null ? null : day.toLocalDate())) {
        coveredPaths.add(path);
      }
    }
    return byPath.values().stream().filter(k -> coveredPaths.contains(k.path())).toList();
  }

  /** The files ingest refused before, and when. */
  private static List<ArchiveChanges.Refused> refused(Warehouse wh, String archiveWhere) {
    return wh
        .readOrEmpty(Tables.REJECTED_INPUTS)
        .where("stage = 'ingest' AND " + archiveWhere)
        .select("path", "recorded_at")
        .collectAsList()
        .stream()
        .map(r -> new ArchiveChanges.Refused(r.getString(0), r.getTimestamp(1).getTime()))
        .toList();
  }

  /** The {@code videos} rows of files that vanished, marked missing from now. */
  private static List<Row> vanished(
      Warehouse wh, String archiveWhere, List<String> paths, Timestamp now) {
    if (paths.isEmpty()) {
      return List.of();
    }
    List<Row> out = new ArrayList<>();
    String[] columns = Tables.VIDEOS.schema().fieldNames();
    for (Row r :
        wh.read(Tables.VIDEOS)
            .where(archiveWhere + " AND " + Sql.in("path", paths))
            .collectAsList()) {
      TableRow row = Tables.VIDEOS.row();
      for (String c : columns) {
        if (!c.equals("missing_since")) {
          row.set(c, r.getAs(c));
        }
      }
      out.add(row.set("missing_since", now).build());
    }
    return out;
  }

  /** Probes the files on the executors. */
  private static List<Probe> probe(Warehouse wh, List<String> files, RunContext run) {
    if (files.isEmpty()) {
      return List.of();
    }
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(wh.spark().sparkContext());
    try (StageProgress p =
        StageProgress.startCounted(
            wh.spark(),
            "ingest",
            "probe " + files.size() + " video files",
            "files",
            files.size(),
            run::progress)) {
      var rdd =
          jsc.parallelize(files, Math.min(files.size(), Math.max(1, jsc.defaultParallelism())))
              .setName(p.rddName());
      List<Probe> probes = rdd.mapPartitions(new ProbeFiles(p.counter())).collect();
      p.awaitReported();
      return probes;
    }
  }

  private static Timestamp start(VideoViews.View v) {
    return v.start().map(t -> Timestamp.from(t.toInstant(ZoneOffset.UTC))).orElse(null);
  }

  private static Date day(VideoViews.View v) {
    return v.start().map(t -> Date.valueOf(t.toLocalDate())).orElse(null);
  }

  /** The {@code videos} row of a view, all but its run. */
  private static TableRow video(VideoViews.View v, Probe probe, String archive) {
    VideoInfo info = probe.info();
    return Tables.VIDEOS
        .row()
        .set("video_id", v.videoId())
        .set("archive", archive)
        .set("path", probe.path())
        .set("camera", v.camera())
        .set("start_time", start(v))
        .set("date", day(v))
        .set("duration_s", info.durationMicros() / 1e6)
        .set("fps", info.fps())
        .set("width", v.width())
        .set("height", v.height())
        .set("frame_count", info.frameCount())
        .set("codec", info.codec())
        .set("size_bytes", probe.sizeBytes())
        .set("segments", v.segments().size());
  }

  /** The {@code segments} row of one segment of a view, all but its run. */
  private static TableRow segment(
      VideoViews.View v, SegmentPlan.Segment seg, Probe probe, String archive) {
    return Tables.SEGMENTS
        .row()
        .set("segment_id", v.videoId() + "#" + seg.index())
        .set("video_id", v.videoId())
        .set("archive", archive)
        .set("path", probe.path())
        .set("camera", v.camera())
        .set("start_time", start(v))
        .set("date", day(v))
        .set("fps", probe.info().fps())
        .set("segment_index", seg.index())
        .set("start_s", seg.startMicros() / 1e6)
        .set("end_s", seg.endMicros() / 1e6)
        .set("to_end", seg.toEnd());
  }

  private static void write(
      Warehouse wh,
      List<Row> videos,
      List<Row> segments,
      List<Row> rejected,
      String where,
      String runId) {
    var spark = wh.spark();
    spark.sparkContext().setJobDescription("ingest: write videos, segments, rejected_inputs");
    wh.replace(Tables.VIDEOS, spark.createDataFrame(videos, Tables.VIDEOS.schema()), where, runId);
    wh.replace(
        Tables.SEGMENTS, spark.createDataFrame(segments, Tables.SEGMENTS.schema()), where, runId);
    wh.replace(
        Tables.REJECTED_INPUTS,
        spark.createDataFrame(rejected, Tables.REJECTED_INPUTS.schema()),
        "stage = 'ingest' AND " + where,
        runId);
    spark.sparkContext().setJobDescription(null);
  }

  /** Video files below the root, by extension (any case), sorted by path. */
  public static List<String> listVideos(Path root, List<String> extensions) throws IOException {
    return listLocal(root.toString(), root.toAbsolutePath().normalize(), extensions).stream()
        .map(ArchiveChanges.Listed::path)
        .toList();
  }

  private static boolean isVideo(String name, List<String> extensions) {
    String lower = name.toLowerCase(Locale.ROOT);
    int dot = lower.lastIndexOf('.');
    return dot >= 0 && extensions.contains(lower.substring(dot + 1));
  }

  /** Local video files below the root with their size and modification time, sorted by path. */
  static List<ArchiveChanges.Listed> listLocal(String given, Path root, List<String> extensions)
      throws IOException {
    if (!Files.isDirectory(root)) {
      throw new IOException("--archive " + given + " is not a folder");
    }
    List<ArchiveChanges.Listed> out = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p :
          walk.filter(Files::isRegularFile)
              .filter(p -> isVideo(p.getFileName().toString(), extensions))
              .toList()) {
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
        out.add(
            new ArchiveChanges.Listed(
                p.toAbsolutePath().normalize().toString(),
                a.size(),
                a.lastModifiedTime().toMillis()));
      }
    }
    out.sort(java.util.Comparator.comparing(ArchiveChanges.Listed::path));
    return out;
  }

  /** Video files below a filesystem URI, listed by its Hadoop filesystem. */
  static List<ArchiveChanges.Listed> listRemote(
      String given, String root, List<String> extensions, Configuration conf) throws IOException {
    FileSystem fs = Storage.fileSystem("--archive", root, conf);
    org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(root);
    List<ArchiveChanges.Listed> out = new ArrayList<>();
    try {
      if (!fs.getFileStatus(p).isDirectory()) {
        throw new IOException("--archive " + given + " is not a folder");
      }
      RemoteIterator<LocatedFileStatus> it = fs.listFiles(p, true);
      while (it.hasNext()) {
        LocatedFileStatus f = it.next();
        if (f.isFile() && isVideo(f.getPath().getName(), extensions)) {
          // the path as the root spells it (a listing may add or drop the authority)
          String below = f.getPath().toUri().getPath().substring(p.toUri().getPath().length());
          out.add(new ArchiveChanges.Listed(root + below, f.getLen(), f.getModificationTime()));
        }
      }
    } catch (IOException e) {
      String why = Storage.explain("--archive", root, e);
      throw why == null ? e : new IOException(why, e);
    }
    out.sort(java.util.Comparator.comparing(ArchiveChanges.Listed::path));
    return out;
  }

  /** Probes each file on an executor; an unreadable file becomes a probe with an error. */
  public static final class ProbeFiles implements FlatMapFunction<Iterator<String>, Probe> {
    private static final long serialVersionUID = 1L;
    private final org.apache.spark.util.LongAccumulator probed;

    public ProbeFiles(org.apache.spark.util.LongAccumulator probed) {
      this.probed = probed;
    }

    @Override
    public Iterator<Probe> call(Iterator<String> paths) {
      List<Probe> out = new ArrayList<>();
      while (paths.hasNext()) {
        out.add(probe(paths.next()));
        probed.add(1);
      }
      return out.iterator();
    }

    static Probe probe(String path) {
      long size;
      try {
        size = LocalCopies.size(path);
      } catch (IOException e) {
        return new Probe(path, null, 0, "cannot read file: " + e.getMessage());
      }
      if (size == 0) {
        return new Probe(path, null, 0, "empty file (0 bytes)");
      }
      try (SegmentDecoder d = SegmentDecoder.open(LocalCopies.of(path))) {
        VideoInfo info = d.info();
        if (info.width() <= 0 || info.height() <= 0) {
          return new Probe(path, null, size, "no video stream");
        }
        if (!(info.fps() > 0) || info.durationMicros() <= 0) {
          return new Probe(
              path,
              null,
              size,
              "no usable frame rate or duration (fps "
                  + info.fps()
                  + ", duration "
                  + info.durationMicros()
                  + " us)");
        }
        return new Probe(path, info, size, null);
      } catch (IOException | RuntimeException e) {
        return new Probe(path, null, size, e.getMessage());
      }
    }
  }
}
