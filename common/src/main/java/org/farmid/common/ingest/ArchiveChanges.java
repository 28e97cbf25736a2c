package org.farmid.common.ingest;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What an incremental ingest must do: which listed files to probe (new, changed, planned under
 * other settings, or back after they vanished), which it keeps as they are, and which known files
 * vanished from the archive. A file is unchanged when its size and modification time equal what the
 * last probe stored and its segments were planned with the same settings; a file refused earlier
 * stays refused, unprobed, until it changes after the refusal.
 */
public final class ArchiveChanges {
  /** A file as listed now. */
  public record Listed(String path, long sizeBytes, long modifiedMillis) {}

  /** A file as the last ingest stored it ({@code missingSince} true when it had vanished). */
  public record Known(
      String path, long sizeBytes, long modifiedMillis, String planFingerprint, boolean missing) {}

  /** A file the last ingest refused, and when. */
  public record Refused(String path, long recordedMillis) {}

  private final List<Listed> toProbe;
  private final List<Listed> unchanged;
  private final List<String> vanished;
  private final int stillRefused;
  private final int known;

  private ArchiveChanges(
      List<Listed> toProbe,
      List<Listed> unchanged,
      List<String> vanished,
      int stillRefused,
      int known) {
    this.toProbe = List.copyOf(toProbe);
    this.unchanged = List.copyOf(unchanged);
    this.vanished = List.copyOf(vanished);
    this.stillRefused = stillRefused;
    this.known = known;
  }

  /**
   * @param planFingerprint the fingerprint of the settings that plan segments now
   * @param reprocess probe every listed file again
   */
  public static ArchiveChanges of(
      Collection<Listed> listed,
      Collection<Known> known,
      Collection<Refused> refused,
      String planFingerprint,
      boolean reprocess) {
    Map<String, Known> byPath = new HashMap<>();
    known.forEach(k -> byPath.merge(k.path(), k, (a, b) -> a));
    Map<String, Long> refusedAt = new HashMap<>();
    refused.forEach(r -> refusedAt.merge(r.path(), r.recordedMillis(), Math::max));
    List<Listed> probe = new ArrayList<>();
    List<Listed> keep = new ArrayList<>();
    int stillRefused = 0;
    Set<String> present = new TreeSet<>();
    for (Listed f : listed) {
      present.add(f.path());
      Known k = byPath.get(f.path());
      Long refusedMillis = refusedAt.get(f.path());
      if (reprocess) {
        probe.add(f);
      } else if (k != null
          && !k.missing()
          && k.sizeBytes() == f.sizeBytes()
          && k.modifiedMillis() == f.modifiedMillis()
          && planFingerprint.equals(k.planFingerprint())) {
        keep.add(f);
      } else if (k == null && refusedMillis != null && refusedMillis >= f.modifiedMillis()) {
        stillRefused++;
      } else {
        probe.add(f);
      }
    }
    List<String> gone = new ArrayList<>();
    for (Known k : byPath.values()) {
      if (!k.missing() && !present.contains(k.path())) {
        gone.add(k.path());
      }
    }
    gone.sort(String::compareTo);
    return new ArchiveChanges(probe, keep, gone, stillRefused, byPath.size());
  }

  /** New or changed files, to probe and plan. */
  public List<Listed> toProbe() {
    return toProbe;
  }

  /** Files whose stored rows stay as they are. */
  public List<Listed> unchanged() {
    return unchanged;
  }

  /** Known files no longer in the archive: their rows are kept and marked missing. */
  public List<String> vanished() {
    return vanished;
  }

  /** Files refused before and unchanged since: not probed again. */
  public int stillRefused() {
    return stillRefused;
  }

  /** Files the stored rows describe (present or vanished before). */
  public int known() {
    return known;
  }

  /** Files listed now (probed, kept or still refused). */
  public int listed() {
    return toProbe.size() + unchanged.size() + stillRefused;
  }

  public boolean isEmpty() {
    return toProbe.isEmpty() && vanished.isEmpty();
  }
}
