-- Inner join on ind: one row per matching pair (conflicting records multiply, like the job's join).
SELECT p.*, g.country, g.coordinates, g.`timestamp`
FROM pin_clean p JOIN geo_clean g ON p.ind = g.ind
