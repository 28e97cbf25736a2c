-- Databricks notebook source
-- MAGIC %md
-- MAGIC # Unknown detections per day and camera
-- MAGIC A rising share of `unknown` on a camera says its pen has animals the gallery does not know:
-- MAGIC time to enrol them.

-- COMMAND ----------

SELECT date, camera,
       count(*) AS detections,
       sum(CASE WHEN animal_id = 'unknown' THEN 1 ELSE 0 END) AS unknown,
       round(avg(CASE WHEN animal_id = 'unknown' THEN 1.0 ELSE 0.0 END), 3) AS unknown_share,
       round(avg(distance), 3) AS mean_distance
FROM identities
WHERE gallery_version = (SELECT max(gallery_version) FROM identities)
GROUP BY date, camera
ORDER BY date, camera
