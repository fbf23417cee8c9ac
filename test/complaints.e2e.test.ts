/**
 * Complaints on the real stack (R13): filed through the API into a workflow of their own, refused when they are bad, and a complaint ended by
 * hand. The stack's workflows run on the machine's clock, so deciding a complaint (which waits for its registration, R7) is tried in
 * complaints.api, where the clock is moved.
 * The stack is test/helpers/dev-stack.ts.
 */
import { ComplaintAddresseeKey } from '../domain/search-attributes';
import { workflowIdFor } from '../infra/identity';
import { sampleIin, sampleSubmission } from './helpers/applications';
import { deadline, registrationMoment } from './helpers/clock';
import { eventually } from './helpers/http';
import { inHours, startDevStack, type DevStack } from './helpers/dev-stack';

let stack: DevStack;
let client: DevStack['client'];
let http: DevStack['http'];

beforeAll(async () => {
  stack = await startDevStack('complaints');
  ({ client, http } = stack);
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

describe('complaints end to end (real Temporal dev server and PostgreSQL)', () => {
  test('a complaint goes in through the API, gets its own workflow and clock, and bad complaints are refused (R13)', async () => {
    const applicationId = await stack.delivered(sampleSubmission({ iin: sampleIin(1212), submittedAt: inHours() }), {
      decision: 'refuse',
      grounds: [1],
      motivation: { kk: 'the diploma could not be verified (kk)', ru: 'the diploma could not be verified' },
      official: 'A. Head',
    });

    const route = `/applications/${applicationId}/complaints`;
    expect((await http('POST', route, { addressee: 'minister', text: 'x' })).body.error).toMatchObject({ code: 'invalid-field', field: 'addressee' });
    expect((await http('POST', route, { addressee: 'provider', text: 'x', cc: 'press' })).body.error).toMatchObject({
      code: 'unknown-field',
      field: 'cc',
    });
    expect((await http('POST', route, { addressee: 'provider' })).body.error).toMatchObject({ code: 'missing-field', field: 'text' });
    expect((await http('POST', '/applications/00000000-0000-8000-8000-00000000beef/complaints', { addressee: 'provider', text: 'x' })).status).toBe(
      404,
    );

    // Decided after its term (dated a few working days back), the case leaves two things to contest (issue 27).
    const unnamed = await http('POST', route, { addressee: 'provider', text: 'The diploma is in the register.' });
    expect(unnamed.status).toBe(400);
    expect(unnamed.body.error).toMatchObject({ code: 'missing-field', field: 'subject', rule: 'R13' });
    expect(unnamed.body.error.message).toContain('(subject: result | lateness)');
    const submittedAt = new Date();
    const filed = await http('POST', route, {
      addressee: 'provider',
      subject: 'result',
      text: 'The diploma is in the register.',
      submittedAt: submittedAt.toISOString(),
    });
    expect(filed.status).toBe(202);
    const { complaintId, registeredAt, dueAt, workflowId } = filed.body;
    // R7, R13 by the published calendar: registered at the next working moment, due 5 working days later.
    expect(registeredAt).toBe(registrationMoment(submittedAt).toISOString());
    expect(dueAt).toBe(deadline(registrationMoment(submittedAt), 5).toISOString());
    const child = await client.workflow.getHandle(workflowId).describe();
    expect(child.type).toBe('complaintWorkflow');
    expect(child.parentExecution?.workflowId).toBe(workflowIdFor(applicationId));
    expect(child.typedSearchAttributes.get(ComplaintAddresseeKey)).toBe('provider');

    const shown = await eventually(
      () => http('GET', `/complaints/${complaintId}`),
      (r) => r.status === 200 && r.body.state !== 'received',
    );
    expect(shown.body).toMatchObject({ complaintId, applicationId, addressee: 'provider', registeredAt, dueAt, overdue: false });
    const application = await http('GET', `/applications/${applicationId}`);
    expect(application.body.state).toBe('contested');
    expect(application.body.complaints).toEqual([expect.objectContaining({ complaintId, addressee: 'provider', outcome: null })]);
    // A second complaint to the body reviewing the first is registered with its own clock, never refused (R7, R13).
    const twice = await http('POST', route, { addressee: 'provider', subject: 'result', text: 'Again.' });
    expect(twice.status).toBe(202);
    expect(twice.body.complaintId).not.toBe(complaintId);
    expect(
      (
        await eventually(
          () => http('GET', `/applications/${applicationId}`),
          (r) => r.body.complaints.length === 2,
        )
      ).body.complaints,
    ).toEqual([
      expect.objectContaining({ complaintId, outcome: null }),
      expect.objectContaining({ complaintId: twice.body.complaintId, outcome: null }),
    ]);
    expect(
      (await http('POST', `/complaints/${complaintId}/decision`, { outcome: 'maybe', motivation: { kk: 'm (kk)', ru: 'm' }, official: 'o' })).body
        .error,
    ).toMatchObject({ field: 'outcome' });

    // Deciding it, and deciding before its registration, are tried where the clock can be moved (complaints.api).
    await client.workflow.getHandle(workflowIdFor(applicationId)).terminate('test over');
  });

  test('a complaint workflow ended by hand settles nothing: the case stops waiting for it and stays open for complaints (R13)', async () => {
    const applicationId = await stack.delivered(sampleSubmission({ iin: sampleIin(1717), submittedAt: inHours() }));
    const filed = (
      await http('POST', `/applications/${applicationId}/complaints`, {
        addressee: 'quality-authority',
        subject: 'result',
        text: 'Filed by mistake.',
      })
    ).body;
    await client.workflow.getHandle(filed.workflowId).terminate('filed by mistake (support)');
    const after = await eventually(
      () => http('GET', `/applications/${applicationId}`),
      (r) => r.body.state === 'notified',
    );
    expect(after.body.complaints).toEqual([expect.objectContaining({ complaintId: filed.complaintId, outcome: null, endedWithoutDecision: true })]);
    expect(after.body.preTrialCompletedAt).toBeNull(); // not the authority's decision: the stage goes on
    const again = await http('POST', `/applications/${applicationId}/complaints`, {
      addressee: 'quality-authority',
      subject: 'result',
      text: 'The real complaint.',
    });
    expect(again.status).toBe(202);
    await client.workflow.getHandle(workflowIdFor(applicationId)).terminate('test over');
  });
});
