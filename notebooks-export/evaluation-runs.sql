-- Databricks notebook source
-- MAGIC %md
-- MAGIC # Evaluation runs compared
-- MAGIC The overall figures of every evaluation, one row per ground truth and gallery version.

-- COMMAND ----------

SELECT ground_truth, gallery_version, detector_id, embedder_id,
       round(max(CASE WHEN metric = 'detection_precision' THEN value END), 3) AS det_precision,
       round(max(CASE WHEN metric = 'detection_recall' THEN value END), 3) AS det_recall,
       round(max(CASE WHEN metric = 'accuracy' THEN value END), 3) AS accuracy,
       round(max(CASE WHEN metric = 'macro_f1' THEN value END), 3) AS macro_f1,
       round(max(CASE WHEN metric = 'unknown_rejection_rate' THEN value END), 3) AS visitors_unknown,
       round(max(CASE WHEN metric = 'false_unknown_rate' THEN value END), 3) AS registered_unknown,
       round(max(CASE WHEN metric = 'track_macro_f1' THEN value END), 3) AS track_macro_f1,
       round(max(CASE WHEN metric = 'idf1' THEN value END), 3) AS idf1
FROM metrics
WHERE animal_id IS NULL AND video IS NULL
GROUP BY ground_truth, gallery_version, detector_id, embedder_id
ORDER BY gallery_version

-- COMMAND ----------

-- The animals each evaluation named worst
SELECT gallery_version, animal_id, round(value, 3) AS f1, support
FROM metrics
WHERE metric = 'f1'
ORDER BY gallery_version, value
LIMIT 20
