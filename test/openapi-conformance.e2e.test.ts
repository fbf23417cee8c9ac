/**
 * The OpenAPI document as the contract an integrator builds from (issue 34), on the real stack (Temporal dev
 * server, PostgreSQL, the HTTP API):
 * - Schemathesis, the conformance fuzzer, runs every check against every operation of the served document: a
 *   schema-valid request refused, a schema-violating one taken, an answer unlike its schema, an undocumented status
 *   or media type, a wrong answer to an undeclared method. What no schema can say is in
 *   test/schemathesis/ (generation hooks, and the statuses an operation may answer for a rule of the standard).
 * - A client generated from the document (openapi-typescript, openapi-fetch) is type-checked and walks one
 *   application from submission to the cabinet; a schema that no longer gives what the walk reads fails the check.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ensureSchemathesis } from '../devtools/tools';
import { PROJECT_ROOT } from '../infra/paths';
import { academicYearOf, sampleIin, sampleSubmission } from './helpers/applications';
import { inHours, startDevStack, type DevStack } from './helpers/dev-stack';
import { PATIENCE_MS, TEST_API_KEY } from './helpers/http';
import { signAs, signingDirOf } from './helpers/officials';

/** The sample submissions' provider unit (devtools/samples.ts), whose development authorised person decides. */
const PROVIDER_UNIT = 'almaty-city-education-department';

jest.setTimeout(15 * PATIENCE_MS);

let stack: DevStack;
let st: string;
let workDir: string;
let doc: { paths: Record<string, Record<string, { operationId: string }>>; components: object };

beforeAll(async () => {
  st = ensureSchemathesis();
  // The fuzzer sends thousands of requests a minute: the test stack's API takes them (the limit has its own tests).
  stack = await startDevStack('openapi-conformance');
  workDir = path.join(stack.dataDir, 'contract');
  fs.mkdirSync(workDir, { recursive: true });
  doc = (await (await fetch(`${stack.baseUrl}/openapi.json`)).json()) as typeof doc;
});
afterAll(async () => {
  await stack?.stop();
});

/** Runs a program to its end without blocking this process (the API under test answers from it). */
function run(command: string, args: string[], env: NodeJS.ProcessEnv = {}, cwd = PROJECT_ROOT): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

/** The failures Schemathesis sums up at the end of its run: `ST202 Schema-valid request rejected: 2`, one a line. */
function failuresOf(output: string): string[] {
  const summary = output.slice(output.lastIndexOf('Failures:'));
  return output.includes('Failures:') ? [...summary.matchAll(/❌ (ST\d+ [^\n]+)/g)].map((m) => m[1].trim()) : [];
}

test('Schemathesis, every check on every operation of the served document, finds nothing', async () => {
  const schemathesisDir = path.join(PROJECT_ROOT, 'test', 'schemathesis');
  const { code, output } = await run(
    st,
    [
      '--config-file',
      path.join(schemathesisDir, 'schemathesis.toml'),
      'run',
      `${stack.baseUrl}/openapi.json`,
      '--header',
      `Authorization: Bearer ${TEST_API_KEY}`,
      '--checks',
      'all',
      '--max-examples',
      '40',
      '--max-redirects',
      '0',
      '--seed',
      process.env.SCHEMATHESIS_SEED ?? '34',
      '--no-color',
    ],
    // Its cache and Python's bytecode stay out of the checkout.
    { SCHEMATHESIS_HOOKS: 'hooks', PYTHONPATH: schemathesisDir, PYTHONDONTWRITEBYTECODE: '1' },
    workDir,
  );
  // Kept after the run (the stack's own folder is not), for whoever reads a failure.
  const log = path.join(PROJECT_ROOT, '.data', 'schemathesis.txt');
  fs.writeFileSync(log, output);
  // Every operation was tested, and none failed (the summary names each failure and its count; the log has them whole).
  // (Schemathesis leaves out the document's own route, /openapi.json, which it loaded.)
  const [, selected, total] = /Selected: (\d+)\/(\d+)/.exec(output) ?? [];
  expect({ selected: Number(selected), tested: Number(/Tested: (\d+)/.exec(output)?.[1]) }).toEqual({
    selected: Number(total),
    tested: Number(total),
  });
  expect(Number(total)).toBe(Object.values(doc.paths).reduce((n, path) => n + Object.keys(path).length, 0) - 1);
  expect({ failures: failuresOf(output), log }).toEqual({ failures: [], log });
  expect({ code, log }).toEqual({ code: 0, log });
  // The stateful phase reached the cases it made (OpenAPI links from the submission's and the complaint's answers).
  expect(output).toMatch(/✅ Stateful/);
});

