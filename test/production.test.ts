/**
 * A production deployment is closed by default: started with NODE_ENV=production and none of the development
 * fallbacks' replacements, the worker and the API each refuse to start and say why; and the settings that
 * reach Temporal over TLS are read whole or refused by name.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { API_REQUIREMENTS } from '../client/api-production';
import { BrowserSessions } from '../client/api/sessions';
import type { Scope } from '../client/api/auth';
import { productionProblems } from '../infra/production';
import { temporalConnectionFromEnvironment } from '../infra/temporal-connection';
import { WORKER_REQUIREMENTS } from '../worker/production';
import { signingKeysReadable, signingServicesOverHttp } from '../infra/signers';
import { keyMayTravelTo } from '../client/cli/terminal';

/** A secret as `openssl rand` makes one: 32 characters, most of them different. */
const secret = (seed: string) => `${seed}-0123456789abcdefghijklmnopqrstu`.slice(0, 32);

const root = path.join(__dirname, '..');

/** A SMARTBRIDGE_FILE as a deployment writes one (issue 33), with `overrides`: its path. */
function gatewayFile(overrides: object = {}): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'smartbridge-')), 'smartbridge.json');
  const settings = {
    endpoint: 'https://shep.internal/bip-sync-wss-gost/',
    senderId: 'teacher-attestation',
    passwordEnv: 'SMARTBRIDGE_PASSWORD',
    services: { person: 'GBDFL', education: 'EDU', employment: 'EMP' },
    signing: { keyFile: 'k.pem', certFile: 'c.pem' },
    trustAnchorsFile: 'ca.pem',
  };
  fs.writeFileSync(file, JSON.stringify({ ...settings, ...overrides }));
  return file;
}

/** Starts a process of the service as a deployment would, with only the environment given; answers how it ended. */
function start(entry: string, env: NodeJS.ProcessEnv) {
  const run = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, entry)], {
    cwd: root,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: run.status, stderr: run.stderr };
}

