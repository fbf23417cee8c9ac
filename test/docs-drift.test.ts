/**
 * The documents say what the code does (issue 35), where a machine can tell: every environment variable the
 * service reads is in the README's configuration table with its default; every route is in docs/integrators.md;
 * every CLI command the docs name exists with the flags they show; every state a teacher may ask about is in
 * docs/support.md, and every metric of the service in docs/operators.md. Adding one without its line fails here.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Client } from '@temporalio/client';
import type { Command } from 'commander';
import { buildApi } from '../client/api/server';
import { parseApiKeys } from '../client/api/auth';
import { cliProgram } from '../client/cli/program';
import { COMPLAINT_STATES } from '../domain/complaint';
import { APPLICATION_STATES } from '../domain/lifecycle';
import { createStore } from '../infra/store';
import type { z } from 'zod';
import { decisionDocumentsSchema, signedDecisionSchema, withdrawalSchema } from '../domain/application';
import { complaintDecisionDocumentsSchema, complaintSchema, signedComplaintDecisionSchema } from '../domain/complaint';
import { resultDispatchSchema, resultIssueSchema, resultRequestSchema } from '../domain/custody';
import { restartSchema } from '../client/api/restart';

const root = path.resolve(__dirname, '..');
const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');
/** Every TypeScript source file under the folders, tests aside. */
function sources(...dirs: string[]): Array<{ file: string; text: string }> {
  return dirs.flatMap((dir) =>
    (fs.readdirSync(path.join(root, dir), { recursive: true }) as string[])
      .filter((f) => f.endsWith('.ts'))
      .map((f) => ({ file: path.join(dir, f), text: read(path.join(dir, f)) })),
  );
}

describe('environment variables', () => {
  // What the service and its tools read: its own code, `npm start`, and the tool provisioning; the benchmarks' and
  // the tests' own knobs are documented where they are used (docs/performance.md, the test files).
  const code = [
    ...sources('client', 'worker', 'infra', 'activities', 'workflows', 'domain'),
    ...['devtools/start.ts', 'devtools/tools.ts'].map((file) => ({ file, text: read(file) })),
  ];
  const READ = [/process\.env\.([A-Z][A-Z0-9_]+)/g, /\benv\.([A-Z][A-Z0-9_]+)/g, /(?:requiredEnv|countEnv|durationEnv)\(\s*'([A-Z][A-Z0-9_]+)'/g];
  const read_ = new Map<string, string>();
  for (const { file, text } of code) for (const pattern of READ) for (const m of text.matchAll(pattern)) if (!read_.has(m[1])) read_.set(m[1], file);
  /** The README's configuration tables: a row's first cell names its variables. */
  const documented = new Set(
    read('README.md')
      .split('\n')
      .filter((line) => line.startsWith('| `'))
      .flatMap((line) => [...line.split('|')[1].matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((m) => m[1])),
  );

  test('every variable the code reads has its row in the README', () => {
    const missing = [...read_].filter(([name]) => !documented.has(name)).map(([name, file]) => `${name} (read in ${file})`);
    expect(missing).toEqual([]);
  });

  test('the check reads what it should: it finds variables it knows are read', () => {
    expect([...read_.keys()]).toEqual(
      expect.arrayContaining(['DATABASE_URL', 'PAYLOAD_KEY_ID', 'HOST', 'TASK_QUEUE', 'SIGNING_CERTIFICATE_WARNING_DAYS']),
    );
  });
});

describe('routes', () => {
  test('every route the API serves is in the route table of docs/integrators.md', async () => {
    const store = createStore('postgresql://nobody@127.0.0.1:1/none');
    const app = buildApi({
      client: new Client(),
      store,
      taskQueue: 'docs',
      identitySecret: 'docs',
      apiKeys: parseApiKeys('[{"client":"a","key":"docs-key-0123456789abcdef","scopes":["read"],"role":"administrator"}]'),
    });
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json() as { paths: Record<string, object> };
    await app.close();
    await store.$disconnect();
    const table = read('docs/integrators.md')
      .split('\n')
      .filter((line) => line.startsWith('| `'));
    const documented = new Set(table.flatMap((line) => [...line.split('|')[1].matchAll(/`(GET|POST) ([^`]+)`/g)].map((m) => `${m[1]} ${m[2]}`)));
    const served = Object.entries(doc.paths).flatMap(([p, operations]) =>
      Object.keys(operations).map((method) => `${method.toUpperCase()} ${p.replace(/\{(\w+)\}/g, ':$1')}`),
    );
    expect(served.length).toBeGreaterThan(20);
    expect(served.filter((route) => !documented.has(route))).toEqual([]);
  });
});

describe('CLI commands in the docs', () => {
  /** Each command by its path (`calendar add-override`), with its long flags. */
  const commands = new Map<string, Set<string>>();
  const walk = (command: Command, prefix: string[]) => {
    for (const sub of command.commands) {
      const name = [...prefix, sub.name()];
      commands.set(name.join(' '), new Set(sub.options.map((o) => o.long!).filter(Boolean)));
      walk(sub, name);
    }
  };
  walk(cliProgram(), []);
  /** Every `cli <command> …` the docs show, in code spans and blocks: `npm run cli -- x`, `npm run --silent cli -- x`, `cli x`. */
  const mentions = [
    'README.md',
    ...fs
      .readdirSync(path.join(root, 'docs'))
      .filter((f) => f.endsWith('.md'))
      .map((f) => `docs/${f}`),
  ].flatMap((file) =>
    [...read(file).matchAll(/(?:npm run(?: --silent| -s)? cli --|(?<![\w-])cli) ((?:[a-z][a-z-]*)(?: [a-z][a-z-]*)?)((?: [^`\n|]*)?)/g)].map((m) => ({
      file,
      words: m[1].split(' '),
      rest: m[2],
    })),
  );

  test('the docs name commands (the check sees them)', () => {
    expect(mentions.length).toBeGreaterThan(10);
  });

  test('every command the docs name exists, with every flag they show', () => {
    const wrong: string[] = [];
    for (const { file, words, rest } of mentions) {
      // `cli calendar add-override` names a subcommand; `cli stuck --json` a command and its flags.
      const name = commands.has(words.join(' ')) ? words.join(' ') : words[0];
      const flags = commands.get(name);
      if (!flags) {
        wrong.push(`${file}: cli ${words.join(' ')} — no such command`);
        continue;
      }
      for (const flag of rest.match(/--[a-z][a-z-]*/g) ?? [])
        if (!flags.has(flag) && flag !== '--help') wrong.push(`${file}: cli ${name} ${flag} — no such flag`);
    }
    expect(wrong).toEqual([]);
  });
});

