-- q7: pin⋈user, post_year = UTC year of date_joined within [joinYearFrom, joinYearTo]: median
-- follower_count per year (see q5 for the two medians).
CREATE OR REPLACE TEMP VIEW median_followers_by_join_year AS
WITH counts AS (
  SELECT CAST(year(date_joined) AS INTEGER) AS post_year, follower_count,
         row_number() OVER (PARTITION BY year(date_joined) ORDER BY follower_count) AS k,
         count(*)     OVER (PARTITION BY year(date_joined))                         AS n
  FROM pin_user
  WHERE date_joined IS NOT NULL AND follower_count IS NOT NULL
    AND year(date_joined) BETWEEN getvariable('join_year_from') AND getvariable('join_year_to')
)
SELECT post_year,
       CAST(CASE getvariable('median')
              WHEN 'exact' THEN quantile_cont(follower_count, 0.5)
              WHEN 'lower' THEN max(follower_count) FILTER (WHERE k = (n + 1) // 2)
            END AS DOUBLE) AS median_follower_count
FROM counts
GROUP BY post_year;

SELECT * FROM median_followers_by_join_year ORDER BY post_year, median_follower_count;
