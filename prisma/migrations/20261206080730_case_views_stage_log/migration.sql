-- AlterTable
ALTER TABLE "Application" ADD COLUMN     "view" TEXT;

-- AlterTable
ALTER TABLE "Complaint" ADD COLUMN     "view" TEXT;

-- AlterTable
ALTER TABLE "OutboxMessage" ADD COLUMN     "caseId" UUID;

-- CreateTable
CREATE TABLE "StageLog" (
    "id" UUID NOT NULL,
    "key" TEXT NOT NULL,
    "applicationId" UUID NOT NULL,
    "complaintId" UUID,
    "stage" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "report" JSONB NOT NULL,

    CONSTRAINT "StageLog_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "StageLog_key_key" ON "StageLog"("key");

-- CreateIndex
CREATE INDEX "StageLog_applicationId_at_idx" ON "StageLog"("applicationId", "at");

-- CreateIndex
CREATE INDEX "OutboxMessage_caseId_idx" ON "OutboxMessage"("caseId");

-- AddForeignKey
ALTER TABLE "StageLog" ADD CONSTRAINT "StageLog_applicationId_fkey" FOREIGN KEY ("applicationId") REFERENCES "Application"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

