-- q8: pin⋈user, per (age group, year of date_joined in 2015..2020) the exact median follower_count
-- (see q5).
WITH counts AS (
  SELECT CASE WHEN age < 18 THEN '<18' WHEN age <= 24 THEN '18-24' WHEN age <= 35 THEN '25-35'
                  WHEN age <= 50 THEN '36-50' ELSE '+50' END AS age_group,
         year(date_joined) AS post_year, follower_count
  FROM pin_user
  WHERE age IS NOT NULL AND date_joined IS NOT NULL AND follower_count IS NOT NULL
    AND year(date_joined) BETWEEN 2015 AND 2020
)
SELECT age_group, post_year, percentile(follower_count, 0.5) AS median_follower_count
FROM counts
GROUP BY age_group, post_year
ORDER BY CASE age_group WHEN '<18' THEN 0 WHEN '18-24' THEN 1 WHEN '25-35' THEN 2 WHEN '36-50' THEN 3 ELSE 4 END, post_year, median_follower_count
