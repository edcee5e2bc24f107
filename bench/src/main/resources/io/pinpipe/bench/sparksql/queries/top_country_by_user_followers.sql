-- q3b: from q3a's rows, the country/countries whose follower_count is the highest; ties all kept
-- (every country with the maximal value: a comparison with the maximum, not a global window).
WITH countries AS (
  SELECT DISTINCT country, follower_count FROM top_user_by_country
)
SELECT country, follower_count
FROM countries
WHERE follower_count = (SELECT max(follower_count) FROM countries)
ORDER BY country, follower_count
