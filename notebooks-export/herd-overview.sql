-- Databricks notebook source
-- MAGIC %md
-- MAGIC # Herd overview
-- MAGIC Animals seen per day and camera, from the final identities (voted along tracks) of the
-- MAGIC latest gallery version.

-- COMMAND ----------

-- Animals named, detections and the share left unknown, per day and camera
SELECT date, camera,
       count(DISTINCT CASE WHEN animal_id != 'unknown' THEN animal_id END) AS animals_seen,
       count(*) AS detections,
       round(avg(CASE WHEN animal_id = 'unknown' THEN 1.0 ELSE 0.0 END), 3) AS unknown_share
FROM identities
WHERE gallery_version = (SELECT max(gallery_version) FROM identities)
GROUP BY date, camera
ORDER BY date, camera

-- COMMAND ----------

-- Detections and tracks per animal and day
SELECT date, animal_id, count(*) AS detections, count(DISTINCT track_id) AS tracks
FROM identities
WHERE gallery_version = (SELECT max(gallery_version) FROM identities)
GROUP BY date, animal_id
ORDER BY date, detections DESC
