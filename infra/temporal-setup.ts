/**
 * What the service needs of any Temporal server (issue 18): its namespace, and every search attribute the
 * workflows set and operators filter by (domain/search-attributes.ts). Registered idempotently — at every start
 * of the dev server and of a worker, and by `cli setup` — so a cluster of one's own, or a server from before an
 * attribute existed, is never left refusing every workflow start.
 */
import { Connection, isGrpcServiceError, NamespaceNotFoundError, type ConnectionOptions } from '@temporalio/client';
import { msToTs, optionalTsToMs } from '@temporalio/common';
import { periodInWords, periodMs } from '../domain/retention';
import { SEARCH_ATTRIBUTES } from '../domain/search-attributes';
import { retentionPolicyFromEnvironment } from './retention-policy';
import { ensureRetentionSchedule, type RetentionScheduleState } from './retention-schedule';

/** temporal.api.enums.v1.IndexedValueType, by the SDK's type names. */
const INDEXED_VALUE_TYPES: Record<string, number> = { KEYWORD: 2, BOOL: 5, DATETIME: 6 };
/** gRPC's NOT_FOUND and ALREADY_EXISTS. */
const NOT_FOUND = 5;
const ALREADY_EXISTS = 6;
/** gRPC's UNIMPLEMENTED: the time-skipping test server sets no namespace's retention. */
const UNIMPLEMENTED = 12;

/** Search attributes as the operator service's `addSearchAttributes` takes them. */
export function indexedTypes(attributes = SEARCH_ATTRIBUTES): Record<string, number> {
  return Object.fromEntries(attributes.map((k) => [k.name, INDEXED_VALUE_TYPES[k.type]]));
}

/** The service's search attributes a namespace lacks, by name. */
export async function missingSearchAttributes(
  connection: Pick<Connection, 'operatorService'>,
  namespace: string,
  attributes = SEARCH_ATTRIBUTES,
): Promise<string[]> {
  const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
  return attributes.filter((k) => !(customAttributes && k.name in customAttributes)).map((k) => k.name);
}

export interface SetupReport {
  namespaceCreated: boolean;
  /** the search attributes registered now (those already there are left alone) */
  registered: string[];
  /** issue 36: the namespace's history retention, when it differed from the policy's and was set to it now */
  historyRetentionSet?: string;
}

/**
 * Registers the namespace if absent and the search attributes it lacks, and keeps closed histories as long as the
 * retention policy says (`temporal-history`: RETENTION_POLICY_FILE, or the shipped policy); answers what it did.
 */
export async function ensureTemporalSetup(
  connection: Connection,
  namespace: string,
  { attributes = SEARCH_ATTRIBUTES, historyRetention = retentionPolicyFromEnvironment()['temporal-history'].keep } = {},
): Promise<SetupReport> {
  let namespaceCreated = false;
  let historyRetentionSet: string | undefined;
  const retentionMs = periodMs(historyRetention);
  try {
    const { config } = await connection.workflowService.describeNamespace({ namespace });
    if (optionalTsToMs(config?.workflowExecutionRetentionTtl) !== retentionMs) {
      try {
        await connection.workflowService.updateNamespace({ namespace, config: { workflowExecutionRetentionTtl: msToTs(retentionMs) } });
        historyRetentionSet = periodInWords(historyRetention);
      } catch (error) {
        if (!(isGrpcServiceError(error) && error.code === UNIMPLEMENTED)) throw error;
      }
    }
  } catch (error) {
    if (!(isGrpcServiceError(error) && error.code === NOT_FOUND)) throw error;
    try {
      await connection.workflowService.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs(retentionMs) });
      namespaceCreated = true;
    } catch (raced) {
      // Two workers starting together (a cluster's replicas): the other one registered it first.
      if (!(isGrpcServiceError(raced) && raced.code === ALREADY_EXISTS)) throw raced;
    }
  }
  // A namespace just created reaches every service of a cluster within seconds: until then it is "not found".
  let missing: string[] | undefined;
  for (let attempt = 0; missing === undefined; attempt++) {
    try {
      missing = await missingSearchAttributes(connection, namespace, attributes);
    } catch (error) {
      if (!(isGrpcServiceError(error) && error.code === NOT_FOUND) || attempt >= 30) throw error;
      await new Promise((r) => setTimeout(r, 1000));
    }
  }
  if (missing.length > 0) {
    try {
      await connection.operatorService.addSearchAttributes({
        namespace,
        searchAttributes: indexedTypes(attributes.filter((k) => missing.includes(k.name))),
      });
    } catch (error) {
      // Another replica registering the same attributes at the same moment is no failure, if they are all there now.
      if ((await missingSearchAttributes(connection, namespace, attributes)).length > 0) throw error;
      return { namespaceCreated, registered: [], ...(historyRetentionSet && { historyRetentionSet }) };
    }
  }
  return { namespaceCreated, registered: missing, ...(historyRetentionSet && { historyRetentionSet }) };
}

