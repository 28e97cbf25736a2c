package org.farmid.common.video;

import java.io.IOException;

/**
 * Frames of one video, or of one time segment of it, in presentation order.
 *
 * <p>Implementations decode lazily and hold native resources: always close them.
 */
public interface FrameSource extends AutoCloseable {

  /** What the container says about the whole video. */
  VideoInfo info();

  /**
   * The next frame, or {@code null} when the video or segment has no more.
   *
   * @throws IOException when the stream cannot be decoded
   */
  VideoFrame next() throws IOException;

  @Override
  void close() throws IOException;
}