describe('production is closed by default', () => {
  test('the worker started with NODE_ENV=production and no keys refuses, naming each missing setting', () => {
    const run = start('worker/main.ts', { NODE_ENV: 'production', DATABASE_URL: 'postgresql://nobody@127.0.0.1:1/none' });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('the worker refuses to start with NODE_ENV=production');
    for (const setting of ['PAYLOAD_KEYS', 'SIGNERS_FILE', 'SMARTBRIDGE_FILE']) expect(run.stderr).toContain(`${setting} is not set`);
    for (const secret of ['NOTIFIER_WEBHOOK_SECRET', 'MONITORING_WEBHOOK_SECRET'])
      expect(run.stderr).toContain(`${secret} must be at least 32 characters`);
  }, 90_000);

  test('the API started with NODE_ENV=production and no keys refuses, naming each missing setting', () => {
    const run = start('client/api-main.ts', {
      NODE_ENV: 'production',
      DATABASE_URL: 'postgresql://nobody@127.0.0.1:1/none',
      IDENTITY_SECRET: 'short',
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('the API refuses to start with NODE_ENV=production');
    for (const problem of [
      'PAYLOAD_KEYS is not set',
      'IDENTITY_SECRET must be at least 32 characters',
      'CODEC_SESSION_SECRET must be at least 32 characters',
      'CAMPAIGN_WINDOWS is not set',
      'SIGNERS_FILE is not set',
      'API_KEYS or API_KEYS_FILE is not set',
      'Temporal is reached without TLS',
    ]) {
      expect(run.stderr).toContain(problem);
    }
  }, 90_000);

  test('in production every outbound address is https:// and Temporal is spoken to over TLS (issue 32)', () => {
    const base = {
      NODE_ENV: 'production',
      PAYLOAD_KEYS: '{"k1":"…"}',
      SIGNERS_FILE: '/nonexistent/signers.json',
      TEMPORAL_TLS_CA: '/run/secrets/temporal/ca.pem',
      NOTIFIER_WEBHOOK_SECRET: secret('n'),
      MONITORING_WEBHOOK_SECRET: secret('m'),
    };
    expect(
      productionProblems(WORKER_REQUIREMENTS, {
        ...base,
        SMARTBRIDGE_FILE: gatewayFile(),
        NOTIFIER_URL: 'https://n',
        MONITORING_URL: 'https://m',
      }),
    ).toEqual([]);
    expect(
      productionProblems(WORKER_REQUIREMENTS, { ...base, SMARTBRIDGE_FILE: gatewayFile({ endpoint: 'http://shep.internal/bip-sync-wss-gost/' }) }),
    ).toEqual([
      "the e-government gateway's endpoint in SMARTBRIDGE_FILE is not https://: the IINs looked up and the sender's password would cross the network in the clear",
    ]);
    // issue 33: the stand-in's sender, and the information system's key container sent to NCANode in the clear
    expect(productionProblems(WORKER_REQUIREMENTS, { ...base, SMARTBRIDGE_FILE: gatewayFile({ senderId: 'teacher-attestation-dev' }) })).toEqual([
      'SMARTBRIDGE_FILE names the development stand-in (its sender): the state records would be fixtures, not the registers (R8)',
    ]);
    const overHttp = { certFile: 'c.pem', ncanode: { url: 'http://ncanode:14579', p12File: 's.p12', passwordEnv: 'P' } };
    expect(productionProblems(WORKER_REQUIREMENTS, { ...base, SMARTBRIDGE_FILE: gatewayFile({ signing: overHttp }) })).toEqual([
      expect.stringContaining('the signing service in SMARTBRIDGE_FILE (signing.ncanode.url) is not https://'),
    ]);
    const stageReports = { endpoint: 'http://shep.internal/bip-async-wss-gost/', serviceId: 'MON' };
    expect(productionProblems(WORKER_REQUIREMENTS, { ...base, SMARTBRIDGE_FILE: gatewayFile({ stageReports }) })).toEqual([
      expect.stringContaining("the gateway's asynchronous endpoint in SMARTBRIDGE_FILE (stageReports.endpoint) is not https://"),
    ]);
    expect(
      productionProblems(WORKER_REQUIREMENTS, { ...base, SMARTBRIDGE_FILE: gatewayFile(), NOTIFIER_URL: 'http://n', MONITORING_URL: 'HTTP://m' }),
    ).toEqual([
      'NOTIFIER_URL must be an https:// URL in production: the notices would cross the network in the clear',
      'MONITORING_URL must be an https:// URL in production: the stage reports would cross the network in the clear',
    ]);
    expect(productionProblems(WORKER_REQUIREMENTS, { ...base, SMARTBRIDGE_FILE: gatewayFile(), TEMPORAL_TLS_CA: undefined })).toEqual([
      expect.stringContaining('Temporal is reached without TLS'),
    ]);
  });

  test('a signing service over http, and an API that can read a signing key, are refused in production (issue 32)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'signers-'));
    fs.mkdirSync(path.join(dir, 'keys'));
    fs.writeFileSync(path.join(dir, 'ca.pem'), 'ca');
    fs.writeFileSync(path.join(dir, 'a.cert.pem'), 'cert');
    const file = path.join(dir, 'signers.json');
    fs.writeFileSync(
      file,
      JSON.stringify({
        trustAnchorsFile: 'ca.pem',
        signers: [
          { unit: 'ministry-of-education', keyFile: 'keys/a.key.pem', certFile: 'a.cert.pem' },
          {
            unit: 'almaty-city-education-department',
            certFile: 'a.cert.pem',
            ncanode: { url: 'http://ncanode:14579', p12File: 'keys/b.p12', passwordEnv: 'P' },
          },
        ],
      }),
    );
    expect(signingServicesOverHttp({ SIGNERS_FILE: file })).toEqual(['http://ncanode:14579']);
    // the keys are not mounted here: the API may start
    expect(signingKeysReadable({ SIGNERS_FILE: file })).toEqual([]);
    fs.writeFileSync(path.join(dir, 'keys', 'a.key.pem'), 'key');
    expect(signingKeysReadable({ SIGNERS_FILE: file })).toEqual([path.join(dir, 'keys', 'a.key.pem')]);
    const api = { NODE_ENV: 'production', SIGNERS_FILE: file };
    expect(productionProblems(API_REQUIREMENTS, api)).toContainEqual(expect.stringContaining('the API can read signing keys listed in SIGNERS_FILE'));
    expect(productionProblems(WORKER_REQUIREMENTS, api)).toContainEqual(
      expect.stringContaining('a signing service (ncanode.url in SIGNERS_FILE) is not https://'),
    );
  });

  test('a complete production environment passes, and development needs none of it', () => {
    const complete = {
      NODE_ENV: 'production',
      PAYLOAD_KEYS: '{"k1":"…"}',
      SIGNERS_FILE: '/run/secrets/signing/signers.json',
      SMARTBRIDGE_FILE: gatewayFile(),
      TEMPORAL_TLS_CA: '/run/secrets/temporal/ca.pem',
      IDENTITY_SECRET: secret('x'),
      CODEC_SESSION_SECRET: secret('y'),
      CAMPAIGN_WINDOWS: '[]',
      API_KEYS_FILE: '/run/secrets/api-keys.json',
      AUTHORISED_PERSONS_FILE: '/run/secrets/authorised-persons.json',
      NOTIFIER_WEBHOOK_SECRET: secret('n'),
      MONITORING_WEBHOOK_SECRET: secret('m'),
    };
    expect(productionProblems(WORKER_REQUIREMENTS, complete)).toEqual([]);
    expect(productionProblems(WORKER_REQUIREMENTS, { ...complete, NOTIFIER_WEBHOOK_SECRET: undefined })).toEqual([
      expect.stringContaining('NOTIFIER_WEBHOOK_SECRET must be at least 32 characters'),
    ]);
    expect(productionProblems(API_REQUIREMENTS, complete)).toEqual([]);
    expect(productionProblems(API_REQUIREMENTS, { ...complete, IDENTITY_SECRET: secret('x').slice(0, 31) })).toEqual([
      expect.stringContaining('IDENTITY_SECRET must be at least 32 characters'),
    ]);
    // issue 32: a long secret of few characters, and one secret used for both, are refused
    expect(productionProblems(API_REQUIREMENTS, { ...complete, IDENTITY_SECRET: 'ab'.repeat(20) })).toEqual([
      expect.stringContaining('IDENTITY_SECRET must be at least 32 characters, 12 of them different'),
    ]);
    expect(productionProblems(API_REQUIREMENTS, { ...complete, CODEC_SESSION_SECRET: complete.IDENTITY_SECRET })).toEqual([
      'IDENTITY_SECRET and CODEC_SESSION_SECRET are the same: give each a secret of its own',
    ]);
    expect(productionProblems(WORKER_REQUIREMENTS, {})).toEqual([]);
    // issue 31: the shipped registry's persons are fictitious; NCANode's verification goes over TLS
    expect(productionProblems(API_REQUIREMENTS, { ...complete, AUTHORISED_PERSONS_FILE: undefined })).toEqual([
      expect.stringContaining('AUTHORISED_PERSONS_FILE is not set'),
    ]);
    expect(productionProblems(API_REQUIREMENTS, { ...complete, NCANODE_VERIFY_URL: 'http://ncanode:14579' })).toEqual([
      expect.stringContaining('NCANODE_VERIFY_URL is not https://'),
    ]);
    expect(productionProblems(API_REQUIREMENTS, { NODE_ENV: 'development' })).toEqual([]);
  });
});

describe('TLS to Temporal (TEMPORAL_TLS_*)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'temporal-tls-'));
  for (const file of ['ca.pem', 'client.pem', 'client-key.pem']) fs.writeFileSync(path.join(dir, file), `${file}\n`);

  test('plain without settings; mTLS with the CA, the client pair and the server name read from their files', () => {
    expect(temporalConnectionFromEnvironment({ TEMPORAL_ADDRESS: 'temporal:7233' })).toEqual({ address: 'temporal:7233' });
    const settings = temporalConnectionFromEnvironment({
      TEMPORAL_ADDRESS: 'temporal:7233',
      TEMPORAL_TLS_CA: path.join(dir, 'ca.pem'),
      TEMPORAL_TLS_CERT: path.join(dir, 'client.pem'),
      TEMPORAL_TLS_KEY: path.join(dir, 'client-key.pem'),
      TEMPORAL_TLS_SERVER_NAME: 'temporal',
    });
    expect(settings.tls?.serverNameOverride).toBe('temporal');
    expect(settings.tls?.serverRootCACertificate?.toString()).toBe('ca.pem\n');
    expect(settings.tls?.clientCertPair?.key.toString()).toBe('client-key.pem\n');
    expect(temporalConnectionFromEnvironment({ TEMPORAL_TLS: 'true' })).toEqual({ address: 'localhost:7233', tls: {} });
  });

  test('a certificate without its key, or a file that cannot be read, is refused by name', () => {
    expect(() => temporalConnectionFromEnvironment({ TEMPORAL_TLS_CERT: path.join(dir, 'client.pem') })).toThrow(
      /both TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY/,
    );
    expect(() => temporalConnectionFromEnvironment({ TEMPORAL_TLS_CA: path.join(dir, 'missing.pem') })).toThrow(
      /TEMPORAL_TLS_CA: .*missing\.pem could not be read/,
    );
  });
});

