/**
 * The application's lifecycle: the single source of truth for its states and the events each allows.
 * The workflow feeds it events with xstate's pure `transition` (no actor runs inside a workflow); the database
 * and the search attributes store the state value it names.
 */
import { assign, setup, initialTransition, transition, type AnyStateMachine, type SnapshotFrom } from 'xstate';

export type LifecycleEvent =
  | { type: 'REGISTRATION_DEFERRED' } // R7: arrived after hours, on a weekend or a holiday
  | { type: 'REGISTERED' }
  | { type: 'REVIEW_STARTED' }
  | { type: 'DECISION_DEADLINE_PASSED' } // R3: overdue is a flag; the decision is still owed
  | { type: 'DECISION_MADE'; decision: 'accept' | 'refuse' }
  | { type: 'NOTICE_ISSUED' } // R5: the result reached the personal cabinet, or was handed over at the office
  // R5, R14 (earlier standard): the result travels to the State Corporation and waits there to be collected
  | { type: 'RESULT_SENT_TO_STATE_CORPORATION' }
  | { type: 'RESULT_COLLECTED' } // issued to the applicant (or a representative) at the State Corporation or at home
  | { type: 'STORAGE_PERIOD_ENDED' } // R14: not collected within a month, returned to the provider
  | { type: 'RESULT_REQUESTED' } // R14: the applicant came later; the provider sends it back within a working day
  | { type: 'RESEND_DEADLINE_PASSED' } // R14: the provider is late with it: a flag, the result is still owed
  | { type: 'WITHDRAWN' } // the applicant withdrew the application before a decision
  | { type: 'COMPLAINT_FILED' } // R13: a complaint against the result (or the provider's inaction) was registered
  // R13: a complaint's review ended; `reopens` when it was upheld against the result still in force
  | { type: 'COMPLAINT_CONCLUDED'; reopens: boolean }
  | { type: 'CASE_CLOSED' } // the administrative stage is over: nothing more is owed on the application
  | { type: 'CLOSED_CASE_REOPENED' }; // R13: an upheld complaint against a closed case: a new run takes it back to review

export const applicationLifecycle = setup({
  types: { context: {} as { overdue: boolean; openComplaints: number }, events: {} as LifecycleEvent },
  guards: {
    accepted: ({ event }) => event.type === 'DECISION_MADE' && event.decision === 'accept',
    complaintsOpen: ({ context }) => context.openComplaints > 0,
    reopens: ({ event }) => event.type === 'COMPLAINT_CONCLUDED' && event.reopens,
    lastComplaint: ({ context }) => context.openComplaints === 1,
    noComplaintOpen: ({ context }) => context.openComplaints === 0,
  },
  actions: {
    complaintOpened: assign({ openComplaints: ({ context }) => context.openComplaints + 1 }),
    complaintEnded: assign({ openComplaints: ({ context }) => context.openComplaints - 1 }),
    flagOverdue: assign({ overdue: true }),
    clearOverdue: assign({ overdue: false }),
  },
}).createMachine({
  id: 'application',
  context: { overdue: false, openComplaints: 0 },
  initial: 'received',
  states: {
    received: {
      // A closed case's new run enters review at once: it was registered long ago (R13, APPK art. 92).
      on: {
        REGISTRATION_DEFERRED: 'waiting-for-registration',
        REGISTERED: 'registered',
        WITHDRAWN: 'withdrawn',
        CLOSED_CASE_REOPENED: 'under-review',
      },
    },
    'waiting-for-registration': {
      on: { REGISTERED: 'registered', WITHDRAWN: 'withdrawn' },
    },
    registered: {
      on: { REVIEW_STARTED: 'under-review', WITHDRAWN: 'withdrawn' },
    },
    'under-review': {
      on: {
        DECISION_DEADLINE_PASSED: { actions: 'flagOverdue' },
        // R13: a complaint against the provider's inaction while the decision is overdue; the review goes on
        COMPLAINT_FILED: { actions: 'complaintOpened' },
        COMPLAINT_CONCLUDED: { actions: 'complaintEnded' },
        DECISION_MADE: [{ guard: 'accepted', target: 'accepted' }, { target: 'refused' }],
        WITHDRAWN: 'withdrawn',
      },
    },
    // A complaint filed against an earlier result may still be under review when a new result is delivered.
    accepted: {
      on: {
        NOTICE_ISSUED: [{ guard: 'complaintsOpen', target: 'contested' }, { target: 'notified' }],
        RESULT_SENT_TO_STATE_CORPORATION: 'awaiting-collection',
      },
    },
    refused: {
      on: {
        NOTICE_ISSUED: [{ guard: 'complaintsOpen', target: 'contested' }, { target: 'notified' }],
        RESULT_SENT_TO_STATE_CORPORATION: 'awaiting-collection',
      },
    },
    // R5, R14 (earlier standard): the result waits at the State Corporation for a month, then goes back to the
    // provider, who sends it again within a working day when the applicant asks.
    'awaiting-collection': {
      on: {
        RESULT_COLLECTED: [{ guard: 'complaintsOpen', target: 'contested' }, { target: 'notified' }],
        STORAGE_PERIOD_ENDED: 'returned-to-provider',
      },
    },
    'returned-to-provider': { on: { RESULT_REQUESTED: 'requested-again' } },
    'requested-again': {
      on: {
        RESEND_DEADLINE_PASSED: { actions: 'flagOverdue' },
        RESULT_SENT_TO_STATE_CORPORATION: 'awaiting-collection',
      },
    },
    // R13: the result may be contested until the administrative (pre-trial) stage is over.
    notified: {
      on: {
        COMPLAINT_FILED: { target: 'contested', actions: 'complaintOpened' },
        CASE_CLOSED: { guard: 'noComplaintOpen', target: 'closed' },
      },
    },
    contested: {
      on: {
        COMPLAINT_FILED: { actions: 'complaintOpened' },
        COMPLAINT_CONCLUDED: [
          // Upheld: the earlier result is superseded and the provider decides again (a fresh term, no overdue).
          { guard: 'reopens', target: 'under-review', actions: ['complaintEnded', 'clearOverdue'] },
          { guard: 'lastComplaint', target: 'notified', actions: 'complaintEnded' },
          { actions: 'complaintEnded' },
        ],
      },
    },
    closed: { type: 'final' },
    withdrawn: { type: 'final' },
  },
});

