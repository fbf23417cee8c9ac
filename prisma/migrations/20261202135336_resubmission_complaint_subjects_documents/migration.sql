-- DropIndex
DROP INDEX "Application_iin_academicYear_key";

-- AlterTable
ALTER TABLE "Application" ADD COLUMN     "defects" JSONB,
ADD COLUMN     "holdsYear" BOOLEAN DEFAULT true,
ADD COLUMN     "purpose" TEXT;

-- AlterTable
ALTER TABLE "Complaint" ADD COLUMN     "againstClosedCase" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "late" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "periodRestored" BOOLEAN,
ADD COLUMN     "restorationReason" TEXT,
ADD COLUMN     "subject" TEXT NOT NULL DEFAULT 'result';

-- R10: a refused or withdrawn application no longer holds its teacher's year (domain/academic-year.ts), but a refused
-- one reopened by an upheld complaint (under review again) still does.
UPDATE "Application" SET "holdsYear" = NULL WHERE "state" = 'withdrawn' OR ("decision" = 'refuse' AND "state" <> 'under-review');

-- CreateIndex
CREATE INDEX "Application_iin_academicYear_idx" ON "Application"("iin", "academicYear");

-- CreateIndex
CREATE UNIQUE INDEX "Application_iin_academicYear_holdsYear_key" ON "Application"("iin", "academicYear", "holdsYear");

