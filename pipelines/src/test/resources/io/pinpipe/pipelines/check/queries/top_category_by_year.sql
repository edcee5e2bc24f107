-- q2: pin⋈geo, post_year = UTC year of the geo timestamp within [postYearFrom, postYearTo]:
-- per year the category with most posts.
CREATE OR REPLACE TEMP VIEW top_category_by_year AS
WITH counts AS (
  SELECT CAST(year("timestamp") AS INTEGER) AS post_year, category, count(*) AS category_count
  FROM pin_geo
  WHERE "timestamp" IS NOT NULL AND category IS NOT NULL
    AND year("timestamp") BETWEEN getvariable('post_year_from') AND getvariable('post_year_to')
  GROUP BY post_year, category
), ranked AS (
  SELECT *,
         rank()       OVER (PARTITION BY post_year ORDER BY category_count DESC)           AS tie_rank,
         row_number() OVER (PARTITION BY post_year ORDER BY category_count DESC, category) AS first_rank
  FROM counts
)
SELECT post_year, category, category_count
FROM ranked
WHERE CASE getvariable('ties') WHEN 'all' THEN tie_rank = 1 WHEN 'first' THEN first_rank = 1 END;

SELECT * FROM top_category_by_year ORDER BY post_year, category, category_count;
