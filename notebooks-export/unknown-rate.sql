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

-- COMMAND ----------

-- MAGIC %md
-- MAGIC By light: crops of infrared (night) frames are named against each animal's infrared mean
-- MAGIC (`crop_identities.infrared`); a night share of `unknown` far above the day's says the
-- MAGIC night cameras' look (`farmid.gallery.infrared-look`, fitted by `farmid night-look`) is off.

-- COMMAND ----------

SELECT i.camera,
       CASE WHEN d.infrared THEN 'infrared' ELSE 'colour' END AS light,
       count(*) AS detections,
       round(avg(CASE WHEN i.animal_id = 'unknown' THEN 1.0 ELSE 0.0 END), 3) AS unknown_share,
       round(avg(CASE WHEN i.crop_animal_id = 'unknown' THEN 1.0 ELSE 0.0 END), 3)
         AS crop_unknown_share,
       round(avg(k.distance), 3) AS mean_distance
FROM identities i
JOIN crop_identities k
  ON k.detection_id = i.detection_id AND k.gallery_version = i.gallery_version AND k.date <=> i.date
JOIN detections d
  ON d.detection_id = i.detection_id AND d.date <=> i.date
WHERE i.gallery_version = (SELECT max(gallery_version) FROM identities)
GROUP BY 1, 2
ORDER BY 1, 2