/** Generates the client's types from `document` into `dir`, beside the walk, and type-checks the two: tsc's output. */
async function generateAndTypeCheck(document: object, dir: string): Promise<{ code: number | null; output: string }> {
  fs.mkdirSync(dir, { recursive: true });
  const source = path.join(workDir, `${path.basename(dir)}.openapi.json`);
  fs.writeFileSync(source, JSON.stringify(document));
  const generated = await run(process.execPath, [
    path.join(PROJECT_ROOT, 'node_modules', 'openapi-typescript', 'bin', 'cli.js'),
    source,
    '-o',
    path.join(dir, 'api.d.ts'),
  ]);
  expect({ code: generated.code, output: generated.output }).toMatchObject({ code: 0 });
  return run(process.execPath, [path.join(PROJECT_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', dir]);
}

interface WalkedDocument {
  kind: string;
  language: string;
  signed: boolean;
}

test('a client generated from the document type-checks, and walks one application from submission to the cabinet', async () => {
  const clientDir = path.join(PROJECT_ROOT, 'test', 'generated-client');
  const checked = await generateAndTypeCheck(doc, clientDir);
  expect(checked).toEqual({ code: 0, output: '' });

  // By its path, so that the project's own type check does not follow it to types generated only here.
  const { walkOneApplication } = (await import(path.join(clientDir, 'walk'))) as {
    walkOneApplication(
      baseUrl: string,
      key: string,
      submission: object,
      patienceMs: number,
      official: { id: string; sign(text: string): Promise<string> },
    ): Promise<{ state: string; documents: WalkedDocument[] }>;
  };
  const submittedAt = inHours();
  const walked = await walkOneApplication(
    stack.baseUrl,
    TEST_API_KEY,
    sampleSubmission({ iin: sampleIin(3_400), submittedAt, academicYear: academicYearOf(submittedAt) }),
    PATIENCE_MS,
    // the provider unit's development authorised person, signing as NCALayer would
    { id: `${PROVIDER_UNIT}-head`, sign: (text) => signAs(signingDirOf(stack.baseUrl)!, `${PROVIDER_UNIT}-head`, text) },
  );
  expect(walked.state).toBe('notified');
  // The result in the cabinet, in both languages, signed (R5).
  expect(
    walked.documents
      .filter((d) => d.kind !== 'intake-receipt')
      .map((d) => [d.language, d.signed])
      .sort(),
  ).toEqual([
    ['kk', true],
    ['ru', true],
  ]);
});

test("a route whose answer no longer gives what the walk reads fails the generated client's type check", async () => {
  // The submission's answer without its cabinetId, as a careless change to answers.ts would serve it.
  const broken = structuredClone(doc) as { paths: Record<string, Record<string, any>> };
  const schema = broken.paths['/applications'].post.responses['202'].content['application/json'].schema;
  delete schema.properties.cabinetId;
  schema.required = schema.required.filter((name: string) => name !== 'cabinetId');

  const dir = path.join(workDir, 'broken-client');
  fs.mkdirSync(dir, { recursive: true });
  for (const file of ['walk.ts', 'tsconfig.json']) fs.copyFileSync(path.join(PROJECT_ROOT, 'test', 'generated-client', file), path.join(dir, file));
  // The copy resolves openapi-fetch from the project's node_modules, as the walk beside it does.
  fs.symlinkSync(path.join(PROJECT_ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  const checked = await generateAndTypeCheck(broken, dir);
  expect(checked.code).not.toBe(0);
  expect(checked.output).toMatch(/walk\.ts\(\d+,\d+\): error TS\d+: Property 'cabinetId' does not exist/);
});
