package org.farmid.common.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SqlNotebookTest {
  @Test
  void cellsAreSplitAndCommentsAndMarkdownDropped() {
    String text =
        """
        -- Databricks notebook source
        -- MAGIC %md
        -- MAGIC # Title

        -- COMMAND ----------

        -- animals per day
        SELECT date, count(*)
        FROM identities GROUP BY date;

        -- COMMAND ----------
        SELECT 1
        """
            .stripLeading();
    assertThat(SqlNotebook.parse(text))
        .containsExactly(
            new SqlNotebook.Cell(2, "SELECT date, count(*)\nFROM identities GROUP BY date"),
            new SqlNotebook.Cell(3, "SELECT 1"));
    assertThatThrownBy(() -> SqlNotebook.parse("SELECT 1"))
        .hasMessageContaining("-- Databricks notebook source");
  }
}