describe('states and metrics', () => {
  test('every state of an application and of a complaint is in docs/support.md, for the person a teacher asks', () => {
    const support = read('docs/support.md');
    expect([...APPLICATION_STATES, ...COMPLAINT_STATES].filter((state) => !support.includes(`\`${state}\``))).toEqual([]);
  });

  test("every metric of the service's own is in docs/operators.md", () => {
    const names = new Set(
      sources('workflows', 'worker', 'activities', 'infra').flatMap(({ text }) => [...text.matchAll(/'(attestation_[a-z_]+)'/g)].map((m) => m[1])),
    );
    expect(names.size).toBeGreaterThan(5);
    const operators = read('docs/operators.md');
    expect([...names].filter((name) => !operators.includes(name))).toEqual([]);
  });
});

describe('the CLI at parity with the API', () => {
  /** Each command that sends a body, the body's schema, and the flag of each of its fields. */
  const PARITY: Array<[string, z.ZodObject, Record<string, string | string[] | { notOffered: string }>]> = [
    [
      'decide',
      signedDecisionSchema() as unknown as z.ZodObject,
      {
        decision: '--decision',
        grounds: '--grounds',
        motivation: ['--motivation-kk', '--motivation-ru'],
        official: '--official',
        preparedAt: '--prepared-at',
        signatures: ['--signature-kk', '--signature-ru'],
      },
    ],
    [
      'prepare-decision',
      decisionDocumentsSchema() as unknown as z.ZodObject,
      { decision: '--decision', grounds: '--grounds', motivation: ['--motivation-kk', '--motivation-ru'], official: '--official' },
    ],
    ['withdraw', withdrawalSchema(), { reason: '--reason' }],
    [
      'complain',
      complaintSchema(),
      {
        addressee: '--to',
        subject: '--subject',
        text: '--text',
        grounds: '--ground',
        restorationReason: '--restoration-reason',
        submittedAt: '--submitted-at',
        attachments: { notOffered: "a complaint's files come from the applicant's own system, which sends them through the API" },
      },
    ],
    [
      'decide-complaint',
      signedComplaintDecisionSchema(),
      {
        outcome: '--outcome',
        motivation: ['--motivation-kk', '--motivation-ru'],
        official: '--official',
        periodRestored: '--period-restored',
        preparedAt: '--prepared-at',
        signatures: ['--signature-kk', '--signature-ru'],
      },
    ],
    [
      'prepare-complaint-decision',
      complaintDecisionDocumentsSchema(),
      { outcome: '--outcome', motivation: ['--motivation-kk', '--motivation-ru'], official: '--official', periodRestored: '--period-restored' },
    ],
    ['issue-result', resultIssueSchema(), { to: '--to', place: '--at-home', powerOfAttorney: '--power-of-attorney', official: '--official' }],
    ['request-result', resultRequestSchema(), { official: '--official' }],
    ['dispatch-result', resultDispatchSchema(), { official: '--official' }],
    ['restart-case', restartSchema(), { by: '--by', why: '--why' }],
  ];
  const program = cliProgram();

  test.each(PARITY)('cli %s has a flag for every field of its route’s body', (name, schema, flags) => {
    const command = program.commands.find((c) => c.name() === name)!;
    const offered = new Set(command.options.map((o) => o.long));
    expect(Object.keys(schema.shape).sort()).toEqual(Object.keys(flags).sort());
    // a text in both languages has a flag for each (issue 31)
    for (const [field, given] of Object.entries(flags))
      for (const flag of typeof given === 'string' ? [given] : Array.isArray(given) ? given : [])
        expect({ field, flag, offered: offered.has(flag) }).toEqual({ field, flag, offered: true });
  });
});
