-- AlterTable
ALTER TABLE "Application" ADD COLUMN     "complaintPeriodEndsAt" TIMESTAMP(3),
ADD COLUMN     "preTrialCompletedAt" TIMESTAMP(3),
ADD COLUMN     "round" INTEGER NOT NULL DEFAULT 1;

-- AlterTable
ALTER TABLE "Notice" ADD COLUMN     "complaintId" UUID,
ADD COLUMN     "round" INTEGER NOT NULL DEFAULT 1,
ADD COLUMN     "supersededAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "Complaint" (
    "id" UUID NOT NULL,
    "workflowId" TEXT NOT NULL,
    "applicationId" UUID NOT NULL,
    "addressee" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "grounds" TEXT[],
    "attachments" JSONB NOT NULL,
    "contestedRound" INTEGER NOT NULL,
    "state" TEXT NOT NULL,
    "overdue" BOOLEAN NOT NULL DEFAULT false,
    "submittedAt" TIMESTAMP(3) NOT NULL,
    "registeredAt" TIMESTAMP(3) NOT NULL,
    "dueAt" TIMESTAMP(3) NOT NULL,
    "outcome" TEXT,
    "motivation" TEXT,
    "official" TEXT,
    "decidedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Complaint_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Complaint_workflowId_key" ON "Complaint"("workflowId");

-- CreateIndex
CREATE INDEX "Complaint_applicationId_idx" ON "Complaint"("applicationId");

-- CreateIndex
CREATE INDEX "Complaint_state_dueAt_idx" ON "Complaint"("state", "dueAt");

-- AddForeignKey
ALTER TABLE "Notice" ADD CONSTRAINT "Notice_complaintId_fkey" FOREIGN KEY ("complaintId") REFERENCES "Complaint"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Complaint" ADD CONSTRAINT "Complaint_applicationId_fkey" FOREIGN KEY ("applicationId") REFERENCES "Application"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

