-- Stage 3 for geo (docs/semantics.md#cleaning-per-kind): blank -> null; coordinates = [latitude, longitude];
-- timestamp -> UTC timestamp. Accepted: 'YYYY-MM-DD HH:MM[:SS[.fraction]]' with ' ' or 'T', an
-- optional offset (Z, +02:00, -01:00:30), after Java's trim; the fraction is truncated to
-- milliseconds (the precision of the job's DATETIME); an impossible date (2021-02-30) -> null.
WITH blanks AS (
  SELECT ind,
         CASE WHEN country RLIKE '^\\p{javaWhitespace}*$' THEN NULL ELSE country END AS country,
         latitude, longitude,
         regexp_replace(CASE WHEN `timestamp` RLIKE '^\\p{javaWhitespace}*$' THEN NULL ELSE `timestamp` END,
                        '^[\\x00-\\x20]+|[\\x00-\\x20]+$', '') AS ts
  FROM parsed_geo
), datetime_parts AS (
  -- The pattern fixes where date, hour and minute are; seconds, fraction and offset are optional.
  SELECT *,
         ts RLIKE '^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\\.[0-9]{1,9})?)?([Zz]|[+-][01][0-9]:[0-5][0-9](:[0-5][0-9])?)?$' AS ts_ok,
         regexp_extract(ts, '^.{16}:([0-9]{2})', 1) AS ts_second,
         regexp_extract(ts, '^.{19}\\.([0-9]+)', 1) AS ts_fraction,
         CASE regexp_extract(ts, '([+-])[0-9]{2}:[0-9]{2}(?::[0-9]{2})?$', 1) WHEN '-' THEN -1 ELSE 1 END
           * ( coalesce(int(regexp_extract(ts, '[+-]([0-9]{2}):[0-9]{2}(?::[0-9]{2})?$', 1)), 0) * 3600
             + coalesce(int(regexp_extract(ts, '[+-][0-9]{2}:([0-9]{2})(?::[0-9]{2})?$', 1)), 0) * 60
             + coalesce(int(regexp_extract(ts, '[+-][0-9]{2}:[0-9]{2}:([0-9]{2})$', 1)), 0)) AS ts_offset
  FROM blanks
)
SELECT ind, country,
       CASE WHEN latitude IS NULL AND longitude IS NULL THEN NULL ELSE array(latitude, longitude) END AS coordinates,
       CASE WHEN ts_ok THEN
         -- the local date-time read in the session's zone (UTC; an impossible date gives null),
         -- fraction truncated to milliseconds, then the offset taken off
         timestamp_micros(unix_micros(CAST(concat(substr(ts, 1, 10), ' ', substr(ts, 12, 5), ':',
                                                  CASE ts_second WHEN '' THEN '00' ELSE ts_second END, '.',
                                                  rpad(ts_fraction, 3, '0')) AS TIMESTAMP))
                          - ts_offset * 1000000L)
       END AS `timestamp`
FROM datetime_parts
