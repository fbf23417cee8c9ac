/**
 * Every activity of the workflows, by concern — the case store, the gateway, documents and signing, complaints —
 * each group built by a factory that receives its stores, and every one wrapped so that a failure no retry can
 * cure ends it as non-retryable (infra/failures.ts) instead of retrying forever.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { classifyFailure, PERMANENT_FAILURE_TYPE } from '../infra/failures';
import { DatabaseGateway, type StateRecordsGateway } from '../infra/gateway';
import type { ProviderUnits } from '../domain/provider-units';
import { shippedProviderUnits } from '../infra/provider-units';
import type { UnitSigners } from '../infra/signer';
import type { Store } from '../infra/store';
import { createCaseStoreActivities } from './case-store';
import { createComplaintActivities } from './complaints';
import { createDocumentActivities } from './documents';
import { createGatewayActivities } from './gateway';
import { createRetentionActivities } from './retention';
import type { RetentionPolicy } from '../domain/retention';
import { retentionPolicyFromEnvironment } from '../infra/retention-policy';

export type { CustodyRecord, StageRecord } from './case-store';
export type { DecisionRecord, IssuedNotice, NoticeRequest, ResultRecord } from './documents';
export type { CaseStoreActivities } from './case-store';
export type { ComplaintActivities } from './complaints';
export type { DocumentActivities } from './documents';
export type { GatewayActivities } from './gateway';
export type { RetentionActivities } from './retention';

export interface ActivityDeps {
  store: Store;
  /** R5, R13: each unit's authorised person's EDS, which signs the documents the unit issues */
  signers: UnitSigners;
  /** R1: the registry of units (the shipped one when not given) */
  units?: ProviderUnits;
  /** R8: the state information systems; the database stand-in when not given */
  gateway?: StateRecordsGateway;
  /** issue 36: how long each kind of record is kept (RETENTION_POLICY_FILE, or the shipped policy, when not given) */
  retention?: RetentionPolicy;
}

/**
 * An activity that fails permanently fails as non-retryable, with the classifier's reason; a transient failure
 * fails retryable, for the retry policy of its group (workflows/proxies.ts). Either way its message is a summary
 * in codes (infra/failures.ts), with no cause attached: a library's message (Prisma's names the values it was
 * given) goes no further than this process, so no IIN or name reaches a history, the stuck listing or a log.
 */
export function failingPermanentlyWhenNoRetryCanHelp<A extends Record<string, (...args: never[]) => Promise<unknown>>>(activities: A): A {
  const wrapped: Record<string, (...args: never[]) => Promise<unknown>> = {};
  for (const [name, activity] of Object.entries(activities)) {
    wrapped[name] = async (...args) => {
      try {
        return await activity(...args);
      } catch (error) {
        if (error instanceof ApplicationFailure) throw error; // already says whether to retry, in our words
        const failure = classifyFailure(error);
        throw ApplicationFailure.create({
          type: failure.kind === 'permanent' ? PERMANENT_FAILURE_TYPE : ((error as { name?: unknown } | null)?.name?.toString() ?? 'Error'),
          message: failure.reason,
          nonRetryable: failure.kind === 'permanent',
        });
      }
    };
  }
  return wrapped as A;
}

/** Every activity, with its stores injected, so tests can run them against any database. */
export function createActivities({
  store,
  signers,
  units = shippedProviderUnits(),
  gateway = new DatabaseGateway(store),
  retention = retentionPolicyFromEnvironment(),
}: ActivityDeps) {
  return failingPermanentlyWhenNoRetryCanHelp({
    ...createCaseStoreActivities({ store, units }),
    ...createGatewayActivities({ gateway }),
    ...createDocumentActivities({ store, signers, units }),
    ...createComplaintActivities({ store, units }),
    ...createRetentionActivities({ store, policy: retention }),
  });
}

export type Activities = ReturnType<typeof createActivities>;
