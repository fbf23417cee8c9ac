/**
 * docker-compose.yml cannot run here (no Docker engine); this checks it against the code instead: every part
 * the service needs is there, and each of our processes gets every environment variable its code reads.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { CLI_TYPE_NAMES, SEARCH_ATTRIBUTES } from '../domain/search-attributes';
import { NODE_LTS_VERSION, TEMPORAL_SERVER_VERSION, UI_SERVER_VERSION } from '../devtools/tools';
import {
  CLUSTER_SETTINGS,
  DEFAULT_CLUSTER_PORTS,
  DYNAMIC_CONFIG_FILE,
  SCHEMAS,
  TEMPORAL_SERVICES,
  serviceEnvironment,
} from '../devtools/temporal-cluster';
import { CODEC_ERROR_MESSAGE, uiServerConfig } from '../devtools/ui-server';

const root = path.resolve(__dirname, '..');
const compose = parse(fs.readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'), { merge: true });
/** The override that publishes the Temporal UI behind a sign-in (issue 32). */
const uiOverride = parse(fs.readFileSync(path.join(root, 'docker-compose.ui.yml'), 'utf8'), { merge: true });

/** The `process.env.NAME` reads of a source file and what it imports from the project, transitively. */
function envReads(file: string, seen = new Set<string>()): Set<string> {
  const names = new Set<string>();
  if (seen.has(file)) return names;
  seen.add(file);
  const source = fs.readFileSync(file, 'utf8');
  // `env.NAME` too: functions that take the environment as a parameter (defaulting to process.env).
  for (const m of source.matchAll(/\benv\.([A-Z][A-Z_]+)|requiredEnv\('([A-Z_]+)'\)/g)) names.add(m[1] ?? m[2]);
  for (const m of source.matchAll(/from '(\.{1,2}\/[^']+)'/g)) {
    const target = path.resolve(path.dirname(file), m[1]);
    for (const candidate of [`${target}.ts`, path.join(target, 'index.ts')]) {
      if (fs.existsSync(candidate)) for (const n of envReads(candidate, seen)) names.add(n);
    }
  }
  return names;
}

// Optional settings with defaults in the code, or the embedded-default paths compose does not use.
const OPTIONAL = new Set([
  'TEMPORAL_NAMESPACE',
  'TASK_QUEUE',
  'PORT',
  'HOST',
  'DATA_DIR',
  'TEACHER_ATTESTATION_CACHE',
  'XDG_CACHE_HOME',
  'TEMPORAL_CLI',
  'LOG_LEVEL',
  'API_KEYS_FILE',
  'PAYLOAD_KEY_ID',
  'CODEC_CORS_ORIGINS',
  'WORKER_MAX_CACHED_WORKFLOWS',
  // the SDK's debug mode, for heap snapshots and debuggers (bench --heap-snapshot); never in a deployment
  'WORKER_DEBUG_MODE',
  'RETENTION_POLICY_FILE',
  'PROVIDER_UNITS_FILE',
  // TLS to Temporal: the client's settings are provided (x-temporal-client-tls); TEMPORAL_TLS alone is a shortcut
  'TEMPORAL_TLS',
]);

