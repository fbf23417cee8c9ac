-- R13: the application as admitted, kept for the life of the case, so that an upheld complaint against a closed
-- case reopens it in a new run (issue 30).
ALTER TABLE "Application" ADD COLUMN "input" TEXT;
