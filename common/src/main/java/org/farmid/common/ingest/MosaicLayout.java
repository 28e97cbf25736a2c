package org.farmid.common.ingest;

import java.io.Serializable;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.farmid.common.geom.Box;
import org.farmid.common.video.VideoFrame;

/**
 * A recorder's export that tiles several cameras in one picture (a 2x2 mosaic of four ceiling
 * cameras, say). Videos whose path below the archive matches {@code pathRegex} are split at ingest
 * into one view per camera, each its own video ({@code path@camera}) and camera in every table;
 * detection decodes the file once per view and keeps the view's tile.
 *
 * @param cameras the cameras' names, row by row from the top left
 */
public record MosaicLayout(String pathRegex, int columns, int rows, List<String> cameras)
    implements Serializable {

  /** Between a file's video id and the camera of one of its views. */
  public static final String VIEW_SEPARATOR = "@";

  /** One camera's view of a mosaic file. */
  public record View(MosaicLayout layout, int index) {
    public String camera() {
      return layout.cameras().get(index);
    }

    /** The view's tile in a frame of the whole mosaic. */
    public Box tile(int frameWidth, int frameHeight) {
      return layout.tile(index, frameWidth, frameHeight);
    }

    /** The view's own picture: its tile cut out of a frame of the whole mosaic. */
    public VideoFrame crop(VideoFrame whole) {
      Box t = tile(whole.width(), whole.height());
      return whole.crop((int) t.left(), (int) t.top(), (int) t.width(), (int) t.height());
    }
  }

  public MosaicLayout {
    if (columns < 1 || rows < 1) {
      throw new IllegalArgumentException("a mosaic needs at least one column and one row");
    }
    try {
      Pattern.compile(pathRegex);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException("path is not a regular expression: " + e.getDescription());
    }
    if (cameras.size() != columns * rows) {
      throw new IllegalArgumentException(
          "a "
              + columns
              + "x"
              + rows
              + " mosaic needs "
              + columns * rows
              + " camera names, got "
              + cameras.size());
    }
    if (new HashSet<>(cameras).size() != cameras.size()
        || cameras.stream().anyMatch(c -> c.isBlank() || c.contains(VIEW_SEPARATOR))) {
      throw new IllegalArgumentException(
          "camera names must be distinct, not blank and without '" + VIEW_SEPARATOR + "'");
    }
    cameras = List.copyOf(cameras);
  }

  /** Reads a grid written {@code COLUMNSxROWS} ({@code 2x2}); the error says what was expected. */
  public static MosaicLayout of(String pathRegex, String grid, List<String> cameras) {
    String[] cr = grid.trim().toLowerCase(java.util.Locale.ROOT).split("x");
    int columns;
    int rows;
    try {
      columns = Integer.parseInt(cr[0].trim());
      rows = Integer.parseInt(cr[1].trim());
      if (cr.length != 2) {
        throw new NumberFormatException();
      }
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "grid must look like 2x2 (columns x rows), got '" + grid + "'");
    }
    return new MosaicLayout(pathRegex, columns, rows, cameras);
  }

  /** Whether a video (its path below the archive, '/'-separated) is a mosaic of this layout. */
  public boolean matches(String relativePath) {
    return Pattern.compile(pathRegex).matcher(relativePath).matches();
  }

  /**
   * Tile {@code index} (row by row) of a {@code frameWidth x frameHeight} mosaic: equal tiles,
   * whole pixels, any remainder at the right and bottom edges left out.
   */
  public Box tile(int index, int frameWidth, int frameHeight) {
    int w = frameWidth / columns;
    int h = frameHeight / rows;
    return new Box((index % columns) * w, (index / columns) * h, w, h);
  }

  /** The first layout a video's path matches. */
  public static Optional<MosaicLayout> find(String relativePath, List<MosaicLayout> layouts) {
    return layouts.stream().filter(l -> l.matches(relativePath)).findFirst();
  }

  /** The video id of one camera's view of a mosaic file. */
  public static String viewId(String videoId, String camera) {
    return videoId + VIEW_SEPARATOR + camera;
  }

  /** The view a video id names, when it is a view of a mosaic file under one of the layouts. */
  public static Optional<View> viewOf(String videoId, List<MosaicLayout> layouts) {
    int at = videoId.lastIndexOf(VIEW_SEPARATOR);
    if (at < 0 || layouts.isEmpty()) {
      return Optional.empty();
    }
    String file = videoId.substring(0, at);
    String camera = videoId.substring(at + 1);
    return find(file, layouts)
        .filter(l -> l.cameras().contains(camera))
        .map(l -> new View(l, l.cameras().indexOf(camera)));
  }
}
