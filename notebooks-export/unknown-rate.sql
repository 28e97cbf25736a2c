-- Databricks notebook source
-- MAGIC %md
-- MAGIC # Unknown detections per day and camera
-- MAGIC A rising share of `unknown` on a camera says its pen has animals the gallery does not know:
-- MAGIC time to enrol them. `unknown_share` is of the final identities (voted along tracks),
-- MAGIC `crop_unknown_share` of each crop alone.

-- COMMAND ----------

SELECT i.date, i.camera,
       count(*) AS detections,
       sum(CASE WHEN i.animal_id = 'unknown' THEN 1 ELSE 0 END) AS unknown,
       round(avg(CASE WHEN i.animal_id = 'unknown' THEN 1.0 ELSE 0.0 END), 3) AS unknown_share,
       round(avg(CASE WHEN i.crop_animal_id = 'unknown' THEN 1.0 ELSE 0.0 END), 3)
         AS crop_unknown_share,
       round(avg(k.distance), 3) AS mean_distance
FROM identities i
JOIN crop_identities k
  ON k.detection_id = i.detection_id AND k.gallery_version = i.gallery_version AND k.date <=> i.date
WHERE i.gallery_version = (SELECT max(gallery_version) FROM identities)
GROUP BY i.date, i.camera
ORDER BY i.date, i.camera
