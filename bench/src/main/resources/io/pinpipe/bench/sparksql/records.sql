-- Stage 1, once per kind (@kind@): the archived files -> raw records, one JSON text per row,
-- split as the batch job's ReadArchive splits them (docs/semantics.md#archived-raw-layout).
--
-- Input view raw_files_@kind@: one row per file (text source, wholetext), files named .* or _*
-- already skipped by Spark's file index. A file is read whole when it is at most 64 MiB, its first
-- non-blank line is not a complete one-line object ('{' ... '}' after Java's trim), something
-- follows that line, and the whole file is exactly one JSON value. Every other file is split on
-- \n; blank lines are dropped later, with everything else that is not one valid JSON object.
--
-- Invalid UTF-8: the text source keeps the raw bytes, but split() goes through java.lang.String and
-- replaces bad bytes with U+FFFD. So the check is per file (re-encoding the text must give back
-- its bytes), and in a file that fails it, the lines holding U+FFFD are the ones dropped.
WITH files AS (
  SELECT value AS text,
         encode(value, 'UTF-8') = CAST(value AS BINARY) AS valid_utf8,
         -- characters of the leading blank lines (only space, tab, CR, as ReadArchive.isBlank)
         length(regexp_extract(value, '^((?:[ \\t\\r]*\\n)*)', 1)) AS blank_prefix
  FROM raw_files_@kind@
), heads AS (
  SELECT text, valid_utf8, blank_prefix,
         substring_index(substr(text, blank_prefix + 1), '\n', 1) AS first_line
  FROM files
), shaped AS (
  SELECT text, valid_utf8,
         octet_length(text) <= 67108864
           AND first_line NOT RLIKE '^[ \\t\\r]*$'
           AND NOT (left(regexp_replace(first_line, '^[\\x00-\\x20]+|[\\x00-\\x20]+$', ''), 1) = '{'
                    AND right(regexp_replace(first_line, '^[\\x00-\\x20]+|[\\x00-\\x20]+$', ''), 1) = '}')
           AND length(text) > blank_prefix + length(first_line) + 1
           -- exactly one JSON value, nothing after it: wrapped in [ ], an array of one element
           AND size(from_json(concat('[', text, ']'), 'ARRAY<STRING>',
                              map('allowSingleQuotes', 'false', 'allowNonNumericNumbers', 'false'))) = 1
           AS whole
  FROM heads
), records AS (
  -- one pass over each file: a whole file is its own single record
  SELECT explode(CASE WHEN whole THEN array(text) ELSE split(text, '\n') END) AS line, valid_utf8
  FROM shaped
)
-- A file is one task. When there are fewer read partitions than cores (one big file per topic, as
-- the emulator writes by default), the placeholder below becomes a REPARTITION(<cores>, line) hint that spreads
-- the lines over the cores before the costly JSON parsing; otherwise it is empty.
SELECT @repartition@ line
FROM records
WHERE valid_utf8 OR instr(line, decode(X'EFBFBD', 'UTF-8')) = 0
