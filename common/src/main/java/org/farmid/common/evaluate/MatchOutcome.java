package org.farmid.common.evaluate;

/** What became of one ground-truth box or detection when a frame's boxes were matched. */
public enum MatchOutcome {
  /** A ground-truth box and a detection overlapping enough. */
  MATCHED("matched"),
  /** A ground-truth box without a detection. */
  MISSED("missed"),
  /** A detection without a ground-truth box. */
  SPURIOUS("spurious");

  private final String word;

  MatchOutcome(String word) {
    this.word = word;
  }

  /** The word written in the {@code outcome} column of {@code matches}. */
  public String word() {
    return word;
  }

  /** The outcome a word names; an unknown word is refused naming the words expected. */
  public static MatchOutcome of(String word) {
    for (MatchOutcome o : values()) {
      if (o.word.equals(word)) {
        return o;
      }
    }
    throw new IllegalArgumentException(
        "unknown match outcome '" + word + "' (expected matched, missed or spurious)");
  }
}
