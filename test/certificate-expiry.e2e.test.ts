/**
 * Signing certificates near their end (issue 35), on the real parts: the worker as its own process (worker/main.ts
 * with SIGNERS_FILE) on a Temporal dev server and PostgreSQL, and the API. Certificates with ten days left show in
 * `/healthz` (for a reader) and on the worker's metrics and log; a unit whose next certificate is configured beside
 * the current one is not warned about, and its next certificate signs from its notBefore on.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { Client, Connection } from '@temporalio/client';
import { buildApi } from '../client/api/server';
import { parseApiKeys, SCOPES } from '../client/api/auth';
import { certificateWarnings } from '../infra/certificate-expiry';
import { DevelopmentCa } from '../infra/development-ca';
import { shippedProviderUnits } from '../infra/provider-units';
import { ConfiguredSigners, signingCertificatesFromEnvironment } from '../infra/signers';
import { eventually, PATIENCE_MS, TEST_API_KEY } from './helpers/http';
import { freePort } from './helpers/ports';
import { everyUnitsKeys } from './helpers/signers-file';
import { startTestDatabase, startWorkerProcess, type TestDatabase } from './helpers/service';
import { startTestTemporal, type TestTemporal } from './helpers/temporal';
import { stopProcess } from '../devtools/temporal-server';

jest.setTimeout(4 * PATIENCE_MS);

const DAY = 86_400_000;
let database: TestDatabase;
let server: TestTemporal;
let worker: ChildProcess;
let workerLog: string;
let metricsPort: number;
let signersFile: string;

/** Ten days left for the tops of the tree; Almaty's current one as short, with its next one configured beside it. */
function writeSigners(dir: string, now: Date): string {
  const ca = DevelopmentCa.create();
  fs.writeFileSync(path.join(dir, 'ca.pem'), ca.certPem);
  const issue = (name: string, person: string, from: Date, days: number) => {
    const made = ca.issue(person, name, { from, days });
    fs.writeFileSync(path.join(dir, `${name}.key.pem`), made.keyPem);
    fs.writeFileSync(path.join(dir, `${name}.cert.pem`), made.certPem);
    return { keyFile: `${name}.key.pem`, certFile: `${name}.cert.pem` };
  };
  const tenDaysLeft = (name: string, person: string) => issue(name, person, new Date(now.getTime() - 355 * DAY), 365);
  const file = path.join(dir, 'signers.json');
  fs.writeFileSync(
    file,
    JSON.stringify({
      trustAnchorsFile: 'ca.pem',
      // every unit its own key (issue 31); the tops of the tree and Almaty with ten days left
      signers: everyUnitsKeys(dir, ca, shippedProviderUnits(), {
        instead: {
          'ministry-of-education': tenDaysLeft('ministry', 'Жумабекова Алия Маратовна'),
          'quality-authority': tenDaysLeft('authority', 'Касымова Гульнара Ериковна'),
          'state-corporation': tenDaysLeft('gov4c', 'Омаров Данияр Сагатович'),
          'almaty-city-education-department': {
            ...tenDaysLeft('almaty', 'Ахметова Динара Кайратовна'),
            next: issue('almaty-next', 'Ахметова Динара Кайратовна', new Date(now.getTime() + 5 * DAY), 365),
          },
        },
      }),
    }),
  );
  return file;
}

beforeAll(async () => {
  database = await startTestDatabase('attestation-certificates-');
  server = await startTestTemporal(database.dataDir, database.db.url);
  signersFile = writeSigners(database.dataDir, new Date());
  metricsPort = await freePort();
  workerLog = path.join(database.dataDir, 'worker.log');
  worker = startWorkerProcess(
    {
      DATABASE_URL: database.db.url,
      TEMPORAL_ADDRESS: server.address,
      NOTIFIER_URL: 'http://127.0.0.1:9/notifications',
      MONITORING_URL: 'http://127.0.0.1:9/stages',
      SIGNERS_FILE: signersFile,
      METRICS_ADDRESS: `127.0.0.1:${metricsPort}`,
      DATA_DIR: database.dataDir,
      TASK_QUEUE: 'certificate-expiry',
    },
    workerLog,
  );
});
afterAll(async () => {
  if (worker) await stopProcess(worker);
  await server?.stop();
  await database?.stop();
});

