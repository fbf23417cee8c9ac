-- CreateTable
CREATE TABLE "CalendarOverrideChange" (
    "id" SERIAL NOT NULL,
    "date" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "kind" TEXT,
    "basis" TEXT,
    "note" TEXT,
    "previous" JSONB,
    "by" TEXT NOT NULL,
    "why" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CalendarOverrideChange_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "CalendarOverrideChange_date_at_idx" ON "CalendarOverrideChange"("date", "at");

