-- AlterTable
ALTER TABLE "Application" ADD COLUMN     "homeVisit" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "resendDueAt" TIMESTAMP(3),
ADD COLUMN     "resultAtStateCorporationAt" TIMESTAMP(3),
ADD COLUMN     "resultIssuedAt" TIMESTAMP(3),
ADD COLUMN     "resultIssuedTo" TEXT,
ADD COLUMN     "resultRequestedAt" TIMESTAMP(3),
ADD COLUMN     "returnedToProviderAt" TIMESTAMP(3),
ADD COLUMN     "serviceLocality" TEXT,
ADD COLUMN     "standard" TEXT NOT NULL DEFAULT 'standard-2',
ADD COLUMN     "storageEndsAt" TIMESTAMP(3);

