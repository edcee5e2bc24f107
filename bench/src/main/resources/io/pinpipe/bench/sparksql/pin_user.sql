-- Inner join on ind: one row per matching pair (conflicting records multiply, like the job's join).
-- Only the columns the pin⋈user queries read: the Java side caches this for q4, q5, q7 and q8.
SELECT p.category, p.follower_count, u.age, u.date_joined
FROM pin_clean p JOIN user_clean u ON p.ind = u.ind
