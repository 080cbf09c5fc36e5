-- Text analytics (issue #5).
--
-- * message: first-reply time in business hours (from the workspace's [care] schedule, time
--   zone and holidays), whether the reply came in business hours (Sprout's bucket: the reply's
--   timestamp decides), and the complaint cues that made Cadran flag a complaint. A complaint or
--   a sentiment the platform gave (origin 'native') is never overwritten by the analysis.
-- * post: which readability formula scored the post, the quality rubric's maximum, and the
--   criteria the post met (JSON), so that a score can be explained.
-- * mention: nothing new; sentiment columns already exist.

ALTER TABLE message ADD COLUMN first_reply_business_hours DOUBLE;
ALTER TABLE message ADD COLUMN replied_in_business_hours BOOLEAN;
ALTER TABLE message ADD COLUMN complaint_cues VARCHAR;

ALTER TABLE post ADD COLUMN readability_formula VARCHAR;
ALTER TABLE post ADD COLUMN quality_max DOUBLE;
ALTER TABLE post ADD COLUMN quality_detail VARCHAR;

-- History copies keep every column, so that undoing an import restores the analysis too.
ALTER TABLE message_history ADD COLUMN first_reply_business_hours DOUBLE;
ALTER TABLE message_history ADD COLUMN replied_in_business_hours BOOLEAN;
ALTER TABLE message_history ADD COLUMN complaint_cues VARCHAR;
ALTER TABLE post_history ADD COLUMN readability_formula VARCHAR;
ALTER TABLE post_history ADD COLUMN quality_max DOUBLE;
ALTER TABLE post_history ADD COLUMN quality_detail VARCHAR;