test('ten days left: the worker starts, and its metrics and log say so for each unit; the one with a next certificate is not warned about', async () => {
  const metrics = await eventually(
    () =>
      fetch(`http://127.0.0.1:${metricsPort}/metrics`)
        .then((r) => r.text())
        .catch(() => ''),
    (text) => text.includes('attestation_signing_certificate_days_left'),
  );
  const daysLeft = (unit: string, slot: string) =>
    Number(new RegExp(`attestation_signing_certificate_days_left\\{[^}]*slot="${slot}"[^}]*unit="${unit}"[^}]*\\} (\\d+)`).exec(metrics)?.[1]);
  expect(daysLeft('ministry-of-education', 'current')).toBeGreaterThanOrEqual(9);
  expect(daysLeft('ministry-of-education', 'current')).toBeLessThanOrEqual(10);
  expect(daysLeft('almaty-city-education-department', 'current')).toBeLessThanOrEqual(10);
  expect(daysLeft('almaty-city-education-department', 'next')).toBeGreaterThan(360);

  const log = fs.readFileSync(workerLog, 'utf8');
  for (const unit of ['ministry-of-education', 'quality-authority', 'state-corporation']) {
    expect(log).toMatch(new RegExp(`"level":"warn","message":"the signing certificate of ${unit} \\(.*\\) expires .*, in (9|10) day\\(s\\)`));
  }
  expect(log).not.toMatch(/the signing certificate of almaty-city-education-department/);
});

test('/healthz warns a reader of each unit whose signing ends within the warning period; a stranger sees only the status', async () => {
  const connection = await Connection.connect({ address: server.address });
  const api = buildApi({
    client: new Client({ connection }),
    store: database.store,
    taskQueue: 'certificate-expiry',
    identitySecret: 'certificates',
    apiKeys: parseApiKeys(JSON.stringify([{ client: 'operator', key: TEST_API_KEY, scopes: [...SCOPES], role: 'administrator' }])),
    signingCertificates: () => signingCertificatesFromEnvironment(database.dataDir, { SIGNERS_FILE: signersFile }),
    certificateWarningDays: 30,
  });
  try {
    const reader = await api.inject({ method: 'GET', url: '/healthz', headers: { authorization: `Bearer ${TEST_API_KEY}` } });
    const { warnings } = reader.json() as { warnings: string[] };
    expect(warnings.map((w) => /of ([a-z-]+) /.exec(w)?.[1]).sort()).toEqual(['ministry-of-education', 'quality-authority', 'state-corporation']);
    expect(warnings[0]).toMatch(/configure the next one beside it \(SIGNERS_FILE "next"\), or the worker will not start after that$/);
    const stranger = await api.inject({ method: 'GET', url: '/healthz' });
    expect(stranger.json()).not.toHaveProperty('warnings');
  } finally {
    await api.close();
    await connection.close();
  }
});

test("a unit's next certificate signs from its notBefore on; before, the current one", () => {
  const now = Date.now();
  const signersAt = (at: number) => new ConfiguredSigners(signersFile, shippedProviderUnits(), {}, () => new Date(at));
  const almaty = (at: number) => signersAt(at).forUnit('almaty-city-education-department').signer.identity();
  expect(almaty(now).notAfter.getTime()).toBeLessThan(now + 11 * DAY);
  expect(almaty(now + 6 * DAY).notAfter.getTime()).toBeGreaterThan(now + 360 * DAY);
  // The warning's threshold: with 30 days' notice the tops are warned about, with 5 days' none is.
  const certificates = signingCertificatesFromEnvironment(database.dataDir, { SIGNERS_FILE: signersFile });
  expect(certificateWarnings(certificates, new Date(now), 30)).toHaveLength(3);
  expect(certificateWarnings(certificates, new Date(now), 5)).toEqual([]);
});
