package org.farmid.models.video;

import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.avcodec.AVCodecContext;
import org.bytedeco.ffmpeg.avformat.AVIndexEntry;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avformat;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.farmid.common.ingest.SegmentPlan;
import org.farmid.common.video.FrameSource;
import org.farmid.common.video.VideoFrame;
import org.farmid.common.video.VideoInfo;

/**
 * Decodes a video file, or the time segment {@code [start, end)} of it, with FFmpeg. Seeking is
 * frame-accurate, so consecutive segments of one file yield every frame exactly once. Frames come
 * as packed BGR bytes.
 *
 * <p>With a {@link SegmentPlan.Sampler} only the frames it keeps are returned, and the decoder does
 * the least work that still yields them: frames it drops are decoded but never converted to BGR,
 * and when a keyframe lies between the last frame and the next instant to keep, it seeks to that
 * instant instead of decoding the frames in between (so footage with short keyframe intervals is
 * read at a fraction of the full decoding cost). The frames returned are exactly those a full
 * decode filtered by the same sampler returns.
 */
public final class SegmentDecoder implements FrameSource {
  /** FFmpeg's own thread count (one per core of the machine). */
  public static final int AUTO_THREADS = 0;

  // JavaCV converts a decoded picture only inside grabFrame; calling its conversion step for the
  // frames the sampler keeps lets the others skip it and keeps the bytes JavaCV's conversion gives.
  private static final Method PROCESS_IMAGE = processImageMethod();
  // The codec context, to let it discard B-frames while the next kept instant is far ahead.
  private static final Field VIDEO_CODEC = videoCodecField();

  private final Path file;
  private final FFmpegFrameGrabber grabber;
  private final VideoInfo info;
  private final long startMicros;
  private final long endMicros;
  private final SegmentPlan.Sampler sampler;
  private long[] keyframes;
  private int reorderFrames;
  private long lastTimestamp = Long.MIN_VALUE;
  private long framesDecoded;
  private long seeks;
  private boolean discarding;
  private boolean finished;

  private SegmentDecoder(
      Path file, long startMicros, long endMicros, int threads, SegmentPlan.Sampler sampler)
      throws VideoDecodeException {
    this.file = file;
    this.startMicros = startMicros;
    this.endMicros = endMicros;
    this.sampler = sampler;
    if (threads < 0) {
      throw new IllegalArgumentException("decoder threads must be >= 0, got " + threads);
    }
    if (!Files.isRegularFile(file)) {
      throw new VideoDecodeException("video " + file + " does not exist or is not a file", null);
    }
    if (!Files.isReadable(file)) {
      throw new VideoDecodeException("video " + file + " is not readable", null);
    }
    Ffmpeg.quietLogs();
    grabber = new FFmpegFrameGrabber(file.toFile());
    grabber.setPixelFormat(avutil.AV_PIX_FMT_BGR24);
    if (threads != AUTO_THREADS) {
      grabber.setVideoOption("threads", Integer.toString(threads));
    }
    try {
      grabber.start();
      if (grabber.getVideoStream() < 0 || grabber.getImageWidth() <= 0) {
        throw new VideoDecodeException("video " + file + " has no video stream", null);
      }
      info =
          new VideoInfo(
              file.toString(),
              grabber.getImageWidth(),
              grabber.getImageHeight(),
              grabber.getFrameRate(),
              grabber.getLengthInFrames(),
              grabber.getLengthInTime(),
              grabber.getVideoCodecName());
      if (startMicros > 0) {
        grabber.setTimestamp(startMicros);
      }
    } catch (FrameGrabber.Exception | RuntimeException e) {
      closeQuietly();
      throw new VideoDecodeException("cannot open video " + file + ": " + e.getMessage(), e);
    } catch (VideoDecodeException e) {
      closeQuietly();
      throw e;
    }
  }

  /** The whole file. */
  public static SegmentDecoder open(Path file) throws VideoDecodeException {
    return new SegmentDecoder(file, 0, Long.MAX_VALUE, AUTO_THREADS, null);
  }

  /** Frames whose timestamps lie in {@code [startMicros, endMicros)}. */
  public static SegmentDecoder open(Path file, long startMicros, long endMicros)
      throws VideoDecodeException {
    return open(file, startMicros, endMicros, AUTO_THREADS, null);
  }

