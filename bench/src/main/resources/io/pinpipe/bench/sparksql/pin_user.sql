-- Inner join on ind: one row per matching pair (conflicting records multiply, like the job's join).
SELECT p.*, u.user_name, u.age, u.date_joined
FROM pin_clean p JOIN user_clean u ON p.ind = u.ind
