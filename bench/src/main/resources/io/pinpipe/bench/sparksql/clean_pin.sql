-- Stage 3 for pin (docs/semantics.md#cleaning-per-kind):
-- placeholders -> null, then any blank string -> null ("blank" is
-- Java's Character.isWhitespace, so a no-break space is not blank); follower_count -> int64;
-- save_location without its 'Local save in ' prefix; index -> ind. Columns in the contract's order.
WITH placeholders AS (
  SELECT `index` AS ind, unique_id,
         CASE WHEN title = 'No Title Data Available' THEN NULL ELSE title END AS title,
         CASE WHEN description IN ('No description available Story format',
                                   'No description available', 'Untitled')
              THEN NULL ELSE description END AS description,
         CASE WHEN follower_count = 'User Info Error' THEN NULL ELSE follower_count END AS follower_count,
         CASE WHEN poster_name = 'User Info Error' THEN NULL ELSE poster_name END AS poster_name,
         CASE WHEN tag_list = 'N,o, ,T,a,g,s, ,A,v,a,i,l,a,b,l,e' THEN NULL ELSE tag_list END AS tag_list,
         is_image_or_video,
         CASE WHEN image_src = 'Image src error.' THEN NULL ELSE image_src END AS image_src,
         CASE WHEN save_location LIKE 'Local save in %' THEN substr(save_location, 15)
              ELSE save_location END AS save_location,
         category
  FROM parsed_pin
), blanks AS (
  SELECT ind,
         CASE WHEN unique_id RLIKE '^\\p{javaWhitespace}*$' THEN NULL ELSE unique_id END AS unique_id,
         CASE WHEN title RLIKE '^\\p{javaWhitespace}*$' THEN NULL ELSE title END AS title,
         CASE WHEN description RLIKE '^\\p{javaWhitespace}*$' THEN NULL ELSE description END AS description,
         -- Java's trim(): every char <= U+0020 at both ends
         regexp_replace(CASE WHEN follower_count RLIKE '^\\p{javaWhitespace}*$' THEN NULL ELSE follower_count END,
                        '^[\\x00-\\x20]+|[\\x00-\\x20]+$', '') AS follower_text,
         CASE WHEN poster_name RLIKE '^\\p{javaWhitespace}*$' THEN NULL ELSE poster_name END AS poster_name,
         CASE WHEN tag_list RLIKE '^\\p{javaWhitespace}*$' THEN NULL ELSE tag_list END AS tag_list,
         CASE WHEN is_image_or_video RLIKE '^\\p{javaWhitespace}*$' THEN NULL ELSE is_image_or_video END AS is_image_or_video,
         CASE WHEN image_src RLIKE '^\\p{javaWhitespace}*$' THEN NULL ELSE image_src END AS image_src,
         CASE WHEN save_location RLIKE '^\\p{javaWhitespace}*$' THEN NULL ELSE save_location END AS save_location,
         CASE WHEN category RLIKE '^\\p{javaWhitespace}*$' THEN NULL ELSE category END AS category
  FROM placeholders
), follower_parts AS (
  -- '26k', '1.5k', '6M', '437': digits, optional fraction, optional k/K (x1,000) or M (x1,000,000)
  SELECT *,
         follower_text RLIKE '^[0-9]{1,30}(\\.[0-9]+)?[kKM]?$' AS follower_ok,
         regexp_extract(follower_text, '^([0-9]+)', 1) AS whole,
         regexp_extract(follower_text, '\\.([0-9]+)', 1) AS fraction,
         CASE regexp_extract(follower_text, '([kKM]?)$', 1) WHEN 'M' THEN 6 WHEN '' THEN 0 ELSE 3 END AS scale
  FROM blanks
), follower_values AS (
  -- Exact: the fraction's digits are shifted in as text, the first dropped digit rounds half up.
  SELECT *,
         CASE WHEN follower_ok THEN
           CAST(concat(whole, rpad(fraction, scale, '0')) AS DECIMAL(38, 0))
           + CASE WHEN substr(rpad(fraction, scale + 1, '0'), scale + 1, 1) >= '5' THEN 1 ELSE 0 END
         END AS follower_value
  FROM follower_parts
)
SELECT ind, unique_id, title, description,
       CASE WHEN follower_value <= 9223372036854775807 THEN CAST(follower_value AS BIGINT) END AS follower_count,
       poster_name, tag_list, is_image_or_video, image_src, save_location, category
FROM follower_values
