-- AlterTable
ALTER TABLE "Complaint" ADD COLUMN     "decidedBy" TEXT,
ADD COLUMN     "forwardedAt" TIMESTAMP(3),
ADD COLUMN     "forwardedBy" TEXT,
ADD COLUMN     "providerDueAt" TIMESTAMP(3);
