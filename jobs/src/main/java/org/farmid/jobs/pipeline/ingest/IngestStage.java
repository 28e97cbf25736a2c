package org.farmid.jobs.pipeline.ingest;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Date;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.farmid.common.config.PipelineSettings;
import org.farmid.common.ingest.SegmentPlan;
import org.farmid.common.ingest.VideoOrigin;
import org.farmid.common.ingest.VideoViews;
import org.farmid.common.video.VideoInfo;
import org.farmid.jobs.spark.RunContext;
import org.farmid.jobs.spark.Sql;
import org.farmid.jobs.spark.StageProgress;
import org.farmid.jobs.spark.TableRow;
import org.farmid.jobs.spark.Tables;
import org.farmid.jobs.spark.Warehouse;
import org.farmid.models.video.SegmentDecoder;

/**
 * {@code ingest}: lists the archive's video files, probes each on the executors, plans segments,
 * and replaces the archive's rows of {@code videos}, {@code segments} and its ingest rows of {@code
 * rejected_inputs}.
 */
public final class IngestStage {
  private IngestStage() {}

  /** What ingest wrote. */
  public record Outcome(int videos, int segments, int rejected) {}

  /** What probing one file told. */
  public record Probe(String path, VideoInfo info, long sizeBytes, String error)
      implements Serializable {}

  public static Outcome run(Warehouse wh, Path archive, PipelineSettings s, RunContext run)
      throws IOException {
    Path root = archive.toAbsolutePath().normalize();
    if (!Files.isDirectory(root)) {
      throw new IOException("--archive " + archive + " is not a folder");
    }
    List<String> files = listVideos(root, s.videoExtensions());
    run.progress("ingest: " + files.size() + " video files under " + root);
    List<Probe> probes = probe(wh, files, run);
    Pattern pattern = VideoOrigin.compile(s.pathPattern());
    long segmentMicros = Math.round(s.segmentSeconds() * 1e6);
    List<Row> videos = new ArrayList<>();
    List<Row> segments = new ArrayList<>();
    List<Row> rejected = new ArrayList<>();
    Timestamp now = Timestamp.from(Instant.now());
    String archiveText = root.toString();
    for (Probe probe : probes) {
      if (probe.error() != null) {
        rejected.add(
            Tables.rejection(probe.path(), archiveText, "ingest", probe.error(), run.runId(), now));
        continue;
      }
      String fileId = root.relativize(Path.of(probe.path())).toString().replace('\\', '/');
      for (VideoViews.View v :
          VideoViews.of(fileId, probe.info(), pattern, s.mosaics(), segmentMicros)) {
        videos.add(video(v, probe, archiveText).set("run_id", run.runId()).build());
        for (SegmentPlan.Segment seg : v.segments()) {
          segments.add(segment(v, seg, probe, archiveText).set("run_id", run.runId()).build());
        }
      }
    }
    write(wh, videos, segments, rejected, "archive = " + Sql.literal(archiveText), run.runId());
    run.count("videos", videos.size());
    run.count("segments", segments.size());
    run.count("rejected", rejected.size());
    for (Row r : rejected) {
      run.progress("ingest: rejected " + r.getString(0) + ": " + r.getString(3));
    }
    return new Outcome(videos.size(), segments.size(), rejected.size());
  }

  /** Probes the files on the executors. */
  private static List<Probe> probe(Warehouse wh, List<String> files, RunContext run) {
    if (files.isEmpty()) {
      return List.of();
    }
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(wh.spark().sparkContext());
    try (StageProgress p =
        StageProgress.start(
            wh.spark(),
            "ingest",
            "probe " + files.size() + " video files",
            "files",
            files.size(),
            "files",
            run::progress)) {
      var rdd =
          jsc.parallelize(files, Math.min(files.size(), Math.max(1, jsc.defaultParallelism())))
              .setName(p.rddName());
      return rdd.mapPartitions(new ProbeFiles(p.counter())).collect();
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
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile)
          .filter(
              p -> {
                String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
                int dot = name.lastIndexOf('.');
                return dot >= 0 && extensions.contains(name.substring(dot + 1));
              })
          .map(p -> p.toAbsolutePath().normalize().toString())
          .sorted()
          .toList();
    }
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
      Path file = Path.of(path);
      long size;
      try {
        size = Files.size(file);
      } catch (IOException e) {
        return new Probe(path, null, 0, "cannot read file: " + e.getMessage());
      }
      if (size == 0) {
        return new Probe(path, null, 0, "empty file (0 bytes)");
      }
      try (SegmentDecoder d = SegmentDecoder.open(file)) {
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
