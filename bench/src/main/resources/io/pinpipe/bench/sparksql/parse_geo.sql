-- Stage 2 for geo: raw records -> the raw contract's types (docs/semantics.md#cleaning-per-kind, "Parse"), exact
-- duplicates removed. Rows the batch job would dead-letter are dropped here:
--   * not exactly one JSON value on the record (the [ ]-wrapped text must be an array of one
--     element: catches trailing tokens such as '{...} x'), not an object, malformed, NaN, or
--     single-quoted (Jackson's defaults, which the job uses, allow neither);
--   * an object naming a top-level field twice (json_object_keys sees every key);
--   * row number missing, null, not a JSON number, not integral, or beyond int64. It is parsed
--     as DOUBLE: Spark's parser leaves it null for a string ("12"), and a double is exact below
--     2^53; beyond that the number's own text is re-read as a decimal (get_json_object).
-- Other fields are read as STRING, which Spark fills with the text of any scalar (numbers as
-- Jackson writes them, like the job's asText()) and with the JSON of an object or array: those
-- are nulled (the job's wrong_type) by a second, lazy parse only when the text starts with { or [.
-- Numeric fields are coerced from that text as the job's FieldCoercion does: int fields through an
-- exact DECIMAL cast (BigDecimal's grammar after Java's trim, 64 characters at most), double fields
-- through the plain-decimal pattern and a DOUBLE cast.
WITH typed AS (
  SELECT line,
         from_json(concat('[', line, ']'),
                   'ARRAY<STRUCT<`ind`: DOUBLE, `timestamp`: STRING, `latitude`: STRING, `longitude`: STRING,
                                 `country`: STRING>>',
                   map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false')) AS arr,
         json_object_keys(line) AS keys
  FROM raw_geo
), objects AS (
  SELECT line, arr[0] AS r
  FROM typed
  WHERE size(arr) = 1 AND arr[0] IS NOT NULL
    AND keys IS NOT NULL AND size(keys) = size(array_distinct(keys))
)
SELECT DISTINCT * FROM (
  SELECT CASE WHEN r.`ind` IS NULL OR isnan(r.`ind`) THEN NULL
            WHEN abs(r.`ind`) < 9007199254740992D
              THEN CASE WHEN r.`ind` = floor(r.`ind`) THEN CAST(r.`ind` AS BIGINT) END
            WHEN CAST(get_json_object(line, '$.ind') AS DECIMAL(38, 0))
                 BETWEEN -9223372036854775808 AND 9223372036854775807
              THEN CAST(CAST(get_json_object(line, '$.ind') AS DECIMAL(38, 0)) AS BIGINT)
          END AS `ind`,
       CASE WHEN (r.`timestamp` LIKE '{%' OR r.`timestamp` LIKE '[%')
              AND (from_json(line, '`timestamp` MAP<STRING, STRING>').`timestamp` IS NOT NULL
                   OR from_json(line, '`timestamp` ARRAY<STRING>').`timestamp` IS NOT NULL)
            THEN NULL ELSE r.`timestamp` END AS `timestamp`,
       CASE WHEN regexp_replace(r.`latitude`, '^[\\x00-\\x20]+|[\\x00-\\x20]+$', '') RLIKE '^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?$'
              AND length(regexp_replace(r.`latitude`, '^[\\x00-\\x20]+|[\\x00-\\x20]+$', '')) <= 64
              AND NOT isnan(CAST(regexp_replace(r.`latitude`, '^[\\x00-\\x20]+|[\\x00-\\x20]+$', '') AS DOUBLE)) AND abs(CAST(regexp_replace(r.`latitude`, '^[\\x00-\\x20]+|[\\x00-\\x20]+$', '') AS DOUBLE)) < double('Infinity')
            THEN CAST(regexp_replace(r.`latitude`, '^[\\x00-\\x20]+|[\\x00-\\x20]+$', '') AS DOUBLE) END AS `latitude`,
       CASE WHEN regexp_replace(r.`longitude`, '^[\\x00-\\x20]+|[\\x00-\\x20]+$', '') RLIKE '^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?$'
              AND length(regexp_replace(r.`longitude`, '^[\\x00-\\x20]+|[\\x00-\\x20]+$', '')) <= 64
              AND NOT isnan(CAST(regexp_replace(r.`longitude`, '^[\\x00-\\x20]+|[\\x00-\\x20]+$', '') AS DOUBLE)) AND abs(CAST(regexp_replace(r.`longitude`, '^[\\x00-\\x20]+|[\\x00-\\x20]+$', '') AS DOUBLE)) < double('Infinity')
            THEN CAST(regexp_replace(r.`longitude`, '^[\\x00-\\x20]+|[\\x00-\\x20]+$', '') AS DOUBLE) END AS `longitude`,
       CASE WHEN (r.`country` LIKE '{%' OR r.`country` LIKE '[%')
              AND (from_json(line, '`country` MAP<STRING, STRING>').`country` IS NOT NULL
                   OR from_json(line, '`country` ARRAY<STRING>').`country` IS NOT NULL)
            THEN NULL ELSE r.`country` END AS `country`
  FROM objects
) WHERE `ind` IS NOT NULL
