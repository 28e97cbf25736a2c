package org.farmid.common.labels;

/**
 * A label file that cannot be read as its format says: the message starts with the file and, where
 * there is one, the line ({@code labels/a.txt:3: ...}), then says what was found and what was
 * expected.
 */
public final class LabelFormatException extends IllegalArgumentException {
  private final String file;
  private final int line;

  /**
   * @param file the label file as the user named it
   * @param line 1-based line, or 0 when the problem is the whole file
   */
  public LabelFormatException(String file, int line, String message) {
    super(file + (line > 0 ? ":" + line : "") + ": " + message);
    this.file = file;
    this.line = line;
  }

  public String file() {
    return file;
  }

  /** 1-based line, 0 for the whole file. */
  public int line() {
    return line;
  }
}
