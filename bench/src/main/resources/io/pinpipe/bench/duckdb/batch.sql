-- The `batch` job as one DuckDB SQL script: the benchmark harness's duckdb engine (bench/run.sh
-- --engines=...,duckdb), run by io.pinpipe.bench.duckdb.DuckDbBatch in a cold JVM per timed run.
-- It reads the raw archive, cleans the three kinds as docs/semantics.md#cleaning-per-kind
-- says, writes the cleaned
-- tables as Parquet and the nine results as CSV files with the same bytes as the Beam job's
-- (default query options: ties=all, median=exact, userCount=distinct, post years 2018-2022, join
-- years 2015-2020). Written for this harness, from docs/semantics.md; the queries follow the
-- pipelines module's DuckDB check (its test resources check/queries/*.sql), which this does not use.
--
-- Variables, set before the script runs (DuckDbBatch does; in the duckdb shell: SET VARIABLE ...):
--   input         the archive root: <input>/topics/<topic_prefix>.<kind>/[dt=<day>/]partition=<p>/*.json
--   output        an existing, empty folder holding results/, tables/pin/, tables/geo/, tables/user/
--   topic_prefix  'pinterest' unless the archive was written under another prefix
-- Writes: <output>/results/<output name>.csv (nine files), <output>/tables/<kind>/part-00000-of-00001.parquet.
--
-- What it does not do (the job does): it writes no dead letters and no summary.json, and records the
-- job would dead-letter are not recognised as such. The generator (`emulator generate`) writes only
-- well-formed records, one JSON object per line, with the contract's JSON types, so on its archives
-- the results are the same. On other input: a malformed line, or a value DuckDB cannot convert to a
-- column's type (a row number "12" or 1.5), fails the run rather than being dead-lettered; a file
-- holding one pretty-printed object is not read as one record; an object naming a field twice is
-- not refused; int and double fields are read with DuckDB's conversions rather than the job's field
-- coercion (a JSON 45.7 as an age is rounded, where the job nulls it). Records without a row number
-- are dropped, as the job dead-letters them.

-- The contract's datetimes are UTC: year() and the TIMESTAMPTZ columns are read in UTC.
SET TimeZone = 'UTC';
-- The job sorts the (never present) nulls of an output first.
SET default_null_order = 'nulls_first';

------------------------------------------------------------------------------------------------
-- Helpers for the cleaning rules
------------------------------------------------------------------------------------------------

-- Java's String.isBlank(): empty, or only characters Character.isWhitespace accepts (so a no-break
-- space is not blank); the job then sets the field to null. Java's whitespace characters are
-- U+0009-U+000D, U+001C-U+0020 and a few from U+1680 up: a string whose first character lies
-- between them is not blank, and most are settled by that cheap test instead of the regex.
CREATE OR REPLACE TEMP MACRO blank_to_null(s) AS
  CASE WHEN unicode(s) BETWEEN 33 AND 5759 THEN s
       WHEN NOT regexp_matches(s, '^[\t\n\x0B\f\r\x1C-\x1F \x{1680}\x{2000}-\x{2006}\x{2008}-\x{200A}\x{2028}\x{2029}\x{205F}\x{3000}]*$')
         THEN s
  END;

-- Java's String.trim(): strips every char <= U+0020 at both ends (the regex only when an end has one).
CREATE OR REPLACE TEMP MACRO java_trim(s) AS
  CASE WHEN unicode(s) > 32 AND unicode(right(s, 1)) > 32 THEN s
       ELSE regexp_replace(s, '^[\x00-\x20]+|[\x00-\x20]+$', '', 'g') END;

-- follower_count: after trimming, ^\d{1,15}(\.\d{1,6})?[kKM]?$ ; k and K x1,000, M x1,000,000;
-- rounded half up to an integer; beyond int64, or any other text, null. Exact, in integers: the
-- fraction's first `scale` digits are shifted into the number, the next one rounds (half up: these
-- values are not negative). (A DECIMAL(21, 6) product rounded was 3-5x slower here.)
CREATE OR REPLACE TEMP MACRO follower_scale(suffix) AS
  CASE suffix WHEN 'M' THEN 6 WHEN '' THEN 0 ELSE 3 END;

-- p: the regex's groups, as one struct {whole, fraction, suffix}.
CREATE OR REPLACE TEMP MACRO follower_from_parts(p) AS
  CASE WHEN p.whole <> '' THEN
    TRY_CAST(CAST(p.whole AS HUGEINT) * CASE p.suffix WHEN 'M' THEN 1000000 WHEN '' THEN 1 ELSE 1000 END
             + coalesce(TRY_CAST(left(rpad(p.fraction, follower_scale(p.suffix), '0'), follower_scale(p.suffix)) AS BIGINT), 0)
             + CASE WHEN substr(rpad(p.fraction, 7, '0'), follower_scale(p.suffix) + 1, 1) >= '5' THEN 1 ELSE 0 END
             AS BIGINT)
  END;

CREATE OR REPLACE TEMP MACRO follower_count(s) AS
  follower_from_parts(regexp_extract(java_trim(s), '^([0-9]{1,15})(?:\.([0-9]{1,6}))?([kKM]?)$', ['whole', 'fraction', 'suffix']));

-- Datetimes: 'YYYY-MM-DD HH:MM[:SS[.fraction]]' or with 'T', after trimming, optionally with an
-- offset (Z, +02:00, -01:00:30); a value without an offset is UTC. The result is the UTC instant,
-- truncated to milliseconds (the precision of the job's DATETIME); an impossible date
-- (2021-02-30) or any other text gives null.
CREATE OR REPLACE TEMP MACRO datetime_from_parts(p) AS
  CASE WHEN p.day <> '' THEN
    CAST(TRY_CAST(p.day || ' ' || p.hour || ':' || p.minute || ':' || coalesce(nullif(p.second, ''), '00')
                  || '.' || left(rpad(p.fraction, 3, '0'), 3) AS TIMESTAMP)
         - to_seconds(CASE p.sign WHEN '' THEN 0
                        ELSE (CASE p.sign WHEN '-' THEN -1 ELSE 1 END)
                             * (CAST(p.offset_hours AS INTEGER) * 3600 + CAST(p.offset_minutes AS INTEGER) * 60
                                + coalesce(TRY_CAST(p.offset_seconds AS INTEGER), 0))
                      END)
         AS TIMESTAMPTZ)
  END;

CREATE OR REPLACE TEMP MACRO utc_datetime_any(s) AS
  datetime_from_parts(regexp_extract(
    java_trim(s),
    '^([0-9]{4}-[0-9]{2}-[0-9]{2})[Tt ]([01][0-9]|2[0-3]):([0-5][0-9])(?::([0-5][0-9])(?:\.([0-9]{1,9}))?)?(?:[Zz]|([+-])([01][0-9]):([0-5][0-9])(?::([0-5][0-9]))?)?$',
    ['day', 'hour', 'minute', 'second', 'fraction', 'sign', 'offset_hours', 'offset_minutes', 'offset_seconds']));

-- The original database's form, 'YYYY-MM-DD HH:MM:SS' (all the generator writes), is read by a plain
-- cast once a regex without groups has checked its shape: the same result, at a fraction of the cost.
CREATE OR REPLACE TEMP MACRO utc_datetime(s) AS
  CASE WHEN regexp_full_match(s, '[0-9]{4}-[0-9]{2}-[0-9]{2} ([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]')
         THEN CAST(TRY_CAST(s AS TIMESTAMP) AS TIMESTAMPTZ)
       ELSE utc_datetime_any(s)
  END;

-- Age groups, and their order in the outputs (youngest first).
CREATE OR REPLACE TEMP MACRO age_group(age) AS
  CASE WHEN age < 18 THEN '<18' WHEN age <= 24 THEN '18-24' WHEN age <= 35 THEN '25-35'
       WHEN age <= 50 THEN '36-50' ELSE '+50' END;

CREATE OR REPLACE TEMP MACRO age_group_order(g) AS
  CASE g WHEN '<18' THEN 0 WHEN '18-24' THEN 1 WHEN '25-35' THEN 2 WHEN '36-50' THEN 3 WHEN '+50' THEN 4 END;

-- The job sorts strings with Java's String.compareTo, which compares UTF-16 code units; DuckDB
-- compares UTF-8 bytes, the code point order. The two differ only between a supplementary character
-- (a surrogate pair in UTF-16) and one of U+E000-U+FFFF, but the outputs' bytes must be the job's:
-- the string columns are sorted by their UTF-16 code units (lists compare element by element, and a
-- prefix comes first, as in compareTo). Only the few result rows are sorted by it.
CREATE OR REPLACE TEMP MACRO utf16_units(s) AS
  flatten(list_transform(string_split(s, ''), lambda c:
    CASE WHEN unicode(c) < 65536 THEN [unicode(c)]
         ELSE [55296 + (unicode(c) - 65536) // 1024, 56320 + (unicode(c) - 65536) % 1024] END));

-- A double as the job's CSV writes it: plain decimal notation, never an exponent, an integral value
-- without a fraction (59500, 1.0E7 as 10000000), others with the shortest digits that read back as
-- the same double (59500.5). DuckDB's text of a double has those shortest digits, sometimes with an
-- exponent (1e+16, 1.5e-05): the digits are shifted here as text. (Java 17's Double.toString, which
-- the job starts from, gives more than the shortest digits for a few doubles; the medians of
-- integer counts, integers and halves, are not among them.)
CREATE OR REPLACE TEMP MACRO plain_from_digits(sign, digits, point) AS
  -- digits with the decimal point after the first `point` of them (before them if <= 0); then no
  -- leading zeros but one before the point, no trailing zeros after it, no bare point
  sign || regexp_replace(regexp_replace(regexp_replace(
    CASE WHEN point <= 0 THEN '0.' || repeat('0', -point) || digits
         WHEN point >= length(digits) THEN digits || repeat('0', point - length(digits))
         ELSE left(digits, point) || '.' || substr(digits, point + 1)
    END, '^0+([0-9])', '\1'), '(\.[0-9]*?)0+$', '\1'), '\.$', '');

CREATE OR REPLACE TEMP MACRO plain_from_parts(t) AS
  plain_from_digits(t.sign, t.whole || t.fraction, length(t.whole) + coalesce(TRY_CAST(t.exponent AS INTEGER), 0));

CREATE OR REPLACE TEMP MACRO plain_number(d) AS
  CASE WHEN isnan(d) OR isinf(d) THEN error('not a finite number: ' || d)
       WHEN d = 0 THEN '0'
       ELSE plain_from_parts(regexp_extract(CAST(d AS VARCHAR), '^(-?)([0-9]+)(?:\.([0-9]+))?(?:e([+-]?[0-9]+))?$',
                                            ['sign', 'whole', 'fraction', 'exponent']))
  END;

------------------------------------------------------------------------------------------------
-- Read and parse: one row per record, the raw contract's types, exact duplicates removed
------------------------------------------------------------------------------------------------

-- Every .json file under the topic's folder, at any depth (dt=<day>/ and partition=<p>/ folders are
-- not columns: hive_partitioning off). Files named .* or _* are markers, which the job skips too.
-- String fields are read as VARCHAR, which holds the text of a JSON number or boolean as well, as
-- the job's field coercion does. DISTINCT over every parsed field: exact duplicates count once.
CREATE OR REPLACE TEMP MACRO topic_files(kind) AS
  getvariable('input') || '/topics/' || coalesce(getvariable('topic_prefix'), 'pinterest') || '.' || kind || '/**/*.json';

