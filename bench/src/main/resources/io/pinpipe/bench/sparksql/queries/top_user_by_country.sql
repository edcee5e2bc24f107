-- q3a: pin⋈geo, distinct (country, poster_name, follower_count) rows whose follower_count is the
-- country's highest; ties all kept.
WITH posters AS (
  SELECT DISTINCT country, poster_name, follower_count
  FROM pin_geo
  WHERE country IS NOT NULL AND poster_name IS NOT NULL AND follower_count IS NOT NULL
), ranked AS (
  SELECT *, rank() OVER (PARTITION BY country ORDER BY follower_count DESC) AS tie_rank
  FROM posters
)
SELECT country, poster_name, follower_count
FROM ranked
WHERE tie_rank = 1
ORDER BY country, poster_name, follower_count
