-- Inner join on ind: one row per matching pair (conflicting records multiply, like the job's join).
-- Only the columns the pin⋈geo queries read: the Java side caches this for q1, q2 and q3a.
SELECT p.category, p.poster_name, p.follower_count, g.country, g.`timestamp`
FROM pin_clean p JOIN geo_clean g ON p.ind = g.ind