CREATE OR REPLACE TEMP TABLE pin_parsed AS
SELECT DISTINCT * EXCLUDE (filename)
FROM read_json(topic_files('pin'), format = 'newline_delimited', hive_partitioning = false, filename = true,
               columns = {'index': 'BIGINT', 'unique_id': 'VARCHAR', 'title': 'VARCHAR', 'description': 'VARCHAR',
                          'poster_name': 'VARCHAR', 'follower_count': 'VARCHAR', 'tag_list': 'VARCHAR',
                          'is_image_or_video': 'VARCHAR', 'image_src': 'VARCHAR', 'downloaded': 'BIGINT',
                          'save_location': 'VARCHAR', 'category': 'VARCHAR'})
WHERE "index" IS NOT NULL AND NOT regexp_matches(filename, '/[._][^/]*$');

CREATE OR REPLACE TEMP TABLE geo_parsed AS
SELECT DISTINCT * EXCLUDE (filename)
FROM read_json(topic_files('geo'), format = 'newline_delimited', hive_partitioning = false, filename = true,
               columns = {'ind': 'BIGINT', 'timestamp': 'VARCHAR', 'latitude': 'DOUBLE', 'longitude': 'DOUBLE',
                          'country': 'VARCHAR'})
WHERE ind IS NOT NULL AND NOT regexp_matches(filename, '/[._][^/]*$');

