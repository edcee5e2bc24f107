-- q7: pin⋈user, post_year = UTC year of date_joined in 2015..2020 (the defaults): exact median
-- follower_count per year (see q5).
SELECT year(date_joined) AS post_year, percentile(follower_count, 0.5) AS median_follower_count
FROM pin_user
WHERE date_joined IS NOT NULL AND follower_count IS NOT NULL
  AND year(date_joined) BETWEEN 2015 AND 2020
GROUP BY year(date_joined)
ORDER BY post_year, median_follower_count
