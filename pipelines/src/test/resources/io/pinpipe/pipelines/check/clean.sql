-- Independent check, stage 1 of 2: from archived raw files to the three cleaned tables and the two
-- joins (docs/semantics.md). Pure DuckDB SQL over the statically linked
-- json extension; shares no code with transforms/.
--
-- Inputs, set as DuckDB variables by DuckDbReference before this script runs:
--   pin_glob, geo_glob, user_glob   '<root>/topics/<prefix>.<kind>/**' (any depth, dt=/partition=)
-- Creates: pin_parsed, geo_parsed, user_parsed (exact duplicates removed), pin_clean, geo_clean,
-- user_clean, and the views pin_geo, pin_user.

------------------------------------------------------------------------------------------------
-- Text helpers
------------------------------------------------------------------------------------------------

-- Java's String.trim(): strips every char <= U+0020 at both ends.
CREATE OR REPLACE MACRO java_trim(s) AS
  regexp_replace(s, '^[\x00-\x20]+|[\x00-\x20]+$', '', 'g');

-- Blank (empty, or only whitespace in Java's Character.isWhitespace sense: no-break spaces are not blank).
CREATE OR REPLACE MACRO is_blank(s) AS
  regexp_matches(s, '^[\t\n\x0B\f\r\x1C-\x1F \x{1680}\x{2000}-\x{2006}\x{2008}-\x{200A}\x{2028}\x{2029}\x{205F}\x{3000}]*$');

-- Any string field: blank -> null.
CREATE OR REPLACE MACRO blank_to_null(s) AS
  CASE WHEN s IS NULL OR is_blank(s) THEN NULL ELSE s END;

------------------------------------------------------------------------------------------------
-- Field coercion from a JSON object (docs/semantics.md#cleaning-per-kind, "Field coercion")
------------------------------------------------------------------------------------------------

-- A string field accepts any JSON scalar (numbers and booleans become their text).
CREATE OR REPLACE MACRO json_string(j, path) AS
  CASE WHEN json_type(j, path) IN ('VARCHAR', 'BIGINT', 'UBIGINT', 'DOUBLE', 'BOOLEAN')
       THEN json_extract_string(j, path) END;

-- A plain decimal number in text (what BigDecimal accepts, after trimming), as DOUBLE; else null.
CREATE OR REPLACE MACRO decimal_text(s) AS
  CASE WHEN regexp_matches(java_trim(s), '^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$')
       THEN TRY_CAST(java_trim(s) AS DOUBLE) END;

-- An integral DOUBLE as BIGINT (12.0 -> 12); non-integral or out of range -> null.
CREATE OR REPLACE MACRO integral_value(d) AS
  CASE WHEN d = trunc(d) THEN TRY_CAST(d AS BIGINT) END;

-- The row number: an integral JSON number (12, 12.0); strings, fractions, null, missing -> null
-- (and such a record is dropped, as the pipeline dead-letters it).
CREATE OR REPLACE MACRO json_row_number(j, path) AS
  CASE json_type(j, path)
    WHEN 'BIGINT'  THEN TRY_CAST(json_extract_string(j, path) AS BIGINT)
    WHEN 'UBIGINT' THEN TRY_CAST(json_extract_string(j, path) AS BIGINT)
    WHEN 'DOUBLE'  THEN integral_value(TRY_CAST(json_extract_string(j, path) AS DOUBLE))
  END;

-- An int field: integral numbers, 12.0, numeric strings ("45", " 45 ", "45.0"); else null.
CREATE OR REPLACE MACRO json_int(j, path) AS
  CASE json_type(j, path)
    WHEN 'VARCHAR' THEN
      CASE WHEN regexp_matches(java_trim(json_extract_string(j, path)), '^[+-]?[0-9]+$')
           THEN TRY_CAST(java_trim(json_extract_string(j, path)) AS BIGINT)
           ELSE integral_value(decimal_text(json_extract_string(j, path))) END
    ELSE json_row_number(j, path)
  END;

-- A double field: numbers and numeric strings; else null.
CREATE OR REPLACE MACRO json_double(j, path) AS
  CASE json_type(j, path)
    WHEN 'VARCHAR' THEN decimal_text(json_extract_string(j, path))
    WHEN 'BIGINT'  THEN TRY_CAST(json_extract_string(j, path) AS DOUBLE)
    WHEN 'UBIGINT' THEN TRY_CAST(json_extract_string(j, path) AS DOUBLE)
    WHEN 'DOUBLE'  THEN TRY_CAST(json_extract_string(j, path) AS DOUBLE)
  END;

------------------------------------------------------------------------------------------------
-- Cleaning rules (docs/semantics.md#cleaning-per-kind)
------------------------------------------------------------------------------------------------

-- follower_count: trimmed, ^\d+(\.\d+)?[kKM]?$, k/K x1,000, M x1,000,000, rounded half up, exactly
-- (decimal digits shifted as text; the first dropped digit decides the rounding); else null.
CREATE OR REPLACE MACRO follower_scale(suffix) AS
  CASE suffix WHEN 'k' THEN 3 WHEN 'K' THEN 3 WHEN 'M' THEN 6 ELSE 0 END;

CREATE OR REPLACE MACRO follower_value(whole, fraction, scale) AS
  TRY_CAST(
      TRY_CAST(whole AS HUGEINT) * CAST(10 ** scale AS HUGEINT)
    + COALESCE(TRY_CAST(NULLIF(rpad(fraction, scale, '0'), '') AS HUGEINT), 0)
    + CASE WHEN substr(rpad(fraction, scale + 1, '0'), scale + 1, 1) >= '5' THEN 1 ELSE 0 END
  AS BIGINT);

CREATE OR REPLACE MACRO follower_count(s) AS
  CASE WHEN regexp_matches(java_trim(s), '^[0-9]{1,30}(\.[0-9]+)?[kKM]?$')
       THEN follower_value(
              regexp_extract(java_trim(s), '^([0-9]+)', 1),
              regexp_extract(java_trim(s), '\.([0-9]+)', 1),
              follower_scale(regexp_extract(java_trim(s), '([kKM]?)$', 1)))
  END;

-- Datetimes: 'YYYY-MM-DD HH:MM:SS' or ISO 'YYYY-MM-DDTHH:MM:SS', optional fraction and offset
-- (Z, +02:00), as a UTC TIMESTAMP truncated to milliseconds (the precision of Beam's DATETIME).
-- Anything else, or an impossible date (2021-02-30), -> null.
CREATE OR REPLACE MACRO datetime_pattern() AS
  -- groups: 1 date, 2 hour, 3 minute, 4 second, 5 fraction, 6 offset sign, 7 hours, 8 minutes, 9 seconds
  '^([0-9]{4}-[0-9]{2}-[0-9]{2})[Tt ]([01][0-9]|2[0-3]):([0-5][0-9])(?::([0-5][0-9])(?:\.([0-9]{1,9}))?)?(?:[Zz]|([+-])([01][0-9]):([0-5][0-9])(?::([0-5][0-9]))?)?$';

CREATE OR REPLACE MACRO offset_seconds(t) AS
  CASE regexp_extract(t, datetime_pattern(), 6)
    WHEN '' THEN 0
    ELSE (CASE regexp_extract(t, datetime_pattern(), 6) WHEN '-' THEN -1 ELSE 1 END)
       * ( CAST(regexp_extract(t, datetime_pattern(), 7) AS INTEGER) * 3600
         + CAST(regexp_extract(t, datetime_pattern(), 8) AS INTEGER) * 60
         + COALESCE(TRY_CAST(regexp_extract(t, datetime_pattern(), 9) AS INTEGER), 0))
  END;

CREATE OR REPLACE MACRO local_datetime(t) AS
  TRY_CAST(
    regexp_extract(t, datetime_pattern(), 1) || ' '
    || regexp_extract(t, datetime_pattern(), 2) || ':' || regexp_extract(t, datetime_pattern(), 3) || ':'
    || COALESCE(NULLIF(regexp_extract(t, datetime_pattern(), 4), ''), '00') || '.'
    || rpad(regexp_extract(t, datetime_pattern(), 5), 3, '0')
  AS TIMESTAMP);

CREATE OR REPLACE MACRO utc_datetime(s) AS
  CASE WHEN regexp_matches(java_trim(s), datetime_pattern())
       THEN local_datetime(java_trim(s)) - to_seconds(offset_seconds(java_trim(s))) END;

-- Age groups, youngest first.
CREATE OR REPLACE MACRO age_group(age) AS
  CASE WHEN age < 18 THEN '<18' WHEN age <= 24 THEN '18-24' WHEN age <= 35 THEN '25-35'
       WHEN age <= 50 THEN '36-50' ELSE '+50' END;

CREATE OR REPLACE MACRO age_group_order(g) AS
  CASE g WHEN '<18' THEN 0 WHEN '18-24' THEN 1 WHEN '25-35' THEN 2 WHEN '36-50' THEN 3 WHEN '+50' THEN 4 END;

------------------------------------------------------------------------------------------------
-- Raw records: one per line, or one per file when the whole file is a single JSON value
-- (a pretty-printed object). Files named .* or _* are markers, not data.
------------------------------------------------------------------------------------------------

CREATE OR REPLACE MACRO raw_records(file_glob) AS TABLE
  WITH files AS (
    SELECT filename, content FROM read_text(file_glob)
    WHERE NOT regexp_matches(filename, '(^|/)[._][^/]*$')
  ), texts AS (
    SELECT content AS text FROM files WHERE json_valid(content)
    UNION ALL
    SELECT unnest(string_split(content, chr(10))) AS text FROM files WHERE NOT json_valid(content)
  )
  SELECT text::JSON AS j FROM texts
  WHERE NOT is_blank(text)
    AND json_valid(text)
    AND json_type(text) = 'OBJECT'
    -- Jackson refuses an object that names a field twice; so does the pipeline.
    AND len(json_keys(text)) = len(list_distinct(json_keys(text)));

------------------------------------------------------------------------------------------------
-- Parsed records (the raw contract's types), exact duplicates removed: DISTINCT over all fields.
------------------------------------------------------------------------------------------------

CREATE OR REPLACE TABLE pin_parsed AS
SELECT DISTINCT * FROM (
  SELECT json_row_number(j, '$.index')        AS "index",
         json_string(j, '$.unique_id')         AS unique_id,
         json_string(j, '$.title')             AS title,
         json_string(j, '$.description')       AS description,
         json_string(j, '$.poster_name')       AS poster_name,
         json_string(j, '$.follower_count')    AS follower_count,
         json_string(j, '$.tag_list')          AS tag_list,
         json_string(j, '$.is_image_or_video') AS is_image_or_video,
         json_string(j, '$.image_src')         AS image_src,
         json_int(j, '$.downloaded')           AS downloaded,
         json_string(j, '$.save_location')     AS save_location,
         json_string(j, '$.category')          AS category
  FROM raw_records(getvariable('pin_glob'))
) WHERE "index" IS NOT NULL;

CREATE OR REPLACE TABLE geo_parsed AS
SELECT DISTINCT * FROM (
  SELECT json_row_number(j, '$.ind')   AS ind,
         json_string(j, '$.timestamp') AS "timestamp",
         json_double(j, '$.latitude')  AS latitude,
         json_double(j, '$.longitude') AS longitude,
         json_string(j, '$.country')   AS country
  FROM raw_records(getvariable('geo_glob'))
) WHERE ind IS NOT NULL;

CREATE OR REPLACE TABLE user_parsed AS
SELECT DISTINCT * FROM (
  SELECT json_row_number(j, '$.ind')     AS ind,
         json_string(j, '$.first_name')  AS first_name,
         json_string(j, '$.last_name')   AS last_name,
         json_int(j, '$.age')            AS age,
         json_string(j, '$.date_joined') AS date_joined
  FROM raw_records(getvariable('user_glob'))
) WHERE ind IS NOT NULL;

------------------------------------------------------------------------------------------------
-- Cleaned tables (columns as docs/semantics.md#clean-schemas orders them)
------------------------------------------------------------------------------------------------

CREATE OR REPLACE TABLE pin_clean AS
SELECT "index" AS ind,
       blank_to_null(unique_id) AS unique_id,
       blank_to_null(CASE WHEN title = 'No Title Data Available' THEN NULL ELSE title END) AS title,
       blank_to_null(CASE WHEN description IN ('No description available Story format',
                                               'No description available', 'Untitled')
                          THEN NULL ELSE description END) AS description,
       follower_count(blank_to_null(CASE WHEN follower_count = 'User Info Error' THEN NULL
                                         ELSE follower_count END)) AS follower_count,
       blank_to_null(CASE WHEN poster_name = 'User Info Error' THEN NULL ELSE poster_name END) AS poster_name,
       blank_to_null(CASE WHEN tag_list = 'N,o, ,T,a,g,s, ,A,v,a,i,l,a,b,l,e' THEN NULL ELSE tag_list END) AS tag_list,
       blank_to_null(is_image_or_video) AS is_image_or_video,
       blank_to_null(CASE WHEN image_src = 'Image src error.' THEN NULL ELSE image_src END) AS image_src,
       blank_to_null(CASE WHEN starts_with(save_location, 'Local save in ')
                          THEN substr(save_location, length('Local save in ') + 1)
                          ELSE save_location END) AS save_location,
       blank_to_null(category) AS category
FROM pin_parsed;

CREATE OR REPLACE TABLE geo_clean AS
SELECT ind,
       blank_to_null(country) AS country,
       CASE WHEN latitude IS NULL AND longitude IS NULL THEN NULL
            ELSE [latitude, longitude] END AS coordinates,
       utc_datetime(blank_to_null("timestamp")) AS "timestamp"
FROM geo_parsed;

CREATE OR REPLACE TABLE user_clean AS
SELECT ind,
       CASE WHEN blank_to_null(first_name) IS NOT NULL AND blank_to_null(last_name) IS NOT NULL
              THEN java_trim(first_name || ' ' || last_name)
            ELSE java_trim(coalesce(blank_to_null(first_name), blank_to_null(last_name)))
       END AS user_name,
       CASE WHEN age BETWEEN -2147483648 AND 2147483647 THEN CAST(age AS INTEGER) END AS age,
       utc_datetime(blank_to_null(date_joined)) AS date_joined
FROM user_parsed;

------------------------------------------------------------------------------------------------
-- Inner joins on ind: one row per matching combination (conflicting records multiply, like SQL).
------------------------------------------------------------------------------------------------

CREATE OR REPLACE VIEW pin_geo AS
SELECT p.*, g.country, g.coordinates, g."timestamp"
FROM pin_clean p JOIN geo_clean g ON p.ind = g.ind;

CREATE OR REPLACE VIEW pin_user AS
SELECT p.*, u.user_name, u.age, u.date_joined
FROM pin_clean p JOIN user_clean u ON p.ind = u.ind;