CREATE OR REPLACE TEMP TABLE user_parsed AS
SELECT DISTINCT * EXCLUDE (filename)
FROM read_json(topic_files('user'), format = 'newline_delimited', hive_partitioning = false, filename = true,
               columns = {'ind': 'BIGINT', 'first_name': 'VARCHAR', 'last_name': 'VARCHAR', 'age': 'BIGINT',
                          'date_joined': 'VARCHAR'})
WHERE ind IS NOT NULL AND NOT regexp_matches(filename, '/[._][^/]*$');

------------------------------------------------------------------------------------------------
-- Clean (docs/semantics.md#cleaning-per-kind): the three tables, columns in the clean schemas' order
------------------------------------------------------------------------------------------------

-- pin: placeholders -> null, then blank strings -> null; follower_count -> int64 ("26k" 26000,
-- "6M" 6000000); save_location without its 'Local save in ' prefix; index -> ind.
CREATE OR REPLACE TEMP TABLE pin_clean AS
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

-- geo: coordinates = [latitude, longitude] (null when both are); timestamp -> UTC.
CREATE OR REPLACE TEMP TABLE geo_clean AS
SELECT ind,
       blank_to_null(country) AS country,
       CASE WHEN latitude IS NULL AND longitude IS NULL THEN NULL ELSE [latitude, longitude] END AS coordinates,
       utc_datetime(blank_to_null("timestamp")) AS "timestamp"
FROM geo_parsed;

-- user: user_name = trim(first_name + ' ' + last_name), or the one part that is not blank;
-- age as int32 (null outside its range); date_joined -> UTC.
CREATE OR REPLACE TEMP TABLE user_clean AS
SELECT ind,
       CASE WHEN blank_to_null(first_name) IS NOT NULL AND blank_to_null(last_name) IS NOT NULL
              THEN java_trim(first_name || ' ' || last_name)
            ELSE java_trim(coalesce(blank_to_null(first_name), blank_to_null(last_name)))
       END AS user_name,
       TRY_CAST(age AS INTEGER) AS age,
       utc_datetime(blank_to_null(date_joined)) AS date_joined
FROM user_parsed;

-- The cleaned tables, as the job writes them: int64 row numbers, timestamps as int64 microseconds
-- adjusted to UTC (TIMESTAMPTZ), Snappy. One file per table. A table's rows have no order (the
-- job's are spread over shards as they come), and leaving DuckDB free to reorder them lets its two
-- threads share the writing.
SET preserve_insertion_order = false;
COPY pin_clean TO (getvariable('output') || '/tables/pin/part-00000-of-00001.parquet') (FORMAT parquet, COMPRESSION snappy);
COPY geo_clean TO (getvariable('output') || '/tables/geo/part-00000-of-00001.parquet') (FORMAT parquet, COMPRESSION snappy);
COPY user_clean TO (getvariable('output') || '/tables/user/part-00000-of-00001.parquet') (FORMAT parquet, COMPRESSION snappy);
SET preserve_insertion_order = true;

------------------------------------------------------------------------------------------------
-- The two inner joins on ind, one row per matching pair (conflicting records multiply, as in the
-- job's join), narrowed to the columns the queries read: each feeds three or four of them.
------------------------------------------------------------------------------------------------

CREATE OR REPLACE TEMP TABLE pin_geo AS
SELECT p.category, p.poster_name, p.follower_count, g.country, g."timestamp"
FROM pin_clean p JOIN geo_clean g ON p.ind = g.ind;

CREATE OR REPLACE TEMP TABLE pin_user AS
SELECT p.category, p.follower_count, u.age, u.date_joined
FROM pin_clean p JOIN user_clean u ON p.ind = u.ind;

------------------------------------------------------------------------------------------------
-- The nine results (docs/semantics.md#queries), default options. A row whose grouping key is
-- null is left out. ties=all: every row with the group's maximal value (rank() = 1).
-- median=exact: quantile_cont(0.5), the mean of the two middle values for an even count; the job
-- computes lower / 2.0 + upper / 2.0, the same double for counts below 2^52.
-- CSV as the job writes it: header, rows sorted by every column (age_group youngest first,
-- numbers numerically, strings as String.compareTo: utf16_units), '\n' line ends, RFC 4180 quoting (DuckDB's CSV writer quotes a field holding a
-- comma, quote, CR or LF and doubles the quotes), null as an empty field, doubles by plain_number.
------------------------------------------------------------------------------------------------

-- q1: pin⋈geo, per country the category with most posts.
COPY (
  WITH counts AS (
    SELECT country, category, count(*) AS category_count
    FROM pin_geo
    WHERE country IS NOT NULL AND category IS NOT NULL
    GROUP BY country, category
  )
  SELECT country, category, category_count
  FROM counts
  QUALIFY rank() OVER (PARTITION BY country ORDER BY category_count DESC) = 1
  ORDER BY utf16_units(country), utf16_units(category), category_count
) TO (getvariable('output') || '/results/top_category_by_country.csv') (FORMAT csv, HEADER true);

-- q2: pin⋈geo, post_year = UTC year of the geo timestamp in [2018, 2022]: per year the category
-- with most posts.
COPY (
  WITH counts AS (
    SELECT CAST(year("timestamp") AS INTEGER) AS post_year, category, count(*) AS category_count
    FROM pin_geo
    WHERE "timestamp" IS NOT NULL AND category IS NOT NULL AND year("timestamp") BETWEEN 2018 AND 2022
    GROUP BY post_year, category
  )
  SELECT post_year, category, category_count
  FROM counts
  QUALIFY rank() OVER (PARTITION BY post_year ORDER BY category_count DESC) = 1
  ORDER BY post_year, utf16_units(category), category_count
) TO (getvariable('output') || '/results/top_category_by_year.csv') (FORMAT csv, HEADER true);

-- q3a: pin⋈geo, distinct (country, poster_name, follower_count) rows whose follower_count is the
-- country's highest. Kept as a table: q3b reads its rows.
CREATE OR REPLACE TEMP TABLE top_user_by_country AS
WITH posters AS (
  SELECT DISTINCT country, poster_name, follower_count
  FROM pin_geo
  WHERE country IS NOT NULL AND poster_name IS NOT NULL AND follower_count IS NOT NULL
)
SELECT country, poster_name, follower_count
FROM posters
QUALIFY rank() OVER (PARTITION BY country ORDER BY follower_count DESC) = 1;

COPY (
  SELECT * FROM top_user_by_country ORDER BY utf16_units(country), utf16_units(poster_name), follower_count
) TO (getvariable('output') || '/results/top_user_by_country.csv') (FORMAT csv, HEADER true);

-- q3b: from q3a's rows, the country or countries whose follower_count is the highest.
COPY (
  WITH countries AS (SELECT DISTINCT country, follower_count FROM top_user_by_country)
  SELECT country, follower_count
  FROM countries
  QUALIFY rank() OVER (ORDER BY follower_count DESC) = 1
  ORDER BY utf16_units(country), follower_count
) TO (getvariable('output') || '/results/top_country_by_user_followers.csv') (FORMAT csv, HEADER true);

-- q4: pin⋈user, per age group the category with most posts.
COPY (
  WITH counts AS (
    SELECT age_group(age) AS age_group, category, count(*) AS category_count
    FROM pin_user
    WHERE age IS NOT NULL AND category IS NOT NULL
    GROUP BY age_group, category
  )
  SELECT age_group, category, category_count
  FROM counts
  QUALIFY rank() OVER (PARTITION BY age_group ORDER BY category_count DESC) = 1
  ORDER BY age_group_order(age_group), utf16_units(category), category_count
) TO (getvariable('output') || '/results/top_category_by_age_group.csv') (FORMAT csv, HEADER true);

-- q5: pin⋈user, the median follower_count per age group (null counts ignored; a group without
-- any count gets no row).
COPY (
  WITH medians AS (
    SELECT age_group(age) AS age_group, CAST(quantile_cont(follower_count, 0.5) AS DOUBLE) AS median
    FROM pin_user
    WHERE age IS NOT NULL AND follower_count IS NOT NULL
    GROUP BY 1
  )
  SELECT age_group, plain_number(median) AS median_follower_count
  FROM medians
  ORDER BY age_group_order(age_group), median
) TO (getvariable('output') || '/results/median_followers_by_age_group.csv') (FORMAT csv, HEADER true);

-- q6: user records only, post_year = UTC year of date_joined in [2015, 2020]: the number of
-- distinct persons (user_name, age, date_joined; nulls equal, as in DISTINCT) per year.
COPY (
  WITH persons AS (
    SELECT DISTINCT CAST(year(date_joined) AS INTEGER) AS post_year, user_name, age, date_joined
    FROM user_clean
    WHERE date_joined IS NOT NULL AND year(date_joined) BETWEEN 2015 AND 2020
  )
  SELECT post_year, count(*) AS number_users_joined
  FROM persons
  GROUP BY post_year
  ORDER BY post_year, number_users_joined
) TO (getvariable('output') || '/results/users_joined_by_year.csv') (FORMAT csv, HEADER true);

-- q7: pin⋈user, post_year = UTC year of date_joined in [2015, 2020]: the median follower_count
-- per year.
COPY (
  WITH medians AS (
    SELECT CAST(year(date_joined) AS INTEGER) AS post_year,
           CAST(quantile_cont(follower_count, 0.5) AS DOUBLE) AS median
    FROM pin_user
    WHERE date_joined IS NOT NULL AND follower_count IS NOT NULL AND year(date_joined) BETWEEN 2015 AND 2020
    GROUP BY 1
  )
  SELECT post_year, plain_number(median) AS median_follower_count
  FROM medians
  ORDER BY post_year, median
) TO (getvariable('output') || '/results/median_followers_by_join_year.csv') (FORMAT csv, HEADER true);

-- q8: pin⋈user, per (age group, UTC year of date_joined in [2015, 2020]) the median follower_count.
COPY (
  WITH medians AS (
    SELECT age_group(age) AS age_group, CAST(year(date_joined) AS INTEGER) AS post_year,
           CAST(quantile_cont(follower_count, 0.5) AS DOUBLE) AS median
    FROM pin_user
    WHERE age IS NOT NULL AND date_joined IS NOT NULL AND follower_count IS NOT NULL
      AND year(date_joined) BETWEEN 2015 AND 2020
    GROUP BY 1, 2
  )
  SELECT age_group, post_year, plain_number(median) AS median_follower_count
  FROM medians
  ORDER BY age_group_order(age_group), post_year, median
) TO (getvariable('output') || '/results/median_followers_by_age_group_and_join_year.csv') (FORMAT csv, HEADER true);
