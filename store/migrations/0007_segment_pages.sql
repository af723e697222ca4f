-- Where a paginated transcript (a court reporter's, a printed hearing) puts
-- each segment, so it can be cited by page and line ("Tr. 982:3–7"; issue
-- 21). 0 means the transcript has no pages (page) or the page no line
-- numbers (line). Written at import with the rest of the segment and sealed
-- with it, but only when page is not 0, so the seals of segments imported
-- before this column existed verify unchanged.
ALTER TABLE segments ADD COLUMN page INTEGER NOT NULL DEFAULT 0;
ALTER TABLE segments ADD COLUMN page_line INTEGER NOT NULL DEFAULT 0;
ALTER TABLE segments ADD COLUMN end_page INTEGER NOT NULL DEFAULT 0;
ALTER TABLE segments ADD COLUMN end_page_line INTEGER NOT NULL DEFAULT 0;
