-- Stage 2 for pin: raw records -> the raw contract's types (docs/semantics.md#cleaning-per-kind, "Parse"), exact
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
                   'ARRAY<STRUCT<`index`: DOUBLE, `unique_id`: STRING, `title`: STRING, `description`: STRING,
                                 `poster_name`: STRING, `follower_count`: STRING, `tag_list`: STRING,
                                 `is_image_or_video`: STRING, `image_src`: STRING, `downloaded`: STRING,
                                 `save_location`: STRING, `category`: STRING>>',
                   map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false')) AS arr,
         json_object_keys(line) AS keys
  FROM raw_pin
), objects AS (
  SELECT line, arr[0] AS r
  FROM typed
  WHERE size(arr) = 1 AND arr[0] IS NOT NULL
    AND keys IS NOT NULL AND size(keys) = size(array_distinct(keys))
)
SELECT DISTINCT * FROM (
  SELECT CASE WHEN r.`index` IS NULL OR isnan(r.`index`) THEN NULL
            WHEN abs(r.`index`) < 9007199254740992D
              THEN CASE WHEN r.`index` = floor(r.`index`) THEN CAST(r.`index` AS BIGINT) END
            WHEN CAST(get_json_object(line, '$.index') AS DECIMAL(38, 0))
                 BETWEEN -9223372036854775808 AND 9223372036854775807
              THEN CAST(CAST(get_json_object(line, '$.index') AS DECIMAL(38, 0)) AS BIGINT)
          END AS `index`,
       CASE WHEN (r.`unique_id` LIKE '{%' OR r.`unique_id` LIKE '[%')
              AND (from_json(line, '`unique_id` MAP<STRING, STRING>').`unique_id` IS NOT NULL
                   OR from_json(line, '`unique_id` ARRAY<STRING>').`unique_id` IS NOT NULL)
            THEN NULL ELSE r.`unique_id` END AS `unique_id`,
       CASE WHEN (r.`title` LIKE '{%' OR r.`title` LIKE '[%')
              AND (from_json(line, '`title` MAP<STRING, STRING>').`title` IS NOT NULL
                   OR from_json(line, '`title` ARRAY<STRING>').`title` IS NOT NULL)
            THEN NULL ELSE r.`title` END AS `title`,
       CASE WHEN (r.`description` LIKE '{%' OR r.`description` LIKE '[%')
              AND (from_json(line, '`description` MAP<STRING, STRING>').`description` IS NOT NULL
                   OR from_json(line, '`description` ARRAY<STRING>').`description` IS NOT NULL)
            THEN NULL ELSE r.`description` END AS `description`,
       CASE WHEN (r.`poster_name` LIKE '{%' OR r.`poster_name` LIKE '[%')
              AND (from_json(line, '`poster_name` MAP<STRING, STRING>').`poster_name` IS NOT NULL
                   OR from_json(line, '`poster_name` ARRAY<STRING>').`poster_name` IS NOT NULL)
            THEN NULL ELSE r.`poster_name` END AS `poster_name`,
       CASE WHEN (r.`follower_count` LIKE '{%' OR r.`follower_count` LIKE '[%')
              AND (from_json(line, '`follower_count` MAP<STRING, STRING>').`follower_count` IS NOT NULL
                   OR from_json(line, '`follower_count` ARRAY<STRING>').`follower_count` IS NOT NULL)
            THEN NULL ELSE r.`follower_count` END AS `follower_count`,
       CASE WHEN (r.`tag_list` LIKE '{%' OR r.`tag_list` LIKE '[%')
              AND (from_json(line, '`tag_list` MAP<STRING, STRING>').`tag_list` IS NOT NULL
                   OR from_json(line, '`tag_list` ARRAY<STRING>').`tag_list` IS NOT NULL)
            THEN NULL ELSE r.`tag_list` END AS `tag_list`,
       CASE WHEN (r.`is_image_or_video` LIKE '{%' OR r.`is_image_or_video` LIKE '[%')
              AND (from_json(line, '`is_image_or_video` MAP<STRING, STRING>').`is_image_or_video` IS NOT NULL
                   OR from_json(line, '`is_image_or_video` ARRAY<STRING>').`is_image_or_video` IS NOT NULL)
            THEN NULL ELSE r.`is_image_or_video` END AS `is_image_or_video`,
       CASE WHEN (r.`image_src` LIKE '{%' OR r.`image_src` LIKE '[%')
              AND (from_json(line, '`image_src` MAP<STRING, STRING>').`image_src` IS NOT NULL
                   OR from_json(line, '`image_src` ARRAY<STRING>').`image_src` IS NOT NULL)
            THEN NULL ELSE r.`image_src` END AS `image_src`,
       CASE WHEN (length(r.`downloaded`) <= 64 OR length(regexp_replace(r.`downloaded`, '^[\\x00-\\x20]+|[\\x00-\\x20]+$', '')) <= 64)
              AND CAST(r.`downloaded` AS DECIMAL(38, 18)) = floor(CAST(r.`downloaded` AS DECIMAL(38, 18)))
              AND CAST(r.`downloaded` AS DECIMAL(38, 18)) BETWEEN -9223372036854775808 AND 9223372036854775807
            THEN CAST(CAST(r.`downloaded` AS DECIMAL(38, 18)) AS BIGINT) END AS `downloaded`,
       CASE WHEN (r.`save_location` LIKE '{%' OR r.`save_location` LIKE '[%')
              AND (from_json(line, '`save_location` MAP<STRING, STRING>').`save_location` IS NOT NULL
                   OR from_json(line, '`save_location` ARRAY<STRING>').`save_location` IS NOT NULL)
            THEN NULL ELSE r.`save_location` END AS `save_location`,
       CASE WHEN (r.`category` LIKE '{%' OR r.`category` LIKE '[%')
              AND (from_json(line, '`category` MAP<STRING, STRING>').`category` IS NOT NULL
                   OR from_json(line, '`category` ARRAY<STRING>').`category` IS NOT NULL)
            THEN NULL ELSE r.`category` END AS `category`
  FROM objects
) WHERE `index` IS NOT NULL
