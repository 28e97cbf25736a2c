package org.farmid.common.synth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ArchivePlanTest {

  @Test
  void herdChangesRetireOneAnimalAndEnrolAnotherAtADayBoundary() {
    ArchivePlan plan = ArchivePlan.create(TestWorlds.settings(3, 2, 4, 1, 1, 5, 0, 0, 3));
    List<HerdMember> registered = plan.members().stream().filter(m -> !m.visitor()).toList();
    assertThat(registered).hasSize(2 * 5 + 3);
    List<HerdMember> leavers = registered.stream().filter(m -> m.lastDay() < 3).toList();
    List<HerdMember> joiners = registered.stream().filter(m -> m.firstDay() > 0).toList();
    assertThat(leavers).hasSize(3);
    assertThat(joiners).hasSize(3);
    for (HerdMember joiner : joiners) {
      assertThat(joiner.lastDay()).isEqualTo(3);
      assertThat(leavers)
          .anyMatch(l -> l.camera() == joiner.camera() && l.lastDay() == joiner.firstDay() - 1);
    }
    // Each pen keeps its head count every day.
    for (int cam = 0; cam < 2; cam++) {
      for (int day = 0; day < 4; day++) {
        int c = cam;
        int d = day;
        assertThat(registered.stream().filter(m -> m.camera() == c && m.presentOn(d)).count())
            .isEqualTo(5);
      }
    }
    // Clips show exactly the animals present that day.
    for (ClipPlan clip : plan.clips()) {
      for (HerdMember m : clip.members()) {
        assertThat(m.camera()).isEqualTo(clip.camera());
        assertThat(m.presentOn(clip.day())).isTrue();
      }
    }
  }

  @Test
  void visitorsAreNeverRegisteredAndShowUpEveryDay() {
    ArchivePlan plan = ArchivePlan.create(TestWorlds.settings(4, 2, 2, 3, 1, 4, 2, 0.25, 0));
    Set<Integer> visitors =
        plan.members().stream()
            .filter(HerdMember::visitor)
            .map(HerdMember::id)
            .collect(Collectors.toSet());
    assertThat(visitors).containsExactlyInAnyOrder(901, 902, 903, 904);
    assertThat(plan.members().stream().filter(m -> !m.visitor()).map(HerdMember::id))
        .allMatch(id -> id < ArchivePlan.FIRST_VISITOR_ID);
    for (int v : visitors) {
      for (int day = 0; day < 2; day++) {
        int d = day;
        assertThat(plan.clips())
            .anyMatch(c -> c.day() == d && c.members().stream().anyMatch(m -> m.id() == v));
      }
    }
  }

  @Test
  void nightFractionAndClipLayout() {
    ArchivePlan plan = ArchivePlan.create(TestWorlds.settings(5, 2, 3, 2.5, 1, 4, 0, 0.25, 0));
    // 2 cameras x 3 days x 3 clips (1 + 1 + 0.5 minutes)
    assertThat(plan.clips()).hasSize(18);
    assertThat(plan.clips().stream().filter(c -> c.lighting() == Lighting.NIGHT_IR)).hasSize(5);
    assertThat(plan.clips().stream().mapToInt(ClipPlan::frames).sum())
        .isEqualTo(2 * 3 * (300 + 300 + 150));
    assertThat(plan.clips().stream().map(ClipPlan::relativeStem).distinct()).hasSize(18);
    assertThat(plan.clips().get(0).relativeStem()).matches("cam01/2026-01-05/\\d\\d-\\d\\d-\\d\\d");
    for (ClipPlan c : plan.clips()) {
      assertThat(c.lighting()).isEqualTo(Lighting.atHour(c.start().getHour()));
    }
  }

  @Test
  void everyAnimalOfAnArchiveHasItsOwnMarking() {
    ArchivePlan plan = ArchivePlan.create(TestWorlds.settings(6, 4, 2, 1, 1, 9, 1, 0, 2));
    Set<String> looks = new HashSet<>();
    for (HerdMember m : plan.members()) {
      assertThat(looks.add(m.look().marking() + "/" + m.look().markingColour()))
          .as("marking of animal %d is unique", m.id())
          .isTrue();
    }
  }
}