export type LifecycleSnapshot = SnapshotFrom<typeof applicationLifecycle>;
/** The states an application can be in, as the machine names them. */
export const APPLICATION_STATES = [
  'received',
  'waiting-for-registration',
  'registered',
  'under-review',
  'accepted',
  'refused',
  'awaiting-collection',
  'returned-to-provider',
  'requested-again',
  'notified',
  'contested',
  'closed',
  'withdrawn',
] as const;
export type ApplicationState = (typeof APPLICATION_STATES)[number];

/** Whether a state ends the case (closed, withdrawn): read from the machine, so a new final state is one too. */
export function isFinalState(state: string): boolean {
  const node = (applicationLifecycle.config.states as Record<string, { type?: string }> | undefined)?.[state];
  return node?.type === 'final';
}

/** The states that end a case. */
export const FINAL_STATES: readonly ApplicationState[] = APPLICATION_STATES.filter(isFinalState);

/** The lifecycle's starting snapshot. */
export function startLifecycle(): LifecycleSnapshot {
  return initialTransition(applicationLifecycle)[0];
}

/** A pure step of the lifecycle; throws when the current state does not allow the event. */
export function advance(snapshot: LifecycleSnapshot, event: LifecycleEvent): LifecycleSnapshot {
  return step(applicationLifecycle, snapshot, event, 'application');
}

/** A pure step of any of our machines, refusing an event its current state does not allow. */
export function step<S extends { can(event: E): boolean; value: unknown }, E extends { type: string }>(
  machine: AnyStateMachine,
  snapshot: S,
  event: E,
  what: string,
): S {
  if (!snapshot.can(event)) {
    throw new LifecycleError(`${event.type} is not allowed while the ${what} is ${String(snapshot.value)}`);
  }
  return transition(machine, snapshot as never, event as never)[0] as unknown as S;
}

/** An event the lifecycle does not allow in the current state. */
export class LifecycleError extends Error {
  override name = 'LifecycleError';
}

/**
 * The lifecycle as a Mermaid state diagram, drawn from the machine itself so the picture cannot drift
 * (docs/lifecycle.md is generated from it and checked by a test).
 */
export function lifecycleDiagram(machine: AnyStateMachine = applicationLifecycle): string {
  const id = (state: string) => state.replace(/-/g, '_'); // Mermaid ids take no hyphens
  const states = Object.entries(machine.config.states ?? {});
  const lines = ['stateDiagram-v2'];
  for (const [state] of states) if (id(state) !== state) lines.push(`  state "${state}" as ${id(state)}`);
  lines.push(`  [*] --> ${id(machine.config.initial as string)}`);
  for (const [state, node] of states) {
    for (const [event, target] of Object.entries(node.on ?? {})) {
      const targets = (Array.isArray(target) ? target : [target]) as Array<string | { target?: string; guard?: unknown; actions?: unknown }>;
      for (const t of targets) {
        const to = typeof t === 'string' ? t : (t.target ?? state);
        const guard = typeof t !== 'string' && t.guard ? ` [${String(t.guard)}]` : '';
        const actions = typeof t !== 'string' && t.actions ? ` / ${([] as unknown[]).concat(t.actions).map(String).join(', ')}` : '';
        lines.push(`  ${id(state)} --> ${id(to)}: ${event}${guard}${actions}`);
      }
    }
    if (node.type === 'final') lines.push(`  ${id(state)} --> [*]`);
  }
  return lines.join('\n');
}
