/**
 * The case store: the one module that reads and writes the case tables (applications, complaints, their
 * documents and stages), over Prisma's generated types. Everything else asks it by name (issue 29).
 */
export { complaintRow, forgetUnstartedComplaint, recordLateComplaint, type ClosedCaseRecord } from './complaints';
