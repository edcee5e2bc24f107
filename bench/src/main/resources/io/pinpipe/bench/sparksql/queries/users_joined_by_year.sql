-- q6: user records only, post_year = UTC year of date_joined in 2015..2020 (the defaults):
-- distinct persons (user_name, age, date_joined), nulls equal as in DISTINCT.
WITH users AS (
  SELECT DISTINCT year(date_joined) AS post_year, user_name, age, date_joined
  FROM user_clean
  WHERE date_joined IS NOT NULL AND year(date_joined) BETWEEN 2015 AND 2020
)
SELECT post_year, count(*) AS number_users_joined
FROM users
GROUP BY post_year
ORDER BY post_year, number_users_joined
