-- AlterTable
ALTER TABLE "Application" ADD COLUMN     "submittedBy" TEXT;

-- AlterTable
ALTER TABLE "Complaint" ADD COLUMN     "reviewingUnit" TEXT;

-- CreateTable
CREATE TABLE "SigningCertificate" (
    "fingerprint" TEXT NOT NULL,
    "unit" TEXT NOT NULL,
    "person" TEXT NOT NULL,
    "organisation" TEXT,
    "pem" TEXT NOT NULL,
    "notBefore" TIMESTAMP(3) NOT NULL,
    "notAfter" TIMESTAMP(3) NOT NULL,
    "firstUsedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "SigningCertificate_pkey" PRIMARY KEY ("fingerprint")
);

