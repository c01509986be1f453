-- pg/024_architecture_meeting.sql: PostgreSQL's 024. 024 moved the meeting
-- an architecture review kept in its own fields into a meeting record. A
-- PostgreSQL database began after meetings were records (debrief copy
-- migrates its source first), so there is nothing to move.
SELECT 1;
