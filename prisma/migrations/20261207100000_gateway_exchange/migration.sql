-- Issue 33: the messages exchanged with the e-government gateway (SmartBridge) per case: ids and codes only.
CREATE TABLE "GatewayExchange" (
    "messageId" TEXT NOT NULL,
    "correlationId" TEXT NOT NULL,
    "interaction" TEXT NOT NULL,
    "serviceId" TEXT NOT NULL,
    "answerMessageId" TEXT,
    "statusCode" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "GatewayExchange_pkey" PRIMARY KEY ("messageId")
);

CREATE INDEX "GatewayExchange_correlationId_at_idx" ON "GatewayExchange"("correlationId", "at");