  /**
   * The frames of {@code [startMicros, endMicros)} that {@code sampler} keeps (every frame when it
   * is null), decoded with {@code threads} threads ({@link #AUTO_THREADS} for FFmpeg's choice; a
   * Spark task owns one core, so the pipeline asks for 1).
   */
  public static SegmentDecoder open(
      Path file, long startMicros, long endMicros, int threads, SegmentPlan.Sampler sampler)
      throws VideoDecodeException {
    if (startMicros < 0 || endMicros <= startMicros) {
      throw new IllegalArgumentException(
          "segment [" + startMicros + ", " + endMicros + ") of " + file + " is empty");
    }
    return new SegmentDecoder(file, startMicros, endMicros, threads, sampler);
  }

  /** Frames the codec handed back to this decoder so far (not counting those a seek passed). */
  public long framesDecoded() {
    return framesDecoded;
  }

  /** Seeks made to skip frames the sampler would drop. */
  public long seeks() {
    return seeks;
  }

  @Override
  public VideoInfo info() {
    return info;
  }

  @Override
  public VideoFrame next() throws IOException {
    while (!finished) {
      Frame frame;
      try {
        skipAhead();
        frame = grabber.grabFrame(false, true, false, false, false);
      } catch (FrameGrabber.Exception | RuntimeException e) {
        throw new VideoDecodeException("cannot decode video " + file + ": " + e.getMessage(), e);
      }
      if (frame == null || frame.image == null) {
        finished = true;
        return null;
      }
      framesDecoded++;
      long ts = frame.timestamp;
      lastTimestamp = Math.max(lastTimestamp, ts);
      if (ts < startMicros) {
        continue;
      }
      if (ts >= endMicros) {
        finished = true;
        return null;
      }
      if (sampler != null && !sampler.keep(ts)) {
        continue;
      }
      convert();
      int index = (int) Math.round(ts * info.fps() / 1_000_000.0);
      return new VideoFrame(index, ts, frame.imageWidth, frame.imageHeight, packedBgr(frame));
    }
    return null;
  }

  /**
   * Decodes the next frame of the segment without converting it (what a frame the sampler drops
   * costs); false at the end of the segment.
   */
  public boolean skipFrame() throws IOException {
    while (!finished) {
      Frame frame;
      try {
        frame = grabber.grabFrame(false, true, false, false, false);
      } catch (FrameGrabber.Exception | RuntimeException e) {
        throw new VideoDecodeException("cannot decode video " + file + ": " + e.getMessage(), e);
      }
      if (frame == null || frame.image == null || frame.timestamp >= endMicros) {
        finished = true;
        return false;
      }
      framesDecoded++;
      lastTimestamp = Math.max(lastTimestamp, frame.timestamp);
      if (frame.timestamp >= startMicros) {
        return true;
      }
    }
    return false;
  }

  /**
   * Before each frame, when sampling: seeks to the next instant the sampler keeps if a keyframe
   * shows after the last decoded frame and at or before that instant (decoding from that keyframe
   * costs less than decoding every frame up to it, and yields the same pictures); and while that
   * instant is more than the codec's reordering window ahead, lets the codec discard frames no
   * other frame refers to (B-frames), which cannot be the one kept.
   */
  private void skipAhead() throws FrameGrabber.Exception {
    if (sampler == null || lastTimestamp == Long.MIN_VALUE) {
      return;
    }
    long target = Math.max(sampler.nextInstantMicros(), startMicros);
    if (target >= endMicros || target <= lastTimestamp) {
      discardNonReference(false);
      return;
    }
    long[] keys = keyframes();
    // the instant is a lower bound a microsecond early: a keyframe within half a frame after it
    // is the frame wanted
    int i = java.util.Arrays.binarySearch(keys, target + (long) (frameMicros() / 2));
    int at = i >= 0 ? i : -i - 2; // the last keyframe shown at or just after the instant
    if (at >= 0 && keys[at] > lastTimestamp + frameMicros() / 2) {
      discardNonReference(false);
      grabber.setVideoTimestamp(Math.max(target, keys[at]));
      seeks++;
      lastTimestamp = Long.MIN_VALUE;
      return;
    }
    discardNonReference(target - lastTimestamp > (reorderFrames + 3) * frameMicros());
  }

