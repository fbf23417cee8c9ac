/**
 * Every activity of the workflows, by concern — the case store, the gateway, documents and signing, complaints —
 * each group built by a factory that receives its stores, and every one wrapped so that a failure no retry can
 * cure ends it as non-retryable (infra/failures.ts) instead of retrying forever.
 */
import { ApplicationFailure } from '@temporalio/activity';
import { classifyFailure, PERMANENT_FAILURE_TYPE } from '../infra/failures';
import { DatabaseGateway, type StateRecordsGateway } from '../infra/gateway';
import type { DocumentSigner } from '../infra/signer';
import type { Store } from '../infra/store';
import { createCaseStoreActivities } from './case-store';
import { createComplaintActivities } from './complaints';
import { createDocumentActivities } from './documents';
import { createGatewayActivities } from './gateway';

export type { CustodyRecord, DecisionRecord, StageRecord } from './case-store';
export type { IssuedNotice, NoticeRequest } from './documents';
export type { CaseStoreActivities } from './case-store';
export type { ComplaintActivities } from './complaints';
export type { DocumentActivities } from './documents';
export type { GatewayActivities } from './gateway';

export interface ActivityDeps {
  store: Store;
  /** R5: signs result documents with the EDS of the provider's authorised person */
  signer: DocumentSigner;
  /** R8: the state information systems; the database stand-in when not given */
  gateway?: StateRecordsGateway;
}

/**
 * An activity that fails permanently fails as non-retryable, with the classifier's reason; a transient failure
 * is thrown as it is, for the retry policy of its group (workflows/proxies.ts).
 */
export function failingPermanentlyWhenNoRetryCanHelp<A extends Record<string, (...args: never[]) => Promise<unknown>>>(activities: A): A {
  const wrapped: Record<string, (...args: never[]) => Promise<unknown>> = {};
  for (const [name, activity] of Object.entries(activities)) {
    wrapped[name] = async (...args) => {
      try {
        return await activity(...args);
      } catch (error) {
        if (error instanceof ApplicationFailure) throw error; // already says whether to retry
        const failure = classifyFailure(error);
        if (failure.kind === 'transient') throw error;
        throw ApplicationFailure.create({
          type: PERMANENT_FAILURE_TYPE,
          message: failure.reason,
          nonRetryable: true,
          cause: error instanceof Error ? error : undefined,
        });
      }
    };
  }
  return wrapped as A;
}

/** Every activity, with its stores injected, so tests can run them against any database. */
export function createActivities({ store, signer, gateway = new DatabaseGateway(store) }: ActivityDeps) {
  return failingPermanentlyWhenNoRetryCanHelp({
    ...createCaseStoreActivities({ store }),
    ...createGatewayActivities({ gateway }),
    ...createDocumentActivities({ store, signer }),
    ...createComplaintActivities(store),
  });
}

export type Activities = ReturnType<typeof createActivities>;
