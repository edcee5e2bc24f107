-- q1: pin⋈geo, per country the category with most posts.
-- ties=all keeps every category with the maximal count (rank() = 1); ties=first keeps the smallest
-- category by code point among them (row_number() = 1).
CREATE OR REPLACE TEMP VIEW top_category_by_country AS
WITH counts AS (
  SELECT country, category, count(*) AS category_count
  FROM pin_geo
  WHERE country IS NOT NULL AND category IS NOT NULL
  GROUP BY country, category
), ranked AS (
  SELECT *,
         rank()       OVER (PARTITION BY country ORDER BY category_count DESC)           AS tie_rank,
         row_number() OVER (PARTITION BY country ORDER BY category_count DESC, category) AS first_rank
  FROM counts
)
SELECT country, category, category_count
FROM ranked
WHERE CASE getvariable('ties') WHEN 'all' THEN tie_rank = 1 WHEN 'first' THEN first_rank = 1 END;

SELECT * FROM top_category_by_country ORDER BY country, category, category_count;
