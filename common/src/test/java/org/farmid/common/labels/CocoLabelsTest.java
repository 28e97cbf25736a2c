package org.farmid.common.labels;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.farmid.common.geom.Box;
import org.farmid.common.synth.GroundTruthRow;
import org.junit.jupiter.api.Test;

class CocoLabelsTest {
  private static final String GOOD =
      """
      {
        "info": {"description": "x", "nested": [1, 2, {"a": 3}]},
        "images": [
          {"id": 7, "file_name": "a.jpg", "width": 100, "height": 50},
          {"id": 8, "file_name": "b.jpg"}
        ],
        "annotations": [
          {"id": 1, "image_id": 7, "category_id": 1, "bbox": [10, 5, 20, 10]},
          {"id": 2, "image_id": 7, "category_id": 1, "bbox": [0, 0, 100, 50],
           "attributes": {"track_id": 4}}
        ],
        "categories": [{"id": 1, "name": "pig"}]
      }
      """;

  @Test
  void imagesCarryTheirBoxesInPixelsAndTheLineTheyStartOn() {
    CocoLabels.Dataset d = CocoLabels.parse("c.json", GOOD);
    assertThat(d.categories()).containsEntry(1L, "pig").hasSize(1);
    assertThat(d.images()).hasSize(2);
    CocoLabels.Image a = d.images().get(0);
    assertThat(a.fileName()).isEqualTo("a.jpg");
    assertThat(a.line()).isEqualTo(4);
    assertThat(a.boxes())
        .containsExactly(
            new GroundTruthRow(1, GroundTruthRow.NO_IDENTITY, new Box(10, 5, 20, 10), 1.0),
            new GroundTruthRow(1, 4, new Box(0, 0, 100, 50), 1.0));
    assertThat(d.images().get(1).boxes()).isEmpty();
    assertThat(d.images().get(1).width()).isZero();
  }

  @Test
  void whatItWritesItReadsBack() {
    CocoLabels.Image im =
        new CocoLabels.Image(
            1, "f.jpg", 64, 32, 0, List.of(new GroundTruthRow(1, 1, new Box(1, 2, 3, 4), 1.0)));
    CocoLabels.Dataset back =
        CocoLabels.parse("w.json", CocoLabels.write(List.of(im), List.of("animal")));
    assertThat(back.images().get(0).fileName()).isEqualTo("f.jpg");
    assertThat(back.images().get(0).boxes()).containsExactly(im.boxes().get(0));
    // A box without an identity stays without one.
    CocoLabels.Image anonymous =
        new CocoLabels.Image(
            1,
            "f.jpg",
            64,
            32,
            0,
            List.of(new GroundTruthRow(1, GroundTruthRow.NO_IDENTITY, new Box(1, 2, 3, 4), 1.0)));
    assertThat(
            CocoLabels.parse("w.json", CocoLabels.write(List.of(anonymous), List.of("animal")))
                .images()
                .get(0)
                .boxes())
        .containsExactlyElementsOf(anonymous.boxes());
    assertThat(back.categories()).containsEntry(1L, "animal");
    assertThat(CocoLabels.parse("e.json", CocoLabels.write(List.of(), List.of("animal"))).images())
        .isEmpty();
  }

  @Test
  void badEntriesAreRefusedWithTheFileAndTheEntrysLine() {
    assertThatThrownBy(
            () ->
                CocoLabels.parse(
                    "c.json",
                    GOOD.replace(
                        "\"category_id\": 1, \"bbox\": [10", "\"category_id\": 3, \"bbox\": [10")))
        .isInstanceOf(LabelFormatException.class)
        .hasMessage("c.json:8: annotation 1: unknown category_id 3; categories are {1=pig}");
    assertThatThrownBy(
            () ->
                CocoLabels.parse(
                    "c.json",
                    GOOD.replace(
                        "\"image_id\": 7, \"category_id\": 1, \"bbox\": [10",
                        "\"image_id\": 9, \"category_id\": 1, \"bbox\": [10")))
        .hasMessage("c.json:8: annotation 1: image_id 9 is not among the images");
    assertThatThrownBy(
            () -> CocoLabels.parse("c.json", GOOD.replace("[10, 5, 20, 10]", "[90, 5, 20, 10]")))
        .hasMessage(
            "c.json:8: annotation 1: bbox [90, 5, 20, 10] must have a positive size and lie"
                + " inside image 7 (100x50)");
    assertThatThrownBy(
            () -> CocoLabels.parse("c.json", GOOD.replace("[10, 5, 20, 10]", "[10, 5, 20]")))
        .hasMessage("c.json:8: annotation 1: bbox must be [x, y, width, height], got [10,5,20]");
    assertThatThrownBy(
            () ->
                CocoLabels.parse(
                    "c.json", GOOD.replace("\"file_name\": \"b.jpg\"", "\"name\": \"b.jpg\"")))
        .hasMessage("c.json:5: image 8 has no file_name");
    assertThatThrownBy(() -> CocoLabels.parse("c.json", GOOD.replace("\"id\": 8,", "\"id\": 7,")))
        .hasMessage("c.json:5: image id 7 is given twice");
    assertThatThrownBy(
            () ->
                CocoLabels.parse(
                    "c.json",
                    GOOD.replace("], \"attributes\"", "], \"attributes\"")
                        .replace("\"width\": 100,", "\"width\": 100")))
        .hasMessageStartingWith("c.json:4: not JSON:");
    assertThatThrownBy(() -> CocoLabels.parse("c.json", "{\"images\": []}"))
        .hasMessage("c.json: no 'categories' list (a COCO file has one)");
  }
}
