package org.farmid.models.video;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.farmid.common.video.FrameSource;
import org.farmid.common.video.VideoFrame;
import org.farmid.common.video.VideoInfo;

/**
 * Decodes a video file, or the time segment {@code [start, end)} of it, with FFmpeg. Seeking is
 * frame-accurate, so consecutive segments of one file yield every frame exactly once. Frames come
 * as packed BGR bytes.
 */
public final class SegmentDecoder implements FrameSource {
  private final Path file;
  private final FFmpegFrameGrabber grabber;
  private final VideoInfo info;
  private final long startMicros;
  private final long endMicros;
  private boolean finished;

  private SegmentDecoder(Path file, long startMicros, long endMicros) throws VideoDecodeException {
    this.file = file;
    this.startMicros = startMicros;
    this.endMicros = endMicros;
    if (!Files.isRegularFile(file)) {
      throw new VideoDecodeException("video " + file + " does not exist or is not a file", null);
    }
    if (!Files.isReadable(file)) {
      throw new VideoDecodeException("video " + file + " is not readable", null);
    }
    Ffmpeg.quietLogs();
    grabber = new FFmpegFrameGrabber(file.toFile());
    grabber.setPixelFormat(avutil.AV_PIX_FMT_BGR24);
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
    return new SegmentDecoder(file, 0, Long.MAX_VALUE);
  }

  /** Frames whose timestamps lie in {@code [startMicros, endMicros)}. */
  public static SegmentDecoder open(Path file, long startMicros, long endMicros)
      throws VideoDecodeException {
    if (startMicros < 0 || endMicros <= startMicros) {
      throw new IllegalArgumentException(
          "segment [" + startMicros + ", " + endMicros + ") of " + file + " is empty");
    }
    return new SegmentDecoder(file, startMicros, endMicros);
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
        frame = grabber.grabImage();
      } catch (FrameGrabber.Exception | RuntimeException e) {
        throw new VideoDecodeException("cannot decode video " + file + ": " + e.getMessage(), e);
      }
      if (frame == null || frame.image == null) {
        finished = true;
        return null;
      }
      long ts = frame.timestamp;
      if (ts < startMicros) {
        continue;
      }
      if (ts >= endMicros) {
        finished = true;
        return null;
      }
      int index = (int) Math.round(ts * info.fps() / 1_000_000.0);
      return new VideoFrame(index, ts, frame.imageWidth, frame.imageHeight, packedBgr(frame));
    }
    return null;
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
