package org.farmid.common.video;

/**
 * One decoded frame.
 *
 * <p>Pixels are packed row by row, three bytes a pixel in <b>BGR</b> order (FFmpeg's and Java2D's
 * {@code TYPE_3BYTE_BGR} order), no row padding: {@code bgr.length == width * height * 3}.
 *
 * @param index frame number in its video, 0-based, derived from the timestamp and the frame rate
 * @param timestampMicros presentation time from the start of the video
 */
public record VideoFrame(int index, long timestampMicros, int width, int height, byte[] bgr) {

  public VideoFrame {
    if (bgr.length != width * height * 3) {
      throw new IllegalArgumentException(
          "frame of "
              + width
              + "x"
              + height
              + " needs "
              + (width * height * 3)
              + " bytes, got "
              + bgr.length);
    }
  }
}
