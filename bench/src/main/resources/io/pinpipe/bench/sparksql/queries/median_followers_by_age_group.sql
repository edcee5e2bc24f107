-- q5: pin⋈user, exact interpolated median follower_count per age group (percentile() is exact:
-- the mean of the two middle values for an even count), null counts ignored; a group without any
-- count gets no row.
WITH counts AS (
  SELECT CASE WHEN age < 18 THEN '<18' WHEN age <= 24 THEN '18-24' WHEN age <= 35 THEN '25-35'
                  WHEN age <= 50 THEN '36-50' ELSE '+50' END AS age_group,
         follower_count
  FROM pin_user
  WHERE age IS NOT NULL AND follower_count IS NOT NULL
)
SELECT age_group, percentile(follower_count, 0.5) AS median_follower_count
FROM counts
GROUP BY age_group
ORDER BY CASE age_group WHEN '<18' THEN 0 WHEN '18-24' THEN 1 WHEN '25-35' THEN 2 WHEN '36-50' THEN 3 ELSE 4 END, median_follower_count
