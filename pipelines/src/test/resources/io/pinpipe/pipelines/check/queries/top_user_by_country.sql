-- q3a: pin⋈geo, distinct (country, poster_name, follower_count) rows whose follower_count is the
-- country's highest. ties=first: the smallest poster_name among them.
CREATE OR REPLACE TEMP VIEW top_user_by_country AS
WITH posters AS (
  SELECT DISTINCT country, poster_name, follower_count
  FROM pin_geo
  WHERE country IS NOT NULL AND poster_name IS NOT NULL AND follower_count IS NOT NULL
), ranked AS (
  SELECT *,
         rank()       OVER (PARTITION BY country ORDER BY follower_count DESC)              AS tie_rank,
         row_number() OVER (PARTITION BY country ORDER BY follower_count DESC, poster_name) AS first_rank
  FROM posters
)
SELECT country, poster_name, follower_count
FROM ranked
WHERE CASE getvariable('ties') WHEN 'all' THEN tie_rank = 1 WHEN 'first' THEN first_rank = 1 END;

SELECT * FROM top_user_by_country ORDER BY country, poster_name, follower_count;
