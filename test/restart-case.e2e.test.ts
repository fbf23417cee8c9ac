/**
 * Starting a case again (issue 35), on the real stack: a case whose run was terminated by mistake is started again
 * by the CLI's `restart-case`, from the application its run was started with, under the same id, and completes;
 * a running case, a completed one and an unknown one are refused, and a key without the operate scope is refused.
 */
import { academicYearOf, sampleIin, sampleSubmission } from './helpers/applications';
import { cliAsync } from './helpers/cli';
import { inHours, READ_ONLY_KEY, startDevStack, type DevStack } from './helpers/dev-stack';
import { eventually, PATIENCE_MS, TEST_API_KEY } from './helpers/http';
import { workflowIdFor } from '../infra/identity';

jest.setTimeout(6 * PATIENCE_MS);

let stack: DevStack;
let cliEnv: NodeJS.ProcessEnv;

beforeAll(async () => {
  stack = await startDevStack('restart-case');
  cliEnv = { API_URL: stack.baseUrl, API_KEY: TEST_API_KEY };
});
afterAll(async () => {
  await stack?.stop();
});

const state = (id: string, wanted: string) =>
  eventually(
    () => stack.http('GET', `/applications/${id}`),
    (r) => r.body.state === wanted,
  );

test('a case terminated by mistake is started again by the command, once, and completes', async () => {
  const submittedAt = inHours();
  const submitted = await stack.http(
    'POST',
    '/applications',
    sampleSubmission({ iin: sampleIin(3_501), submittedAt, academicYear: academicYearOf(submittedAt) }),
  );
  expect(submitted.status).toBe(202);
  const id = submitted.body.applicationId as string;
  await state(id, 'under-review');

  // Running: nothing to start again.
  const running = await cliAsync(['restart-case', id, '--by', 'A. Operator', '--why', 'a test'], { env: cliEnv });
  expect(running.status).not.toBe(0);
  expect(`${running.stdout}${running.stderr}`).toMatch(/restart-not-allowed/);
  expect(`${running.stdout}${running.stderr}`).toMatch(/is running; there is nothing to start again/);

  await stack.client.workflow.getHandle(workflowIdFor(id)).terminate('ended by mistake (test)');
  // A support key reads, and may not start a case again.
  const reader = await stack.http('POST', `/support/cases/${id}/restart`, { by: 'A', why: 'b' }, undefined, {
    authorization: `Bearer ${READ_ONLY_KEY}`,
  });
  expect(reader.status).toBe(403);

  const restarted = await cliAsync(['restart-case', id, '--by', 'A. Operator', '--why', 'terminated by mistake; see ticket 42'], { env: cliEnv });
  expect(restarted).toMatchObject({ status: 0, stderr: '' });
  expect(JSON.parse(restarted.stdout)).toEqual({
    applicationId: id,
    workflowId: workflowIdFor(id),
    runId: expect.any(String),
    endedRun: { status: 'TERMINATED', closedAt: expect.any(String) },
  });
  // Once: the new run is running.
  const again = await stack.http('POST', `/support/cases/${id}/restart`, { by: 'A. Operator', why: 'twice' });
  expect(again.status).toBe(409);
  expect(again.body.error.code).toBe('restart-not-allowed');

  // The same application, the same id: it is reviewed, decided and delivered.
  await state(id, 'under-review');
  expect((await stack.http('POST', `/applications/${id}/decision`, { decision: 'accept', official: 'A. Head' })).status).toBe(200);
  const delivered = await state(id, 'notified');
  expect(delivered.body.notices.map((n: { kind: string; language: string }) => n.language).sort()).toEqual(expect.arrayContaining(['kk', 'ru']));
  const description = await stack.client.workflow.getHandle(workflowIdFor(id)).describe();
  expect(await description.staticDetails()).toMatch(/^Started again by A\. Operator \(client e2e\): terminated by mistake; see ticket 42\./);
});

test('an unknown case is 404, and a body without who and why is 400 naming the field', async () => {
  const unknown = await stack.http('POST', '/support/cases/00000000-0000-8000-8000-00000000beef/restart', { by: 'A', why: 'b' });
  expect(unknown.status).toBe(404);
  const bare = await stack.http('POST', '/support/cases/00000000-0000-8000-8000-00000000beef/restart', { by: 'A' });
  expect(bare.status).toBe(400);
  expect(bare.body.error.field).toBe('why');
});
