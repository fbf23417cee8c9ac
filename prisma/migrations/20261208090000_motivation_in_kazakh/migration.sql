-- Issue 31: a decision's motivation in each document's language. The Russian stays in motivation, the Kazakh
-- comes beside it (null for decisions taken before, whose one text both documents printed).
ALTER TABLE "Application" ADD COLUMN "motivationKk" TEXT;
ALTER TABLE "Complaint" ADD COLUMN "motivationKk" TEXT;
