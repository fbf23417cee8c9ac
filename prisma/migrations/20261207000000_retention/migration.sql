-- Issue 36: retention. When a case closed (its periods run from there), and what the retention has done to it: its
-- essay erased, its applicant's personal data removed, a complaint's text erased.
ALTER TABLE "Application" ADD COLUMN "closedAt" TIMESTAMP(3);
ALTER TABLE "Application" ADD COLUMN "essayErasedAt" TIMESTAMP(3);
ALTER TABLE "Application" ADD COLUMN "anonymisedAt" TIMESTAMP(3);
ALTER TABLE "Complaint" ADD COLUMN "textErasedAt" TIMESTAMP(3);
CREATE INDEX "Application_closedAt_idx" ON "Application"("closedAt");

-- A case closed before the column: the moment its stage log recorded the close, or its last change.
UPDATE "Application" a
SET "closedAt" = COALESCE(
  (SELECT max(s."at") FROM "StageLog" s WHERE s."applicationId" = a."id" AND s."stage" IN ('closed', 'withdrawn')),
  a."updatedAt")
WHERE a."state" IN ('closed', 'withdrawn');
