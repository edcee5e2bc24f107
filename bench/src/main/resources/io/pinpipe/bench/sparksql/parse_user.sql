-- Stage 2 for user: raw records -> the raw contract's types (docs/semantics.md#cleaning-per-kind, "Parse"), exact
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
                   'ARRAY<STRUCT<`ind`: DOUBLE, `first_name`: STRING, `last_name`: STRING, `age`: STRING,
                                 `date_joined`: STRING>>',
                   map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false')) AS arr,
         json_object_keys(line) AS keys
  FROM raw_user
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
       CASE WHEN (r.`first_name` LIKE '{%' OR r.`first_name` LIKE '[%')
              AND (from_json(line, '`first_name` MAP<STRING, STRING>').`first_name` IS NOT NULL
                   OR from_json(line, '`first_name` ARRAY<STRING>').`first_name` IS NOT NULL)
            THEN NULL ELSE r.`first_name` END AS `first_name`,
       CASE WHEN (r.`last_name` LIKE '{%' OR r.`last_name` LIKE '[%')
              AND (from_json(line, '`last_name` MAP<STRING, STRING>').`last_name` IS NOT NULL
                   OR from_json(line, '`last_name` ARRAY<STRING>').`last_name` IS NOT NULL)
            THEN NULL ELSE r.`last_name` END AS `last_name`,
       CASE WHEN (length(r.`age`) <= 64 OR length(regexp_replace(r.`age`, '^[\\x00-\\x20]+|[\\x00-\\x20]+$', '')) <= 64)
              AND CAST(r.`age` AS DECIMAL(38, 18)) = floor(CAST(r.`age` AS DECIMAL(38, 18)))
              AND CAST(r.`age` AS DECIMAL(38, 18)) BETWEEN -9223372036854775808 AND 9223372036854775807
            THEN CAST(CAST(r.`age` AS DECIMAL(38, 18)) AS BIGINT) END AS `age`,
       CASE WHEN (r.`date_joined` LIKE '{%' OR r.`date_joined` LIKE '[%')
              AND (from_json(line, '`date_joined` MAP<STRING, STRING>').`date_joined` IS NOT NULL
                   OR from_json(line, '`date_joined` ARRAY<STRING>').`date_joined` IS NOT NULL)
            THEN NULL ELSE r.`date_joined` END AS `date_joined`
  FROM objects
) WHERE `ind` IS NOT NULL
