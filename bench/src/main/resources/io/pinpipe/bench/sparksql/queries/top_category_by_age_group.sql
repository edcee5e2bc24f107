-- q4: pin⋈user, per age group the category with most posts; ties all kept. Age groups youngest
-- first; '<18' keeps the rows of anyone younger.
WITH counts AS (
  SELECT CASE WHEN age < 18 THEN '<18' WHEN age <= 24 THEN '18-24' WHEN age <= 35 THEN '25-35'
                  WHEN age <= 50 THEN '36-50' ELSE '+50' END AS age_group,
         category, count(*) AS category_count
  FROM pin_user
  WHERE age IS NOT NULL AND category IS NOT NULL
  GROUP BY 1, category
), ranked AS (
  SELECT *, rank() OVER (PARTITION BY age_group ORDER BY category_count DESC) AS tie_rank
  FROM counts
)
SELECT age_group, category, category_count
FROM ranked
WHERE tie_rank = 1
ORDER BY CASE age_group WHEN '<18' THEN 0 WHEN '18-24' THEN 1 WHEN '25-35' THEN 2 WHEN '36-50' THEN 3 ELSE 4 END, category, category_count
