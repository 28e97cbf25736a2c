package org.farmid.models.video;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.ffmpeg.global.avutil;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameRecorder;

/**
 * Writes packed BGR frames to an H.264 MP4 file at a constant frame rate. Uses OpenH264 (the LGPL
 * FFmpeg build has no x264), single-threaded so the same frames always give the same bytes.
 */
public final class VideoEncoder implements AutoCloseable {
  private final Path file;
  private final FFmpegFrameRecorder recorder;
  private final Frame frame;
  private final int width;
  private final int height;
  private long written;

  public VideoEncoder(Path file, int width, int height, int fps, int bitrateKbps)
      throws IOException {
    this.file = file;
    this.width = width;
    this.height = height;
    Ffmpeg.quietLogs();
    recorder = new FFmpegFrameRecorder(file.toFile(), width, height, 0);
    recorder.setFormat("mp4");
    recorder.setVideoCodec(avcodec.AV_CODEC_ID_H264);
    recorder.setVideoCodecName("libopenh264");
    recorder.setPixelFormat(avutil.AV_PIX_FMT_YUV420P);
    recorder.setFrameRate(fps);
    recorder.setGopSize(2 * fps);
    recorder.setVideoBitrate(bitrateKbps * 1000);
    recorder.setVideoOption("threads", "1");
    recorder.setVideoOption("allow_skip_frames", "0");
    try {
      recorder.start();
    } catch (FrameRecorder.Exception e) {
      throw new IOException("cannot start H.264 encoder for " + file + ": " + e.getMessage(), e);
    }
    frame = new Frame(width, height, Frame.DEPTH_UBYTE, 3);
  }

  /** Appends one frame of {@code width * height * 3} BGR bytes. */
  public void write(byte[] bgr) throws IOException {
    if (bgr.length != width * height * 3) {
      throw new IllegalArgumentException(
          "frame for "
              + file
              + " must be "
              + width
              + "x"
              + height
              + " BGR, got "
              + bgr.length
              + " bytes");
    }
    ByteBuffer buf = (ByteBuffer) frame.image[0];
    int row = width * 3;
    if (frame.imageStride == row) {
      buf.position(0);
      buf.put(bgr);
    } else {
      for (int y = 0; y < height; y++) {
        buf.position(y * frame.imageStride);
        buf.put(bgr, y * row, row);
      }
    }
    buf.position(0);
    try {
      recorder.record(frame, avutil.AV_PIX_FMT_BGR24);
    } catch (FrameRecorder.Exception e) {
      throw new IOException(
          "cannot encode frame " + written + " of " + file + ": " + e.getMessage(), e);
    }
    written++;
  }

  @Override
  public void close() throws IOException {
    try {
      recorder.stop();
      recorder.release();
    } catch (FrameRecorder.Exception e) {
      throw new IOException("cannot finish video " + file + ": " + e.getMessage(), e);
    } finally {
      frame.close();
    }
  }
}
