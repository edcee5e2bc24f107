-- q4: pin⋈user, per age group the category with most posts.
CREATE OR REPLACE TEMP VIEW top_category_by_age_group AS
WITH counts AS (
  SELECT age_group(age) AS age_group, category, count(*) AS category_count
  FROM pin_user
  WHERE age IS NOT NULL AND category IS NOT NULL
  GROUP BY age_group, category
), ranked AS (
  SELECT *,
         rank()       OVER (PARTITION BY age_group ORDER BY category_count DESC)           AS tie_rank,
         row_number() OVER (PARTITION BY age_group ORDER BY category_count DESC, category) AS first_rank
  FROM counts
)
SELECT age_group, category, category_count
FROM ranked
WHERE CASE getvariable('ties') WHEN 'all' THEN tie_rank = 1 WHEN 'first' THEN first_rank = 1 END;

SELECT * FROM top_category_by_age_group
ORDER BY age_group_order(age_group), category, category_count;
