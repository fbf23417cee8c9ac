/**
 * The application's lifecycle: the single source of truth for its states and the events each allows.
 * The workflow feeds it events with xstate's pure `transition` (no actor runs inside a workflow); the database
 * and the search attributes store the state value it names.
 */
import { assign, setup, initialTransition, transition, type SnapshotFrom } from 'xstate';

export type LifecycleEvent =
  | { type: 'REGISTRATION_DEFERRED' } // R7: arrived after hours, on a weekend or a holiday
  | { type: 'REGISTERED' }
  | { type: 'REVIEW_STARTED' }
  | { type: 'DECISION_DEADLINE_PASSED' } // R3: overdue is a flag; the decision is still owed
  | { type: 'DECISION_MADE'; decision: 'accept' | 'refuse' }
  | { type: 'NOTICE_ISSUED' } // R5: the result reached the personal cabinet
  | { type: 'WITHDRAWN' } // the applicant withdrew the application before a decision
  | { type: 'CASE_CLOSED' }; // the service is rendered: nothing more is owed on the application

export const applicationLifecycle = setup({
  types: { context: {} as { overdue: boolean }, events: {} as LifecycleEvent },
  guards: {
    accepted: ({ event }) => event.type === 'DECISION_MADE' && event.decision === 'accept',
  },
}).createMachine({
  id: 'application',
  context: { overdue: false },
  initial: 'received',
  states: {
    received: {
      on: { REGISTRATION_DEFERRED: 'waiting-for-registration', REGISTERED: 'registered', WITHDRAWN: 'withdrawn' },
    },
    'waiting-for-registration': {
      on: { REGISTERED: 'registered', WITHDRAWN: 'withdrawn' },
    },
    registered: {
      on: { REVIEW_STARTED: 'under-review', WITHDRAWN: 'withdrawn' },
    },
    'under-review': {
      on: {
        DECISION_DEADLINE_PASSED: { actions: assign({ overdue: true }) },
        DECISION_MADE: [{ guard: 'accepted', target: 'accepted' }, { target: 'refused' }],
        WITHDRAWN: 'withdrawn',
      },
    },
    accepted: { on: { NOTICE_ISSUED: 'notified' } },
    refused: { on: { NOTICE_ISSUED: 'notified' } },
    // Closing follows the notice at once for now; the complaint stage (R13) will come between the two.
    notified: { on: { CASE_CLOSED: 'closed' } },
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
  'notified',
  'closed',
  'withdrawn',
] as const;
export type ApplicationState = (typeof APPLICATION_STATES)[number];

/** The lifecycle's starting snapshot. */
export function startLifecycle(): LifecycleSnapshot {
  return initialTransition(applicationLifecycle)[0];
}

/** A pure step of the lifecycle; throws when the current state does not allow the event. */
export function advance(snapshot: LifecycleSnapshot, event: LifecycleEvent): LifecycleSnapshot {
  if (!snapshot.can(event)) {
    throw new LifecycleError(`${event.type} is not allowed while the application is ${String(snapshot.value)}`);
  }
  return transition(applicationLifecycle, snapshot, event)[0];
}

/** An event the lifecycle does not allow in the current state. */
export class LifecycleError extends Error {
  override name = 'LifecycleError';
}

/**
 * The lifecycle as a Mermaid state diagram, drawn from the machine itself so the picture cannot drift
 * (docs/lifecycle.md is generated from it and checked by a test).
 */
export function lifecycleDiagram(): string {
  const id = (state: string) => state.replace(/-/g, '_'); // Mermaid ids take no hyphens
  const states = Object.entries(applicationLifecycle.config.states ?? {});
  const lines = ['stateDiagram-v2'];
  for (const [state] of states) if (id(state) !== state) lines.push(`  state "${state}" as ${id(state)}`);
  lines.push(`  [*] --> ${id(applicationLifecycle.config.initial as string)}`);
  for (const [state, node] of states) {
    for (const [event, target] of Object.entries(node.on ?? {})) {
      const targets = (Array.isArray(target) ? target : [target]) as Array<string | { target?: string; guard?: unknown }>;
      for (const t of targets) {
        const to = typeof t === 'string' ? t : (t.target ?? state);
        const label = typeof t !== 'string' && t.guard ? `${event} [${String(t.guard)}]` : to === state ? `${event} / overdue` : event;
        lines.push(`  ${id(state)} --> ${id(to)}: ${label}`);
      }
    }
    if (node.type === 'final') lines.push(`  ${id(state)} --> [*]`);
  }
  return lines.join('\n');
}
