-- Databricks notebook source
-- MAGIC %md
-- MAGIC # Time travel over re-classified footage
-- MAGIC Every write is a Delta version tagged with its run id; earlier answers stay queryable.

-- COMMAND ----------

-- The writes to identities, newest first; userMetadata holds the run that made each
DESCRIBE HISTORY identities

-- COMMAND ----------

-- Identities per animal as first written against as they are now
SELECT coalesce(now.animal_id, first.animal_id) AS animal_id,
       first.detections AS first_written, now.detections AS now
FROM (SELECT animal_id, count(*) AS detections FROM identities GROUP BY animal_id) now
FULL OUTER JOIN (SELECT animal_id, count(*) AS detections FROM identities VERSION AS OF 1
                 GROUP BY animal_id) first
  ON now.animal_id = first.animal_id
ORDER BY animal_id
