package org.farmid.common.video;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;

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

  /** The part of this frame inside the rectangle (whole pixels, inside the frame), same index. */
  public VideoFrame crop(int left, int top, int cropWidth, int cropHeight) {
    if (left < 0
        || top < 0
        || cropWidth < 1
        || cropHeight < 1
        || left + cropWidth > width
        || top + cropHeight > height) {
      throw new IllegalArgumentException(
          "crop "
              + cropWidth
              + "x"
              + cropHeight
              + " at ("
              + left
              + ", "
              + top
              + ") lies outside a "
              + width
              + "x"
              + height
              + " frame");
    }
    byte[] out = new byte[cropWidth * cropHeight * 3];
    for (int y = 0; y < cropHeight; y++) {
      System.arraycopy(bgr, ((top + y) * width + left) * 3, out, y * cropWidth * 3, cropWidth * 3);
    }
    return new VideoFrame(index, timestampMicros, cropWidth, cropHeight, out);
  }

  /**
   * The frame as a {@code TYPE_3BYTE_BGR} picture (its own copy of the pixels), to draw or save.
   */
  public BufferedImage toImage() {
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
    byte[] dst = ((DataBufferByte) img.getRaster().getDataBuffer()).getData();
    System.arraycopy(bgr, 0, dst, 0, dst.length);
    return img;
  }
}
