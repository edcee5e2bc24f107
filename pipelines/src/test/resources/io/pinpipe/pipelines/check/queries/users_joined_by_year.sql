-- q6: user records only, post_year = UTC year of date_joined within [joinYearFrom, joinYearTo].
-- userCount=distinct: distinct persons (user_name, age, date_joined), nulls equal as in DISTINCT;
-- userCount=rows: cleaned (exact-deduplicated) user records.
CREATE OR REPLACE TEMP VIEW users_joined_by_year AS
WITH users AS (
  SELECT CAST(year(date_joined) AS INTEGER) AS post_year, user_name, age, date_joined
  FROM user_clean
  WHERE date_joined IS NOT NULL
    AND year(date_joined) BETWEEN getvariable('join_year_from') AND getvariable('join_year_to')
), counted AS (
  SELECT * FROM users WHERE getvariable('user_count') = 'rows'
  UNION ALL
  SELECT DISTINCT * FROM users WHERE getvariable('user_count') = 'distinct'
)
SELECT post_year, count(*) AS number_users_joined
FROM counted
GROUP BY post_year;

SELECT * FROM users_joined_by_year ORDER BY post_year, number_users_joined;