describe('docker-compose.yml', () => {
  test('has PostgreSQL, Temporal on it with its schema tools, the UI, migrations, the worker and the API', () => {
    const services = Object.keys(compose.services);
    expect(services).toEqual(expect.arrayContaining(['postgres', 'temporal-schema', 'temporal', 'temporal-ui', 'migrate', 'worker', 'api']));
    expect(compose.services.temporal.environment.DB).toBe('postgres12');
    expect(compose.services.temporal.environment.POSTGRES_SEEDS).toBe('postgres');
    expect(compose.services['temporal-schema'].command.join(' ')).toContain('temporal-sql-tool');
    expect(compose.services.migrate.command).toEqual(['npx', 'prisma', 'migrate', 'deploy']);
  });

  test.each([
    ['worker', 'worker/main.ts'],
    ['api', 'client/api-main.ts'],
  ])('gives the %s every variable its code reads', (service, entry) => {
    const definition = compose.services[service];
    expect(definition.command.join(' ')).toContain(entry);
    const provided = new Set(Object.keys(definition.environment));
    const needed = [...envReads(path.join(root, entry))].filter((n) => !OPTIONAL.has(n));
    expect(needed.length).toBeGreaterThan(0);
    for (const name of needed) expect({ service, name, provided: provided.has(name) }).toEqual({ service, name, provided: true });
  });

  test('runs the same Temporal UI server as npm start, at the same version, with the same codec settings (issue 17)', () => {
    const ui = compose.services['temporal-ui'];
    expect(ui.image).toBe(`temporalio/ui:${UI_SERVER_VERSION}`);
    const local = uiServerConfig({
      temporalAddress: 'x:7233',
      port: 8233,
      dataDir: '/unused',
      codecEndpoint: ui.environment.TEMPORAL_CODEC_ENDPOINT,
    });
    expect(ui.environment).toMatchObject({
      TEMPORAL_CODEC_INCLUDE_CREDENTIALS: String(local.codec.includeCredentials),
      TEMPORAL_CODEC_DEFAULT_ERROR_MESSAGE: CODEC_ERROR_MESSAGE,
      TEMPORAL_CODEC_DEFAULT_ERROR_LINK: local.codec.defaultErrorLink,
    });
    expect(local.codec.includeCredentials).toBe(true);
    // The UI's origin is one the API's codec server answers with credentials.
    expect(compose.services.api.environment.CODEC_CORS_ORIGINS).toContain(
      `http://localhost:${uiOverride.services['temporal-ui'].ports[0].split(':')[0]}`,
    );
  });

  test('runs the same Temporal cluster as npm run start:cluster: version, services, template settings, dynamic configuration (issue 18)', () => {
    const servers = Object.entries(
      compose.services as Record<string, { image: string; environment: Record<string, string>; volumes: string[] }>,
    ).filter(([, service]) => String(service.image ?? '').startsWith('temporalio/server:'));
    // each of the server's services in a container of its own
    expect(servers.map(([, service]) => service.environment.SERVICES).sort()).toEqual([...TEMPORAL_SERVICES].sort());
    // What only the local cluster sets, because its four processes share one loopback address and a port each.
    const localOnly = new Set(['BIND_ON_IP', 'TEMPORAL_BROADCAST_ADDRESS', 'VISIBILITY_DB_PORT', 'PATH']);
    const local = serviceEnvironment({ host: '127.0.0.1', port: 5433, user: 'postgres', password: 'postgres' }, DEFAULT_CLUSTER_PORTS);
    for (const [name, service] of servers) {
      expect({ name, image: service.image }).toEqual({ name, image: `temporalio/server:${TEMPORAL_SERVER_VERSION}` });
      expect(service.environment).toMatchObject(CLUSTER_SETTINGS);
      for (const key of Object.keys(local).filter((k) => !localOnly.has(k) && !/_PORT$/.test(k))) {
        expect({ name, key, provided: key in service.environment }).toEqual({ name, key, provided: true });
      }
      // the file mounted where DYNAMIC_CONFIG_FILE_PATH points is the one the local cluster reads
      const mount = service.volumes.find((v) => v.split(':')[1] === service.environment.DYNAMIC_CONFIG_FILE_PATH);
      expect({ name, file: mount && path.resolve(root, mount.split(':')[0]) }).toEqual({ name, file: DYNAMIC_CONFIG_FILE });
    }
    // the schema tool of the same release, bringing each database to the schema start:cluster applies
    const schema = compose.services['temporal-schema'];
    expect(schema.image).toBe(`temporalio/admin-tools:${TEMPORAL_SERVER_VERSION}`);
    expect(schema.environment.SQL_PLUGIN).toBe(CLUSTER_SETTINGS.DB);
    for (const [database, name] of Object.entries(SCHEMAS))
      expect(schema.command.join(' ')).toContain(`--db ${database} update-schema --schema-name ${name}`);
    expect(compose.services['temporal-setup'].image).toBe(`temporalio/admin-tools:${TEMPORAL_SERVER_VERSION}`);
  });

  test('registers every search attribute the workflow uses', () => {
    const setup = compose.services['temporal-setup'].command.join(' ');
    for (const key of SEARCH_ATTRIBUTES) expect(setup).toContain(` ${key.name}:${CLI_TYPE_NAMES[key.type]}`);
  });

  test("keeps Temporal's frontend off the host and behind mTLS: no service publishes 7233, every caller presents a certificate", () => {
    for (const [name, service] of Object.entries(compose.services as Record<string, { ports?: string[] }>)) {
      expect({
        name,
        published: (service.ports ?? []).filter((p) => /(^|:)7233(\/|$)/.test(String(p).split(':').slice(-1)[0]) || String(p).endsWith(':7233')),
      }).toEqual({
        name,
        published: [],
      });
    }
    expect(compose.services.temporal.environment.TEMPORAL_TLS_REQUIRE_CLIENT_AUTH).toBe('true');
    for (const caller of ['worker', 'api', 'migrate', 'temporal-setup']) {
      const env = compose.services[caller].environment;
      expect({ caller, ca: env.TEMPORAL_TLS_CA, cert: env.TEMPORAL_TLS_CERT, key: env.TEMPORAL_TLS_KEY }).toEqual({
        caller,
        ca: '/run/secrets/temporal/ca.pem',
        cert: '/run/secrets/temporal/client.pem',
        key: '/run/secrets/temporal/client-key.pem',
      });
    }
    expect(compose.services.worker.environment.NODE_ENV).toBe('production');
    expect(compose.services.api.environment.NODE_ENV).toBe('production');
  });

  test('closed by default (issue 32): no UI port without a sign-in, its actions off, no signing key in the API, a database role for each', () => {
    const published = (service: { ports?: string[] }) => (service.ports ?? []).map(String);
    // the base file publishes no UI; the override publishes it with an OpenID Connect sign-in only
    expect(published(compose.services['temporal-ui'])).toEqual([]);
    for (const [name, service] of Object.entries(compose.services as Record<string, { ports?: string[] }>))
      expect({ name, ui: published(service).filter((p) => /(^|:)8233:/.test(p)) }).toEqual({ name, ui: [] });
    const signedIn = uiOverride.services['temporal-ui'];
    expect(published(signedIn)).toEqual(['8233:8080']);
    expect(signedIn.environment).toMatchObject({ TEMPORAL_AUTH_ENABLED: 'true', TEMPORAL_AUTH_TYPE: 'oidc' });
    for (const name of ['TEMPORAL_AUTH_PROVIDER_URL', 'TEMPORAL_AUTH_CLIENT_ID', 'TEMPORAL_AUTH_CLIENT_SECRET', 'TEMPORAL_AUTH_CALLBACK_URL'])
      expect({ name, required: /^\$\{[A-Z_]+:\?/.test(signedIn.environment[name]) }).toEqual({ name, required: true });
    const ui = compose.services['temporal-ui'];
    for (const action of [
      'DISABLE_WRITE_ACTIONS',
      'BATCH_ACTIONS_DISABLED',
      'WORKFLOW_TERMINATE_DISABLED',
      'WORKFLOW_RESET_DISABLED',
      'WORKFLOW_SIGNAL_DISABLED',
    ])
      expect({ action, value: ui.environment[`TEMPORAL_${action}`] }).toEqual({ action, value: 'true' });
    // its own client certificate, from its own folder: not the services', not the server's key
    expect(ui.environment).toMatchObject({ TEMPORAL_TLS_CERT: '/run/secrets/temporal/ui.pem', TEMPORAL_TLS_KEY: '/run/secrets/temporal/ui-key.pem' });
    const mounts = (name: string) =>
      (compose.services[name].volumes as Array<string | { source: string }>).map((v) => (typeof v === 'string' ? v.split(':')[0] : v.source));
    expect(mounts('temporal-ui')).toEqual(['./secrets/temporal/ui']);
    // the API: the public parts of signing only; the keys are the worker's
    expect(mounts('api')).toEqual(['./secrets/temporal/client', './secrets/signing']);
    expect(mounts('worker')).toEqual(['./secrets/temporal/client', './secrets/signing', './secrets/signing-keys']);
    for (const name of Object.keys(compose.services).filter((n) => n !== 'worker'))
      expect({
        name,
        keys: (compose.services[name].volumes ?? []).some(
          (v: unknown) => JSON.stringify(v).includes('signing-keys') || v === './secrets:/run/secrets:ro',
        ),
      }).toEqual({ name, keys: false });
    expect(compose.services.api.environment.SIGNERS_FILE).toBe('/run/secrets/signing/signers.json');
    // a role and a generated password each: the service, Temporal; the superuser's password required too
    expect(compose.services.api.environment.DATABASE_URL).toMatch(/^postgresql:\/\/attestation:\$\{ATTESTATION_DB_PASSWORD:\?/);
    expect(compose.services.temporal.environment).toMatchObject({
      POSTGRES_USER: 'temporal',
      POSTGRES_PWD: expect.stringMatching(/^\$\{TEMPORAL_DB_PASSWORD:\?/),
    });
    expect(compose.services['temporal-schema'].environment).toMatchObject({
      SQL_USER: 'temporal',
      SQL_PASSWORD: expect.stringMatching(/^\$\{TEMPORAL_DB_PASSWORD:\?/),
    });
    expect(compose.services.postgres.environment.POSTGRES_PASSWORD).toMatch(/^\$\{POSTGRES_PASSWORD:\?/);
    expect(compose.services.postgres.environment.POSTGRES_USER).toBeUndefined();
    const roles = fs.readFileSync(path.join(root, 'infra/postgres/roles.sh'), 'utf8');
    expect(roles).toMatch(/CREATE ROLE attestation LOGIN PASSWORD :'attestation_password';/);
    expect(roles).toMatch(/CREATE ROLE temporal LOGIN CREATEDB PASSWORD :'temporal_password';/);
    expect(roles).not.toMatch(/SUPERUSER/);
  });

  test('the image leaves secrets out of its build context and runs unprivileged without dev dependencies', () => {
    // .dockerignore as Docker reads it: patterns anchored at the context's root, `**/` for any folder, and a
    // matched folder excludes everything in it.
    const patterns = fs
      .readFileSync(path.join(root, '.dockerignore'), 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    const toRegExp = (pattern: string) =>
      new RegExp(
        `^${pattern
          .replace(/[.+^${}()|[\]\\]/g, '\\$&')
          .split('**/')
          .map((part) => part.replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]'))
          .join('(?:.*/)?')}(?:/.*)?$`,
      );
    const excluded = (file: string) => patterns.some((p) => toRegExp(p).test(file));
    for (const secret of [
      'secrets/signers.json',
      'secrets/temporal/client-key.pem',
      '.env',
      '.env.production',
      'deploy/.env.local',
      'keys/almaty.key',
      'ops/almaty.p12',
      'ca.pem',
      '.data/signing/ca/key.pem',
    ]) {
      expect({ secret, excluded: excluded(secret) }).toEqual({ secret, excluded: true });
    }
    for (const needed of ['worker/main.ts', 'domain/provider-units.json', 'prisma/schema.prisma', 'package.json']) {
      expect({ needed, excluded: excluded(needed) }).toEqual({ needed, excluded: false });
    }
    const dockerfile = fs.readFileSync(path.join(root, 'Dockerfile'), 'utf8');
    expect(dockerfile).toMatch(/^USER node$/m);
    // a supported Node LTS (issue 32), the one the suite's second run uses (devtools/tools.ts)
    expect(dockerfile).toMatch(new RegExp(`^FROM node:${NODE_LTS_VERSION.split('.')[0]}-bookworm-slim$`, 'm'));
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    // …which leaves what the migrations and the processes run on in the dependencies
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(Object.keys(pkg.dependencies)).toEqual(expect.arrayContaining(['prisma', 'tsx', '@prisma/client']));
  });
});
