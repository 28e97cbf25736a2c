-- Databricks notebook source
-- MAGIC %md
-- MAGIC # Gallery drift
-- MAGIC How far each animal's mean embedding moved between consecutive gallery versions (L2
-- MAGIC distance of unit vectors, 0 to 2), with its spread and threshold. The first version of an
-- MAGIC animal has no drift.

-- COMMAND ----------

WITH g AS (
  SELECT animal_id, gallery_version, mean, crops, spread_p95, threshold, status,
         lag(mean) OVER (PARTITION BY animal_id ORDER BY gallery_version) AS previous_mean
  FROM gallery
)
SELECT animal_id, gallery_version, status, crops,
       round(spread_p95, 3) AS spread_p95, round(threshold, 3) AS threshold,
       CASE WHEN previous_mean IS NULL THEN NULL
            ELSE round(sqrt(aggregate(zip_with(mean, previous_mean, (a, b) -> (a - b) * (a - b)),
                                      0D, (acc, x) -> acc + x)), 4) END AS drift
FROM g
ORDER BY animal_id, gallery_version
