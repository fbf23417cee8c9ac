-- CreateTable
CREATE TABLE "CaseRead" (
    "id" BIGSERIAL NOT NULL,
    "applicationId" UUID NOT NULL,
    "client" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "route" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CaseRead_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "CaseRead_applicationId_at_idx" ON "CaseRead"("applicationId", "at");

-- CreateIndex
CREATE INDEX "CaseRead_client_at_idx" ON "CaseRead"("client", "at");

