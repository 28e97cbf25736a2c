package org.farmid.jobs.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The arrows of the design: common knows nothing of the others, models knows nothing of Spark. */
class ModuleBoundariesTest {
  private static JavaClasses classes;

  @BeforeAll
  static void importProject() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            // common's test helpers reach these tests as a test-jar once it is packaged
            .withImportOption(location -> !location.contains("-tests.jar"))
            .importPackages("org.farmid");
  }

  @Test
  void allThreeModulesAreImported() {
    org.assertj.core.api.Assertions.assertThat(classes.containPackage("org.farmid.common.synth"))
        .isTrue();
    org.assertj.core.api.Assertions.assertThat(classes.containPackage("org.farmid.models.video"))
        .isTrue();
    org.assertj.core.api.Assertions.assertThat(classes.containPackage("org.farmid.jobs.cli"))
        .isTrue();
  }

  @Test
  void commonUsesTheJdkAndSmallPureLibrariesOnly() {
    classes()
        .that()
        .resideInAPackage("org.farmid.common..")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage(
            "java..",
            "javax..",
            "org.farmid.common..",
            "com.typesafe.config..",
            "org.jgrapht..",
            "org.apache.commons.math3..",
            "com.fasterxml.jackson..",
            "org.yaml.snakeyaml..")
        .check(classes);
  }

  @Test
  void commonKnowsNothingOfModelsOrJobs() {
    noClasses()
        .that()
        .resideInAPackage("org.farmid.common..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.farmid.models..", "org.farmid.jobs..")
        .check(classes);
  }

  @Test
  void modelsKnowsNothingOfSparkDeltaOrJobs() {
    noClasses()
        .that()
        .resideInAPackage("org.farmid.models..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "org.apache.spark..",
            "io.delta..",
            "org.apache.hadoop..",
            "scala..",
            "org.farmid.jobs..")
        .check(classes);
  }
}
