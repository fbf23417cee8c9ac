-- Issue 36: the W3C traceparent of the state change that wrote an outbox message, so that its delivery joins the
-- case's trace.
ALTER TABLE "OutboxMessage" ADD COLUMN "traceparent" TEXT;
