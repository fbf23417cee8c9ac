import fs from 'node:fs';
import { APPLICATION_STATES, advance, applicationLifecycle, startLifecycle, LifecycleError } from '../domain/lifecycle';
import { LIFECYCLE_DOC, lifecycleDoc } from '../devtools/docs';

describe('application lifecycle machine', () => {
  test('names exactly the states the machine has', () => {
    expect(Object.keys(applicationLifecycle.config.states!).sort()).toEqual([...APPLICATION_STATES].sort());
  });

  test('runs received → waiting for registration → registered → under review → accepted → notified → closed (R7, R3, R5)', () => {
    let s = startLifecycle();
    const visited = [s.value];
    for (const event of [
      { type: 'REGISTRATION_DEFERRED' },
      { type: 'REGISTERED' },
      { type: 'REVIEW_STARTED' },
      { type: 'DECISION_MADE', decision: 'accept' },
      { type: 'NOTICE_ISSUED' },
      { type: 'CASE_CLOSED' },
    ] as const) {
      s = advance(s, event);
      visited.push(s.value);
    }
    expect(visited).toEqual(['received', 'waiting-for-registration', 'registered', 'under-review', 'accepted', 'notified', 'closed']);
    expect(s.status).toBe('done');
  });

  test('overdue is a flag under review, and the decision is still taken (R3)', () => {
    let s = advance(advance(startLifecycle(), { type: 'REGISTERED' }), { type: 'REVIEW_STARTED' });
    s = advance(s, { type: 'DECISION_DEADLINE_PASSED' });
    expect(s.value).toBe('under-review');
    expect(s.context.overdue).toBe(true);
    s = advance(s, { type: 'DECISION_MADE', decision: 'refuse' });
    expect(s.value).toBe('refused');
    expect(s.context.overdue).toBe(true);
  });

  test('refuses an event the current state does not allow, with the state named', () => {
    expect(() => advance(startLifecycle(), { type: 'DECISION_MADE', decision: 'accept' })).toThrow(
      new LifecycleError('DECISION_MADE is not allowed while the application is received'),
    );
  });

  test('a withdrawal is allowed before the decision only', () => {
    const review = advance(advance(startLifecycle(), { type: 'REGISTERED' }), { type: 'REVIEW_STARTED' });
    expect(advance(review, { type: 'WITHDRAWN' }).value).toBe('withdrawn');
    expect(advance(startLifecycle(), { type: 'WITHDRAWN' }).status).toBe('done');
    const decided = advance(review, { type: 'DECISION_MADE', decision: 'accept' });
    expect(decided.can({ type: 'WITHDRAWN' })).toBe(false);
  });

  test('a State Corporation result: at the State Corporation, returned after a month, asked for, sent again, collected (R5, R14)', () => {
    let s = advance(advance(advance(startLifecycle(), { type: 'REGISTERED' }), { type: 'REVIEW_STARTED' }), {
      type: 'DECISION_MADE',
      decision: 'accept',
    });
    const visited = [];
    for (const type of [
      'RESULT_SENT_TO_STATE_CORPORATION',
      'STORAGE_PERIOD_ENDED',
      'RESULT_REQUESTED',
      'RESEND_DEADLINE_PASSED',
      'RESULT_SENT_TO_STATE_CORPORATION',
      'RESULT_COLLECTED',
    ] as const) {
      s = advance(s, { type });
      visited.push(s.value);
    }
    expect(visited).toEqual(['awaiting-collection', 'returned-to-provider', 'requested-again', 'requested-again', 'awaiting-collection', 'notified']);
    expect(s.context.overdue).toBe(true); // the provider was late sending it back
    // Collected only while it is at the State Corporation; asked for only once it went back.
    expect(s.can({ type: 'RESULT_COLLECTED' })).toBe(false);
    expect(
      advance(advance(advance(startLifecycle(), { type: 'REGISTERED' }), { type: 'REVIEW_STARTED' }), {
        type: 'DECISION_MADE',
        decision: 'refuse',
      }).can({ type: 'RESULT_REQUESTED' }),
    ).toBe(false);
  });

  test('docs/lifecycle.md is the diagram of the machine as it is (run `npm run docs` after changing it)', () => {
    expect(fs.readFileSync(LIFECYCLE_DOC, 'utf8')).toBe(lifecycleDoc());
    for (const state of APPLICATION_STATES) expect(lifecycleDoc()).toContain(state);
  });
});
