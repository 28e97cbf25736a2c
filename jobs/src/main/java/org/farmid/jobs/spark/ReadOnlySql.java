package org.farmid.jobs.spark;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.parser.ParseException;
import org.apache.spark.sql.catalyst.plans.QueryPlan;
import org.apache.spark.sql.catalyst.plans.logical.Command;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import scala.collection.JavaConverters;

/**
 * Tells a statement that only reads from one that changes data or tables, from the plan Spark's
 * parser (with Delta's extension) makes of it, not from its text: a comment or a CTE in front of a
 * {@code DELETE} changes nothing. A statement is read-only when no node of its plan, CTE
 * definitions included, is a command other than the ones that only show or describe, nor a parsed
 * statement ({@code INSERT}, Delta's {@code RESTORE} and {@code CLONE}).
 */
public final class ReadOnlySql {
  private ReadOnlySql() {}

  /** Commands that read and print only. */
  private static final Set<String> READ_ONLY_COMMANDS =
      Set.of(
          "ShowTables",
          "ShowTablesExtended",
          "ShowViews",
          "ShowColumns",
          "ShowTableProperties",
          "ShowFunctions",
          "ShowNamespaces",
          "ShowPartitions",
          "ShowCreateTable",
          "ShowCurrentNamespace",
          "ShowCatalogs",
          "DescribeRelation",
          "DescribeColumn",
          "DescribeFunction",
          "DescribeNamespace",
          "DescribeDeltaHistory",
          "DescribeDeltaDetailCommand",
          "ExplainCommand",
          "SetCommand",
          "ResetCommand",
          "SetCatalogAndNamespace");

  /** The SQL verb behind each changing plan node, for the message. */
  private static final Map<String, String> VERBS =
      Map.ofEntries(
          Map.entry("DeleteFromTable", "DELETE"),
          Map.entry("UpdateTable", "UPDATE"),
          Map.entry("MergeIntoTable", "MERGE"),
          Map.entry("InsertIntoStatement", "INSERT"),
          Map.entry("OverwriteByExpression", "INSERT OVERWRITE"),
          Map.entry("CreateTable", "CREATE"),
          Map.entry("CreateTableAsSelect", "CREATE"),
          Map.entry("ReplaceTable", "CREATE OR REPLACE"),
          Map.entry("ReplaceTableAsSelect", "CREATE OR REPLACE"),
          Map.entry("CreateView", "CREATE VIEW"),
          Map.entry("CreateViewCommand", "CREATE VIEW"),
          Map.entry("CreateNamespace", "CREATE"),
          Map.entry("CreateFunction", "CREATE FUNCTION"),
          Map.entry("DropTable", "DROP"),
          Map.entry("DropView", "DROP VIEW"),
          Map.entry("DropNamespace", "DROP"),
          Map.entry("TruncateTable", "TRUNCATE"),
          Map.entry("OptimizeTableCommand", "OPTIMIZE"),
          Map.entry("VacuumTableCommand", "VACUUM"),
          Map.entry("RestoreTableStatement", "RESTORE"),
          Map.entry("CloneTableStatement", "CLONE"),
          Map.entry("DeltaReorgTable", "REORG"),
          Map.entry("AddColumns", "ALTER"),
          Map.entry("ReplaceColumns", "ALTER"),
          Map.entry("DropColumns", "ALTER"),
          Map.entry("RenameColumn", "ALTER"),
          Map.entry("AlterColumn", "ALTER"),
          Map.entry("RenameTable", "ALTER"),
          Map.entry("SetTableProperties", "ALTER"),
          Map.entry("UnsetTableProperties", "ALTER"),
          Map.entry("SetTableLocation", "ALTER"),
          Map.entry("AddPartitions", "ALTER"),
          Map.entry("DropPartitions", "ALTER"),
          Map.entry("RenamePartitions", "ALTER"),
          Map.entry("RecoverPartitions", "ALTER"),
          Map.entry("SetNamespaceProperties", "ALTER"),
          Map.entry("SetNamespaceLocation", "ALTER"));

  /**
   * Why {@code sql} may not run read-only; null when it only reads.
   *
   * @throws ParseException when it does not parse
   */
  public static String refusal(SparkSession spark, String sql) throws ParseException {
    return refusal(spark.sessionState().sqlParser().parsePlan(sql));
  }

  /** Why {@code plan} may not run read-only; null when it only reads. */
  public static String refusal(LogicalPlan plan) {
    Deque<QueryPlan<?>> todo = new ArrayDeque<>();
    todo.push(plan);
    while (!todo.isEmpty()) {
      QueryPlan<?> node = todo.pop();
      String name = node.getClass().getSimpleName();
      boolean changing =
          (node instanceof Command && !READ_ONLY_COMMANDS.contains(name))
              || name.endsWith("Statement")
              || name.startsWith("Alter")
              || VERBS.containsKey(name);
      if (changing) {
        String verb = VERBS.getOrDefault(name, name.startsWith("Alter") ? "ALTER" : null);
        return "this statement changes the warehouse ("
            + (verb == null ? name : verb + ", " + name)
            + "); sql only reads unless --write is given";
      }
      for (Object child : JavaConverters.seqAsJavaList(node.children())) {
        todo.push((QueryPlan<?>) child);
      }
      for (Object inner : JavaConverters.seqAsJavaList(node.innerChildren())) {
        todo.push((QueryPlan<?>) inner);
      }
    }
    return null;
  }
}
