/**
 * The case store: the one module that reads and writes the case tables (applications, complaints, their
 * documents and stages), over Prisma's generated types. Everything else asks it by name (issue 29).
 */
export {
  complaintRecords,
  complaintRow,
  forgetUnstartedComplaint,
  recordLateComplaint,
  type ClosedCaseRecord,
  type ComplaintDecisionRecord,
  type ComplaintStageRecord,
} from './complaints';
export { applicationRecords, openApplicationOnRecord, yearHolderOf, type CustodyRecord, type StageRecord } from './applications';
export {
  complaintFactsOf,
  documentRecords,
  storedMotivation,
  type DecisionRecord,
  type IssuedNotice,
  type NoticeRequest,
  type SignedDocuments,
} from './documents';
export * from './reads';
export { caseReads, recordCaseReads, type CaseReadEntry } from './access';
export { applyRetentionBatch, type RetentionBatch } from './retention';
export { gatewayExchangesOf, recordGatewayExchange, type GatewayExchangeRecord } from './gateway';
