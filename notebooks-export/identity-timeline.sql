-- Databricks notebook source
-- MAGIC %md
-- MAGIC # Identity timeline of one animal
-- MAGIC Where and when the most often seen animal was seen: one row per video, with its first and
-- MAGIC last sighting and how near its crops were to its mean (from `crop_identities`, each
-- MAGIC crop's own nearest mean). Replace the subquery with an animal id.

-- COMMAND ----------

WITH chosen AS (
  SELECT animal_id FROM identities
  WHERE animal_id != 'unknown'
  GROUP BY animal_id ORDER BY count(*) DESC, animal_id LIMIT 1
)
SELECT i.animal_id, i.camera, i.video_id,
       min(i.frame_index) AS first_frame, max(i.frame_index) AS last_frame,
       count(*) AS detections, count(DISTINCT i.track_id) AS tracks,
       round(avg(k.distance), 3) AS mean_distance, round(avg(k.margin), 3) AS mean_margin
FROM identities i JOIN chosen c ON i.animal_id = c.animal_id
JOIN crop_identities k
  ON k.detection_id = i.detection_id AND k.gallery_version = i.gallery_version AND k.date <=> i.date
WHERE i.gallery_version = (SELECT max(gallery_version) FROM identities)
GROUP BY i.animal_id, i.camera, i.video_id
ORDER BY i.video_id