describe('browser sessions (the codec server, the support console)', () => {
  const operator = { client: 'operator-a', scopes: ['decode', 'read'] as Scope[], role: 'administrator' as const, units: [] };
  const opened = { client: 'operator-a', keyTag: '0123456789abcdef' };
  test('are honoured only while the key that opened them is configured with the scope, and are Secure as configured', () => {
    const holders = new Map([[`${operator.client}/${opened.keyTag}`, operator]]);
    const sessions = new BrowserSessions('s'.repeat(32), (client, keyTag) => holders.get(`${client}/${keyTag}`));
    const header = sessions.cookie('codec', sessions.issue('codec', opened)).split(';')[0];
    // the session grants its kind's scope only, whatever else the key may do
    expect(sessions.verify('codec', header)).toEqual({ client: 'operator-a', scopes: ['decode'], role: 'administrator', units: [] });
    // the client's other key does not keep it: a rotation that removes this key ends the session
    expect(
      new BrowserSessions('s'.repeat(32), (client, keyTag) => (keyTag === 'fedcba9876543210' ? operator : undefined)).verify('codec', header),
    ).toBeNull();
    holders.set(`${operator.client}/${opened.keyTag}`, { ...operator, scopes: ['read'] }); // the decode scope is withdrawn from the key
    expect(sessions.verify('codec', header)).toBeNull();
    holders.clear(); // the key is withdrawn from the configuration
    expect(sessions.verify('codec', header)).toBeNull();
    // Secure from configuration, whatever host the browser named
    expect(sessions.cookie('codec', 'token')).not.toContain('Secure');
    expect(new BrowserSessions('s'.repeat(32), () => operator, true).cookie('codec', 'token')).toMatch(/; Secure$/);
    // another secret (the identity secret, say) does not forge one
    expect(new BrowserSessions('i'.repeat(32), () => operator).verify('codec', header)).toBeNull();
  });

  test('of one kind do not open the other: a codec session is no console session', () => {
    const sessions = new BrowserSessions('s'.repeat(32), () => operator);
    const codec = `codec_session=${sessions.issue('codec', opened)}`;
    expect(sessions.verify('support', codec.replace('codec_session', 'support_session'))).toBeNull();
    const support = sessions.cookie('support', sessions.issue('support', opened)).split(';')[0];
    expect(sessions.verify('support', support)).toMatchObject({ client: 'operator-a', scopes: ['read'] });
    expect(sessions.cleared('support')).toMatch(/^support_session=; .*Path=\/support; Max-Age=0/);
  });
});

describe("the CLI's key (issue 32)", () => {
  test('travels over https://, or plain HTTP to this machine or a container name only', () => {
    const may = ['https://attestation.example.kz', 'http://localhost:3000', 'http://127.0.0.1:3000', 'http://[::1]:3000', 'http://api:3000'];
    const mayNot = ['http://attestation.example.kz', 'http://10.0.0.5:3000', 'ftp://localhost', 'not a url'];
    expect(may.filter(keyMayTravelTo)).toEqual(may);
    expect(mayNot.filter(keyMayTravelTo)).toEqual([]);
  });

  test('a command against an http:// API elsewhere stops before sending the key', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'client/cli/index.ts', 'stuck'], {
      cwd: path.resolve(__dirname, '..'),
      env: { ...process.env, API_URL: 'http://attestation.example.kz', API_KEY: 'k'.repeat(43) },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('API_URL http://attestation.example.kz is not https://: the API key would cross the network in the clear');
  }, 90_000);
});
