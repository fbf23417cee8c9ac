/**
 * The automatic check at registration under time skipping: every defect found by rule refused at once (R8, R9).
 * The harness is test/helpers/workflow-harness.ts.
 */
import { essayOf, sampleInput, sampleSubmission } from './helpers/applications';
import { registrationMoment } from './helpers/clock';
import {
  fakeActivities,
  withWorker,
  recordHistory,
  skipTo,
  startApplication,
  until,
  closeAfterComplaintPeriod,
  serverTime,
  freshServerPerTest,
} from './helpers/workflow-harness';

freshServerPerTest();

describe('the automatic check (time skipping)', () => {
  describe('refused automatically, every defect listed (R9)', () => {
    /** Runs an application submitted now through registration and returns its outcome and the recorded decision. */
    async function outcomeOf(overrides: Parameters<typeof sampleInput>[1], records = { education: true, employment: true }) {
      const fake = fakeActivities();
      fake.activities.lookUpStateRecords = jest.fn(async () => records);
      const now = new Date(await serverTime());
      const input = sampleInput(now.toISOString(), overrides);
      return withWorker(fake.activities, async (taskQueue) => {
        const handle = await startApplication(taskQueue, input);
        await skipTo(new Date(registrationMoment(now).getTime() + 1000));
        const reached = await until(handle, (s) => s.state === 'under-review' || s.state === 'notified');
        if (reached.state === 'under-review') {
          await handle.terminate('went to review');
          return { state: reached.state, decisions: fake.decisions, notices: fake.notices, gateway: fake.activities.lookUpStateRecords };
        }
        const status = await closeAfterComplaintPeriod(handle);
        const testName = (expect.getState().currentTestName ?? '').split('(R9)').pop()!;
        await recordHistory(
          handle,
          `refused-automatically-${testName
            .toLowerCase()
            .replace(/[^a-z0-9]+/g, '-')
            .replace(/^-|-$/g, '')}`,
        );
        return {
          state: status.state,
          refusalGrounds: status.refusalGrounds,
          decisions: fake.decisions,
          notices: fake.notices,
          gateway: fake.activities.lookUpStateRecords,
        };
      });
    }

    test.each([
      [249, 'closed'],
      [250, 'under-review'],
      [300, 'under-review'],
      [301, 'closed'],
    ])('an essay of %i words: %s (R8 p. 9, ground 2)', async (words, state) => {
      const outcome = await outcomeOf({ essay: essayOf(words) });
      expect(outcome.state).toBe(state);
      if (state === 'closed') {
        expect(outcome.refusalGrounds).toEqual([2]);
        expect(outcome.decisions[0].motivation!.ru).toContain(`эссе содержит ${words} слов`);
        expect(outcome.decisions[0].motivation!.kk).toContain(`эссе ${words} сөзден тұрады`);
        expect(outcome.notices).toEqual(['refusal']);
      }
    });

    test('no consent to personal-data access is ground 3', async () => {
      const outcome = await outcomeOf({ personalDataConsent: false });
      expect(outcome).toMatchObject({ state: 'closed', refusalGrounds: [3] });
    });

    test('without consent, the state records are never read: ground 3 at once, the other defects still listed', async () => {
      const outcome = await outcomeOf({ personalDataConsent: false, essay: essayOf(40), documents: [] }, { education: false, employment: false });
      expect(outcome.gateway).not.toHaveBeenCalled();
      expect(outcome).toMatchObject({ state: 'closed', refusalGrounds: [2, 3] });
      const [decision] = outcome.decisions;
      // The documents the state systems would supply are not judged without the records; the attached ones are.
      expect(decision.defects).toEqual([
        { ground: 3, code: 'no-consent' },
        { ground: 2, code: 'essay-length', words: 40, min: 250, max: 300 },
      ]);
      expect(decision.official).toBeNull(); // issued in the name of the provider's authorised person (R5)
    });

    test('a teacher confirming a category held must attach its certificate and order (R8 item 6); one seeking a category need not', async () => {
      const documents = sampleSubmission({ category: 'master' }).documents;
      const confirming = await outcomeOf({ category: 'master', channel: 'portal', purpose: 'confirm', documents });
      expect(confirming).toMatchObject({ state: 'closed', refusalGrounds: [2] });
      expect(confirming.decisions[0].defects).toEqual([
        { ground: 2, code: 'missing-document', document: 'category-certificate', notInStateSystems: false },
      ]);
      expect(confirming.gateway).toHaveBeenCalledTimes(1);
      const assigning = await outcomeOf({ category: 'master', channel: 'portal', purpose: 'assign', documents });
      expect(assigning.state).toBe('under-review');
    });

    test('a missing document and a short essay are both listed, grounds 2', async () => {
      const outcome = await outcomeOf(
        { category: 'researcher', channel: 'portal', documents: [], essay: essayOf(10) },
        { education: false, employment: true },
      );
      expect(outcome).toMatchObject({ state: 'closed', refusalGrounds: [2] });
      const motivation = outcome.decisions[0].motivation!.ru;
      // issue 31: the Kazakh document words the same defects in Kazakh
      expect(outcome.decisions[0].motivation!.kk).toContain('білімі туралы құжат ұсынылмаған');
      expect(motivation).toContain('эссе содержит 10 слов');
      expect(motivation).toContain('сертификат о прохождении курсов повышения квалификации');
      expect(motivation).toContain('не представлен документ об образовании (сведения в государственных информационных системах отсутствуют)');
      expect(motivation).not.toContain('документ, подтверждающий трудовую деятельность');
    });

    test('a document the systems lack is no defect when the applicant attached it (R8)', async () => {
      const documents = [
        ...sampleSubmission({ category: 'master' }).documents,
        { kind: 'diploma' as const, fileName: 'd.pdf', sha256: 'b'.repeat(64) },
      ];
      const outcome = await outcomeOf({ category: 'master', channel: 'portal', documents }, { education: false, employment: true });
      expect(outcome.state).toBe('under-review');
    });
  });
});
