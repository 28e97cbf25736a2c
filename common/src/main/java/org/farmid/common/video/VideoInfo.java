package org.farmid.common.video;

/**
 * What probing a video file tells.
 *
 * @param frameCount frames the container declares (may be an estimate for some files)
 * @param durationMicros duration the container declares
 */
public record VideoInfo(
    String path,
    int width,
    int height,
    double fps,
    long frameCount,
    long durationMicros,
    String codec)
    implements java.io.Serializable {}
