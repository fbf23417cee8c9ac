/**
 * R5, R14 (earlier standard): the result of a State Corporation case is a paper that travels. It waits at the
 * State Corporation for a month; uncollected, it goes back to the provider, who sends it again within a working
 * day when the applicant asks. The State Corporation and the provider report each step through an update,
 * which the main flow takes at its next safe point and answers once it is recorded.
 */
import { condition, setCurrentDetails } from '@temporalio/workflow';
import { formatInstant } from '../domain/calendar';
import { custodyBeforeResult, type CustodyEvent, type CustodyStep } from '../domain/custody';
import { storageEnd } from '../domain/standards';
import type { CustodyRecord } from '../activities';
import type { ApplicationCase } from './case-state';
import type { ApplicationStatus } from './messages';
import { caseStore } from './proxies';
import { awaitWithinTerm } from './terms';

export class ResultCustody {
  private readonly reported: CustodyEvent[] = [];
  private applied = 0;
  /** tells apart the State Corporation's reports (CustodyRecord.occurrence) */
  private steps = 0;

  constructor(private readonly kase: ApplicationCase) {}

  /** A step reported and not yet taken by the main flow. */
  pending(): boolean {
    return this.reported.length > 0;
  }

  /**
   * The State Corporation's or the provider's report of a step (its guard let it through: it is its turn),
   * answered once the main flow has recorded it.
   */
  async report(event: CustodyEvent): Promise<ApplicationStatus> {
    this.reported.push(event);
    const awaited = this.applied + this.reported.length;
    await condition(() => this.applied >= awaited);
    return this.kase.status;
  }

  /** A step of the result's way, reported to monitoring and to whom it concerns (R12, R14). */
  async record(event: CustodyStep, details: Pick<CustodyRecord, 'dueAt' | 'issuedTo' | 'newResult'> = {}): Promise<void> {
    await caseStore.recordCustody({
      applicationId: this.kase.id,
      state: this.kase.status.state,
      view: this.kase.status,
      event,
      occurrence: `k${++this.steps}`,
      ...details,
    });
  }

  /** R5, R14: the result's way until the applicant collects it; answers when it was issued. */
  async untilCollected(): Promise<string> {
    const { kase } = this;
    const custody = kase.status.custody!;
    const kept = kase.standard.uncollectedResults!;
    // A new round's result (after an upheld complaint) starts its own way; the last round's is in the history.
    Object.assign(custody, custodyBeforeResult(custody.place));
    let newResult = true;
    for (;;) {
      kase.fire({ type: 'RESULT_SENT_TO_STATE_CORPORATION' });
      custody.atStateCorporationAt = new Date().toISOString();
      const storedUntil = storageEnd(kept, new Date());
      custody.storageEndsAt = storedUntil.toISOString();
      await this.record('result-at-state-corporation', { dueAt: custody.storageEndsAt, newResult });
      newResult = false;
      const until = formatInstant(storedUntil);
      setCurrentDetails(
        `The result is at the State Corporation, to be ${custody.place === 'home' ? 'brought to the applicant at home (R11)' : 'collected'} by ${until}; then returned to the provider (R14)`,
      );
      if (
        await condition(() => this.reported.length > 0, storedUntil.getTime() - Date.now(), {
          summary: `kept at the State Corporation until ${until} (R14)`,
        })
      ) {
        const issued = this.take('issued');
        custody.issuedAt = new Date().toISOString();
        custody.issuedTo = issued.to;
        kase.fire({ type: 'RESULT_COLLECTED' });
        await this.record('result-issued', { issuedTo: issued.to });
        this.applied++;
        return custody.issuedAt;
      }

      kase.fire({ type: 'STORAGE_PERIOD_ENDED' });
      custody.returnedToProviderAt = new Date().toISOString();
      await this.record('returned-to-provider');
      setCurrentDetails('Not collected within a month: returned to the provider; served within a working day if the applicant asks (R14)');
      await condition(() => this.reported.length > 0);
      this.take('requested');
      const requestedAt = new Date();
      custody.requestedAt = requestedAt.toISOString();
      const dueAt = kase.calendar.deadline(kase.calendar.registrationMoment(requestedAt), kept.laterRequestWorkingDays);
      custody.resendDueAt = dueAt.toISOString();
      kase.fire({ type: 'RESULT_REQUESTED' });
      await this.record('result-requested', { dueAt: custody.resendDueAt });
      this.applied++;
      const due = formatInstant(dueAt);
      setCurrentDetails(`Asked for again: the provider sends the result to the State Corporation by ${due} (R14)`);
      await awaitWithinTerm({
        done: () => this.reported.length > 0,
        dueAt,
        summary: `the provider sends the result back by ${due} (R14)`,
        // Late is a flag with an escalation, as for the decision: the result is still owed.
        whenLate: async () => {
          kase.fire({ type: 'RESEND_DEADLINE_PASSED' });
          await this.record('resend-overdue', { dueAt: custody.resendDueAt! });
          setCurrentDetails(`OVERDUE: the provider was to send the result to the State Corporation by ${due} (R14)`);
        },
      });
      this.take('sent-again');
      this.applied++;
    }
  }

  /** The next reported step, which the update's guard has already matched to the case's state. */
  private take<K extends CustodyEvent['event']>(kind: K): Extract<CustodyEvent, { event: K }> {
    const event = this.reported.shift()!;
    if (event.event !== kind) throw new Error(`expected ${kind}, got ${event.event}`); // the guard forbids it
    return event as Extract<CustodyEvent, { event: K }>;
  }
}
