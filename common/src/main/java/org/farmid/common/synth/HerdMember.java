package org.farmid.common.synth;

/**
 * One animal of the synthetic world.
 *
 * @param id ground-truth id, as in the MOT files
 * @param camera index of the camera watching its pen
 * @param firstDay first day index it lives in the pen (0 = start date)
 * @param lastDay last day index, inclusive
 * @param visitor true for animals never registered (the open-set case)
 */
public record HerdMember(
    int id, String name, int camera, int firstDay, int lastDay, boolean visitor, AnimalLook look) {

  public boolean presentOn(int day) {
    return day >= firstDay && day <= lastDay;
  }
}
