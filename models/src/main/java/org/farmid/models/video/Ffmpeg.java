package org.farmid.models.video;

import org.bytedeco.ffmpeg.global.avutil;

/** One-time FFmpeg set-up shared by the decoder and the encoder. */
final class Ffmpeg {
  private static volatile boolean quiet;

  private Ffmpeg() {}

  /** FFmpeg prints warnings for every odd packet; keep its log to errors. */
  static void quietLogs() {
    if (!quiet) {
      synchronized (Ffmpeg.class) {
        if (!quiet) {
          avutil.av_log_set_level(avutil.AV_LOG_ERROR);
          quiet = true;
        }
      }
    }
  }
}
