package org.farmid.models.video;

import java.io.IOException;

/** A video file that cannot be opened or decoded; the message names the file. */
public final class VideoDecodeException extends IOException {
  private static final long serialVersionUID = 1L;

  public VideoDecodeException(String message, Throwable cause) {
    super(message, cause);
  }
}
