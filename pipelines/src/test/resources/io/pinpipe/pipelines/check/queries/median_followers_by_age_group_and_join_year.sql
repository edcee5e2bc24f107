-- q8: pin⋈user, per (age group, year of date_joined within [joinYearFrom, joinYearTo]) the median
-- follower_count (see q5 for the two medians).
CREATE OR REPLACE TEMP VIEW median_followers_by_age_group_and_join_year AS
WITH counts AS (
  SELECT age_group(age) AS age_group, CAST(year(date_joined) AS INTEGER) AS post_year, follower_count,
         row_number() OVER (PARTITION BY age_group(age), year(date_joined) ORDER BY follower_count) AS k,
         count(*)     OVER (PARTITION BY age_group(age), year(date_joined))                         AS n
  FROM pin_user
  WHERE age IS NOT NULL AND date_joined IS NOT NULL AND follower_count IS NOT NULL
    AND year(date_joined) BETWEEN getvariable('join_year_from') AND getvariable('join_year_to')
)
SELECT age_group, post_year,
       CAST(CASE getvariable('median')
              WHEN 'exact' THEN quantile_cont(follower_count, 0.5)
              WHEN 'lower' THEN max(follower_count) FILTER (WHERE k = (n + 1) // 2)
            END AS DOUBLE) AS median_follower_count
FROM counts
GROUP BY age_group, post_year;

SELECT * FROM median_followers_by_age_group_and_join_year
ORDER BY age_group_order(age_group), post_year, median_follower_count;
