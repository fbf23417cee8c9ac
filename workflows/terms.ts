/**
 * The pattern every legal term of the service follows (R3, R13, R14): wait for what is owed until the term
 * ends; past it, flag it overdue and escalate — and keep waiting, because it is still owed.
 */
import { condition } from '@temporalio/workflow';

export interface Owed {
  /** what is owed has come */
  done: () => boolean;
  /** the term's end */
  dueAt: Date;
  /** the timer's words in the UI */
  summary: string;
  /** the case has left the wait another way (a withdrawal) */
  interrupted?: () => boolean;
  /** the term had ended before the wait began (a case registered late): no timer, straight to `whenLate` */
  lateAlready?: boolean;
  /** past the term: flag, escalate, report */
  whenLate: () => Promise<void>;
  /** past the term and still not done: what the case says while it waits on */
  stillOwed?: () => void;
}

/** Waits as the term says; answers whether what was owed came in time, late, or the wait was interrupted. */
export async function awaitWithinTerm(owed: Owed): Promise<'in-time' | 'late' | 'interrupted'> {
  const { done, interrupted = () => false } = owed;
  const inTime =
    !owed.lateAlready && (await condition(() => done() || interrupted(), Math.max(0, owed.dueAt.getTime() - Date.now()), { summary: owed.summary }));
  if (interrupted()) return 'interrupted';
  if (inTime) return 'in-time';
  await owed.whenLate();
  if (!done()) {
    owed.stillOwed?.();
    await condition(() => done() || interrupted());
    if (interrupted()) return 'interrupted';
  }
  return 'late';
}
