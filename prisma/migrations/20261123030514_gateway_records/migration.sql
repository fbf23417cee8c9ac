-- CreateTable
CREATE TABLE "GatewayRecord" (
    "iin" TEXT NOT NULL,
    "hasEducation" BOOLEAN NOT NULL,
    "hasEmployment" BOOLEAN NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "GatewayRecord_pkey" PRIMARY KEY ("iin")
);

