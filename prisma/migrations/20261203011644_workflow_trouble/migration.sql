-- CreateTable
CREATE TABLE "WorkflowTrouble" (
    "workflowId" TEXT NOT NULL,
    "part" TEXT NOT NULL,
    "runId" TEXT NOT NULL,
    "what" TEXT NOT NULL,
    "attempt" INTEGER NOT NULL,
    "since" TIMESTAMP(3) NOT NULL,
    "lastError" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "WorkflowTrouble_pkey" PRIMARY KEY ("workflowId","part")
);

-- CreateIndex
CREATE INDEX "WorkflowTrouble_since_idx" ON "WorkflowTrouble"("since");

