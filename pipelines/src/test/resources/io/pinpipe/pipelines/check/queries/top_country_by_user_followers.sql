-- q3b: from q3a's output rows (after its tie handling), the country/countries whose follower_count
-- is the highest. ties=first: the smallest country.
CREATE OR REPLACE TEMP VIEW top_country_by_user_followers AS
WITH countries AS (
  SELECT DISTINCT country, follower_count FROM top_user_by_country
), ranked AS (
  SELECT *,
         rank()       OVER (ORDER BY follower_count DESC)          AS tie_rank,
         row_number() OVER (ORDER BY follower_count DESC, country) AS first_rank
  FROM countries
)
SELECT country, follower_count
FROM ranked
WHERE CASE getvariable('ties') WHEN 'all' THEN tie_rank = 1 WHEN 'first' THEN first_rank = 1 END;

SELECT * FROM top_country_by_user_followers ORDER BY country, follower_count;