  private void discardNonReference(boolean discard) {
    if (discard == discarding) {
      return;
    }
    AVCodecContext codec = codecContext();
    if (codec != null) {
      codec.skip_frame(discard ? avcodec.AVDISCARD_NONREF : avcodec.AVDISCARD_DEFAULT);
      discarding = discard;
    }
  }

  private AVCodecContext codecContext() {
    try {
      return (AVCodecContext) VIDEO_CODEC.get(grabber);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Keyframe times of the video stream from the container's index, microseconds, sorted. */
  public long[] keyframeMicros() {
    return keyframes().clone();
  }

  private double frameMicros() {
    return info.fps() > 0 ? 1e6 / info.fps() : 0;
  }

  /** Keyframe times of the video stream from the container's index, in microseconds, sorted. */
  private long[] keyframes() {
    if (keyframes == null) {
      AVStream st = grabber.getFormatContext().streams(grabber.getVideoStream());
      AVRational tb = st.time_base();
      int n = avformat.avformat_index_get_entries_count(st);
      long[] out = new long[n];
      int k = 0;
      for (int i = 0; i < n; i++) {
        AVIndexEntry e = avformat.avformat_index_get_entry(st, i);
        if (e != null && (e.flags() & AVIndexEntry.AVINDEX_KEYFRAME) != 0) {
          out[k++] = 1_000_000L * e.timestamp() * tb.num() / tb.den();
        }
      }
      keyframes = java.util.Arrays.copyOf(out, k);
      java.util.Arrays.sort(keyframes);
      // index times are decoding times; the container shifts them by a constant so the first
      // frame shows at the stream's start time: shift them the same way to get showing times
      if (k > 0 && st.start_time() != avutil.AV_NOPTS_VALUE) {
        long shift = 1_000_000L * st.start_time() * tb.num() / tb.den() - keyframes[0];
        for (int j = 0; j < k; j++) {
          keyframes[j] += shift;
        }
      }
      reorderFrames = st.codecpar().video_delay() + 1;
    }
    return keyframes;
  }

  private void convert() throws VideoDecodeException {
    try {
      PROCESS_IMAGE.invoke(grabber);
    } catch (IllegalAccessException e) {
      throw new IllegalStateException(e);
    } catch (InvocationTargetException e) {
      throw new VideoDecodeException(
          "cannot convert a frame of " + file + ": " + e.getCause().getMessage(), e.getCause());
    }
  }

  private static Field videoCodecField() {
    try {
      Field f = FFmpegFrameGrabber.class.getDeclaredField("video_c");
      f.setAccessible(true);
      return f;
    } catch (NoSuchFieldException e) {
      throw new ExceptionInInitializerError(
          "this JavaCV has no FFmpegFrameGrabber.video_c; the decoder is written for JavaCV 1.5.12");
    }
  }

  private static Method processImageMethod() {
    try {
      Method m = FFmpegFrameGrabber.class.getDeclaredMethod("processImage");
      m.setAccessible(true);
      return m;
    } catch (NoSuchMethodException e) {
      throw new ExceptionInInitializerError(
          "this JavaCV has no FFmpegFrameGrabber.processImage(); the decoder is written for"
              + " JavaCV 1.5.12");
    }
  }

  /** Copies the frame's pixels, dropping any row padding FFmpeg added. */
  static byte[] packedBgr(Frame frame) {
    int w = frame.imageWidth;
    int h = frame.imageHeight;
    int row = w * 3;
    byte[] out = new byte[row * h];
    ByteBuffer buf = ((ByteBuffer) frame.image[0]).duplicate();
    int stride = frame.imageStride;
    if (stride == row) {
      buf.position(0);
      buf.get(out, 0, out.length);
    } else {
      for (int y = 0; y < h; y++) {
        buf.position(y * stride);
        buf.get(out, y * row, row);
      }
    }
    return out;
  }

  private void closeQuietly() {
    try {
      grabber.close();
    } catch (Exception ignored) {
      // already failing; the first error is the one worth reporting
    }
  }

  @Override
  public void close() throws IOException {
    try {
      grabber.close();
    } catch (FrameGrabber.Exception e) {
      throw new IOException("cannot close video " + file + ": " + e.getMessage(), e);
    }
  }
}
