-- Issue 33 (R8): the name the person register holds for the applicant, which the documents print.
ALTER TABLE "Application" ADD COLUMN "registerName" TEXT;
