-- q1: pin⋈geo, per country the category with most posts; ties all kept (rank() = 1).
WITH counts AS (
  SELECT country, category, count(*) AS category_count
  FROM pin_geo
  WHERE country IS NOT NULL AND category IS NOT NULL
  GROUP BY country, category
), ranked AS (
  SELECT *, rank() OVER (PARTITION BY country ORDER BY category_count DESC) AS tie_rank
  FROM counts
)
SELECT country, category, category_count
FROM ranked
WHERE tie_rank = 1
ORDER BY country, category, category_count
