-- q2: pin⋈geo, post_year = UTC year of the geo timestamp in 2018..2022 (the defaults, inclusive):
-- per year the category with most posts; ties all kept.
WITH counts AS (
  SELECT year(`timestamp`) AS post_year, category, count(*) AS category_count
  FROM pin_geo
  WHERE `timestamp` IS NOT NULL AND category IS NOT NULL
    AND year(`timestamp`) BETWEEN 2018 AND 2022
  GROUP BY year(`timestamp`), category
), ranked AS (
  SELECT *, rank() OVER (PARTITION BY post_year ORDER BY category_count DESC) AS tie_rank
  FROM counts
)
SELECT post_year, category, category_count
FROM ranked
WHERE tie_rank = 1
ORDER BY post_year, category, category_count
