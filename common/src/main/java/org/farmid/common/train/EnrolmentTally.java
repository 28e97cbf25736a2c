package org.farmid.common.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The rules of enrolling from a folder of crops, one sub-folder per animal: animal ids are unique
 * ignoring case; an animal's folder without images, a single usable crop or none left after the
 * unreadable ones are refused earns a note for the farmer.
 */
public final class EnrolmentTally {
  private final Map<String, Integer> usable = new TreeMap<>();
  private final List<String> notes = new ArrayList<>();

  private EnrolmentTally() {}

  /**
   * Tallies the crops listed under {@code root} and notes the animal folders holding none.
   *
   * @throws IllegalArgumentException when two animal folders differ only in case
   */
  public static EnrolmentTally of(Path root, List<LabelledCrops.Crop> crops) throws IOException {
    EnrolmentTally t = new EnrolmentTally();
    Map<String, String> byLowerCase = new HashMap<>();
    for (LabelledCrops.Crop c : crops) {
      String id = c.identity();
      String seen = byLowerCase.putIfAbsent(id.toLowerCase(Locale.ROOT), id);
      if (seen != null && !seen.equals(id)) {
        throw new IllegalArgumentException(
            "crop folders '"
                + seen
                + "' and '"
                + id
                + "' under "
                + root
                + " differ only in case; animal ids must be unique ignoring case");
      }
      t.usable.merge(id, 1, Integer::sum);
    }
    try (Stream<Path> folders = Files.list(root)) {
      folders
          .filter(Files::isDirectory)
          .map(f -> f.getFileName().toString())
          .filter(name -> !t.usable.containsKey(name))
          .sorted()
          .forEach(
              name ->
                  t.notes.add(
                      "animal " + name + " has no crops in its folder and is not enrolled"));
    }
    return t;
  }

  /** One of the animal's crops could not be used. */
  public void rejected(String animalId) {
    usable.merge(animalId, -1, Integer::sum);
  }

  /** Animals listed, by id. */
  public int listed() {
    return usable.size();
  }

  /** Animals with at least one usable crop. */
  public int enrolled() {
    return (int) usable.values().stream().filter(n -> n > 0).count();
  }

  /** The notes: folders without crops, then animals by id with one or no usable crop. */
  public List<String> notes() {
    List<String> out = new ArrayList<>(notes);
    usable.forEach(
        (id, n) -> {
          if (n == 1) {
            out.add("animal " + id + " has a single usable crop (allowed; its spread is 0)");
          } else if (n == 0) {
            out.add("animal " + id + " has no usable crop and is not enrolled");
          }
        });
    return out;
  }
}
