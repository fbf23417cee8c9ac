-- Issue 33 (R12): a message handed to a carrier (the asynchronous channel of the gateway) is `sent` until it says
-- delivered, and its id there.
ALTER TABLE "OutboxMessage" ADD COLUMN "remoteId" TEXT;