/** A visibility query that names every attribute: the frontend refuses it while any is unknown to it. */
function probeQuery(attributes = SEARCH_ATTRIBUTES): string {
  const condition = (k: (typeof attributes)[number]) =>
    k.type === 'BOOL' ? `${k.name} = false` : k.type === 'DATETIME' ? `${k.name} > '2000-01-01T00:00:00Z'` : `${k.name} = 'probe'`;
  return attributes.map(condition).join(' OR ');
}

/**
 * Waits until the frontend knows every attribute. A cluster's services cache the attributes and refresh them
 * about once a minute, so a start right after registering them may still be refused ("no mapping defined for
 * search attribute"); the dev server refreshes on every read.
 */
export async function awaitSearchAttributesUsable(
  connection: Pick<Connection, 'workflowService'>,
  namespace: string,
  { attributes = SEARCH_ATTRIBUTES, timeoutMs = 120_000 } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await connection.workflowService.countWorkflowExecutions({ namespace, query: probeQuery(attributes) });
      return;
    } catch (error) {
      if (!(isGrpcServiceError(error) && (error.code === INVALID_ARGUMENT || error.code === NOT_FOUND)) || Date.now() > deadline) throw error;
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** gRPC codes that say Temporal cannot take a request now, or is not set up for this service. */
const UNAVAILABLE = 14;
const DEADLINE_EXCEEDED = 4;
const INVALID_ARGUMENT = 3;

/**
 * Why Temporal refused or did not answer a request, in words for the caller, when that is the cause — it does
 * not answer, or it lacks this service's namespace or a search attribute — or null for anything else. The API
 * answers it with 503, never 500: the request was fine, the server is not ready for it.
 */
export function temporalNotReady(error: unknown): string | null {
  const notSetUp = (details: string) =>
    `Temporal is not set up for this service: ${details}. An operator runs \`npm run cli -- setup\` (workers do it at start)`;
  if (error instanceof NamespaceNotFoundError) return notSetUp(error.message);
  // The client wraps the gRPC error of a failed call (ServiceError) as its cause.
  const cause = (error as { cause?: unknown } | null)?.cause;
  const grpc = isGrpcServiceError(error) ? error : isGrpcServiceError(cause) ? cause : null;
  if (!grpc) return null;
  const details = grpc.details || grpc.message;
  if (grpc.code === UNAVAILABLE || grpc.code === DEADLINE_EXCEEDED) return `Temporal does not answer (${details}); try again shortly`;
  if ((grpc.code === INVALID_ARGUMENT && /search attribute/i.test(details)) || (grpc.code === NOT_FOUND && /namespace/i.test(details))) {
    return notSetUp(details);
  }
  return null;
}

/**
 * Connects with `options` (infra/temporal-connection.ts), sets the server up for `namespace`, and disconnects;
 * when it registered anything, only once the frontend accepts every attribute (a cluster's cache lags). A worker
 * and `cli setup` also ask for the nightly retention's schedule (infra/retention-schedule.ts).
 */
export async function setUpTemporal(
  options: ConnectionOptions,
  namespace: string,
  setup: Parameters<typeof ensureTemporalSetup>[2] = {},
  { retentionSchedule = false } = {},
): Promise<SetupReport & { retentionSchedule?: RetentionScheduleState }> {
  const connection = await Connection.connect(options);
  try {
    const report = await ensureTemporalSetup(connection, namespace, setup);
    if (report.namespaceCreated || report.registered.length > 0) {
      await awaitSearchAttributesUsable(connection, namespace, { ...(setup.attributes && { attributes: setup.attributes }) });
    }
    if (!retentionSchedule) return report;
    return { ...report, retentionSchedule: await ensureRetentionSchedule(connection, namespace) };
  } finally {
    await connection.close();
  }
}
