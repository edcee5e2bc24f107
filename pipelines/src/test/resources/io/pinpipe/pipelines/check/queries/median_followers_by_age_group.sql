-- q5: pin⋈user, median follower_count per age group, null counts ignored; a group without any
-- count gets no row. median=exact: PERCENTILE_CONT(0.5); median=lower: the value at 1-based rank
-- ceil(n/2) of the sorted values.
CREATE OR REPLACE TEMP VIEW median_followers_by_age_group AS
WITH counts AS (
  SELECT age_group(age) AS age_group, follower_count,
         row_number() OVER (PARTITION BY age_group(age) ORDER BY follower_count) AS k,
         count(*)     OVER (PARTITION BY age_group(age))                         AS n
  FROM pin_user
  WHERE age IS NOT NULL AND follower_count IS NOT NULL
)
SELECT age_group,
       CAST(CASE getvariable('median')
              WHEN 'exact' THEN quantile_cont(follower_count, 0.5)
              WHEN 'lower' THEN max(follower_count) FILTER (WHERE k = (n + 1) // 2)
            END AS DOUBLE) AS median_follower_count
FROM counts
GROUP BY age_group;

SELECT * FROM median_followers_by_age_group ORDER BY age_group_order(age_group), median_follower_count;
