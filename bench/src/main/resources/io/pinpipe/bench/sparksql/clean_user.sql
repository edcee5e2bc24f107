-- Stage 3 for user (docs/semantics.md#cleaning-per-kind):
-- user_name = first_name + ' ' + last_name, Java-trimmed, or
-- the one part present; age as int (null outside the int range); date_joined -> UTC timestamp
-- (same datetime rules as clean_geo.sql).
WITH blanks AS (
  SELECT ind,
         CASE WHEN first_name RLIKE '^\\p{javaWhitespace}*$' THEN NULL ELSE first_name END AS first_name,
         CASE WHEN last_name RLIKE '^\\p{javaWhitespace}*$' THEN NULL ELSE last_name END AS last_name,
         age,
         regexp_replace(CASE WHEN date_joined RLIKE '^\\p{javaWhitespace}*$' THEN NULL ELSE date_joined END,
                        '^[\\x00-\\x20]+|[\\x00-\\x20]+$', '') AS dj
  FROM parsed_user
), datetime_parts AS (
  -- The pattern fixes where date, hour and minute are; seconds, fraction and offset are optional.
  SELECT *,
         dj RLIKE '^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\\.[0-9]{1,9})?)?([Zz]|[+-][01][0-9]:[0-5][0-9](:[0-5][0-9])?)?$' AS dj_ok,
         regexp_extract(dj, '^.{16}:([0-9]{2})', 1) AS dj_second,
         regexp_extract(dj, '^.{19}\\.([0-9]+)', 1) AS dj_fraction,
         CASE regexp_extract(dj, '([+-])[0-9]{2}:[0-9]{2}(?::[0-9]{2})?$', 1) WHEN '-' THEN -1 ELSE 1 END
           * ( coalesce(int(regexp_extract(dj, '[+-]([0-9]{2}):[0-9]{2}(?::[0-9]{2})?$', 1)), 0) * 3600
             + coalesce(int(regexp_extract(dj, '[+-][0-9]{2}:([0-9]{2})(?::[0-9]{2})?$', 1)), 0) * 60
             + coalesce(int(regexp_extract(dj, '[+-][0-9]{2}:[0-9]{2}:([0-9]{2})$', 1)), 0)) AS dj_offset
  FROM blanks
)
SELECT ind,
       regexp_replace(CASE WHEN first_name IS NOT NULL AND last_name IS NOT NULL
                             THEN concat(first_name, ' ', last_name)
                           ELSE coalesce(first_name, last_name) END,
                      '^[\\x00-\\x20]+|[\\x00-\\x20]+$', '') AS user_name,
       CASE WHEN age BETWEEN -2147483648 AND 2147483647 THEN CAST(age AS INT) END AS age,
       CASE WHEN dj_ok THEN
         -- the local date-time read in the session's zone (UTC; an impossible date gives null),
         -- fraction truncated to milliseconds, then the offset taken off
         timestamp_micros(unix_micros(CAST(concat(substr(dj, 1, 10), ' ', substr(dj, 12, 5), ':',
                                                  CASE dj_second WHEN '' THEN '00' ELSE dj_second END, '.',
                                                  rpad(dj_fraction, 3, '0')) AS TIMESTAMP))
                          - dj_offset * 1000000L)
       END AS date_joined
FROM datetime_parts
