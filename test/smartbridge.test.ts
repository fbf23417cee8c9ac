/**
 * The e-government gateway on its own protocol (issue 33, R8), over real HTTP: the SmartBridge adapter
 * (infra/smartbridge/) against the local stand-in (devtools/smartbridge-stand-in.ts), which validates each request
 * against SyncChannel v10's schema and verifies its WS-Security signature; NCANode's /wsse/sign path against a
 * local stand-in of that protocol; and cases through the API on the time-skipping server whose records come over it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ASYNC_PATH, buildSmartBridgeStandIn, developmentSmartBridge, SYNC_PATH, type SmartBridgeStandIn } from '../devtools/smartbridge-stand-in';
import { buildAsyncSendMessage, SmartBridgeAsyncDelivery } from '../infra/smartbridge/async-channel';
import { enqueue } from '../infra/outbox';
import { deliverDue, settleHandedOver } from '../worker/outbox-relay';
import { recordGatewayExchange, type GatewayExchangeRecord } from '../infra/case-store';
import { DevelopmentCa, developmentSystemKey } from '../infra/development-ca';
import { classifyFailure, GatewayFault } from '../infra/failures';
import { readSmartBridgeFile, SmartBridgeGateway, type SmartBridgeSettings } from '../infra/smartbridge/gateway';
import { bodyOf, buildSendMessage, operationOf, parseXml, readAnswer, readFault } from '../infra/smartbridge/sync-channel';
import { LocalEnvelopeSigner, NcaNodeEnvelopeSigner } from '../infra/smartbridge/wsse';
import { sampleIin, sampleSubmission } from './helpers/applications';
import { academicYearOf } from './helpers/clock';
import { pkcs12Of, startFakeNcaNode, type FakeNcaNode } from './helpers/fake-ncanode';
import { eventually, httpClient } from './helpers/http';
import { freePort } from './helpers/ports';
import { startTestDatabase, startTimeSkippingStack, type TestDatabase, type TimeSkippingStack } from './helpers/service';

const PASSWORD = 'stand-in-password';
/** Fixture people of the stand-in's registers (devtools/smartbridge-registers.json), written out here. */
const HOLDS_BOTH = '780315400012';
const NO_DIPLOMA_RECORD = '811122400021';
const NO_EMPLOYMENT_RECORD = '900607400034';
const SPELT_IN_KAZAKH = '751225400058';
/** The development certificate of the service's information system, as the stand-in reads its holder. */
const SERVICE = 'Информационная система аттестации педагогов (development)';

let dir: string;
let standIn: SmartBridgeStandIn;
let settings: Omit<SmartBridgeSettings, 'record'>;
let endpoint: string;
const exchanges: GatewayExchangeRecord[] = [];
const logged: string[] = [];

const gatewayWith = (overrides: Partial<SmartBridgeSettings> = {}) =>
  new SmartBridgeGateway({ ...settings, record: async (e) => void exchanges.push(e), ...overrides });
const behave = (behaviour: object) =>
  fetch(`${endpoint.replace(SYNC_PATH, '')}/stand-in/behaviour`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(behaviour),
  });

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'smartbridge-'));
  const port = await freePort();
  const development = developmentSmartBridge(dir, port, PASSWORD);
  standIn = buildSmartBridgeStandIn({ ...development.standIn, log: (line) => logged.push(line) });
  await standIn.app.listen({ port, host: '127.0.0.1' });
  settings = readSmartBridgeFile(development.file, { SMARTBRIDGE_PASSWORD: PASSWORD });
  endpoint = settings.endpoint;
});

afterAll(async () => {
  await standIn?.app.close();
});

afterEach(async () => {
  await behave({});
});

/** Posts an envelope as it is to the stand-in: its HTTP status and the fault code or status it answered. */
async function post(envelope: string): Promise<{ status: number; code: string }> {
  const response = await fetch(endpoint, { method: 'POST', headers: { 'content-type': 'text/xml; charset=utf-8' }, body: envelope });
  const answer = readAnswer(operationOf(bodyOf(parseXml(await response.text()))));
  return { status: response.status, code: 'fault' in answer ? answer.fault.errorCode : answer.response.status.code };
}

const request = (iin = HOLDS_BOTH, overrides: Partial<Parameters<typeof buildSendMessage>[0]> = {}) =>
  buildSendMessage({
    messageId: `test-${Math.random().toString(36).slice(2)}`,
    correlationId: 'application-test',
    serviceId: settings.services.education,
    messageDate: new Date(),
    sender: { senderId: settings.senderId, password: PASSWORD },
    data: [['iin', iin]],
    ...overrides,
  });

describe('the SmartBridge adapter and the stand-in, over HTTP', () => {
  test('a look-up is a signed SendMessage per register, validated and verified by the stand-in, each exchange recorded', async () => {
    const before = standIn.requests.length;
    await expect(gatewayWith().lookUp(HOLDS_BOTH, { correlationId: 'application-one' })).resolves.toEqual({
      education: true,
      employment: true,
      person: { found: true, surname: 'Ермекова', name: 'Жансая', patronymic: 'Болатқызы' },
    });
    await expect(gatewayWith().lookUp(NO_DIPLOMA_RECORD, { correlationId: 'application-two' })).resolves.toMatchObject({
      education: false,
      employment: true,
    });
    await expect(gatewayWith().lookUp(NO_EMPLOYMENT_RECORD, { correlationId: 'application-three' })).resolves.toMatchObject({
      education: true,
      employment: false,
    });
    // a person the register does not hold: no such person, and the other registers hold her records
    await expect(gatewayWith().lookUp(sampleIin(7), { correlationId: 'application-four' })).resolves.toEqual({
      education: true,
      employment: true,
      person: { found: false },
    });
    const seen = standIn.requests.slice(before);
    expect(seen).toHaveLength(12);
    for (const entry of seen) {
      expect(entry.signedBy).toBe(SERVICE);
      expect(entry.answered).toBe('SCSS001');
    }
    expect(
      seen
        .filter((e) => e.correlationId === 'application-one')
        .map((e) => e.serviceId)
        .sort(),
    ).toEqual(['DEV_EDUCATION_RECORDS', 'DEV_EMPLOYMENT_RECORDS', 'DEV_PERSON_REGISTER']);
    expect(logged.some((line) => /valid against SyncChannel v10, signature of .+ verified; answered SCSS001/.test(line))).toBe(true);
    const ours = exchanges.filter((e) => e.correlationId === 'application-two');
    expect(ours.map((e) => [e.interaction, e.statusCode]).sort()).toEqual([
      ['education', 'SCSS001'],
      ['employment', 'SCSS001'],
      ['person', 'SCSS001'],
    ]);
    // both sides' ids: ours as the stand-in saw it, and the answer's
    for (const e of ours) {
      expect(seen.map((s) => s.messageId)).toContain(e.messageId);
      expect(e.answerMessageId).toBe(`${e.messageId}-answer`);
    }
  });

  test('an unsigned, tampered, foreign-signed, malformed or wrongly-sent request is refused by the stand-in, and never answered', async () => {
    const signer = settings.signer;
    const before = standIn.requests.filter((r) => r.answered === 'SCSS001').length;
    expect(await post(request())).toEqual({ status: 500, code: 'SIGNATURE_INVALID' });
    const signed = await signer.sign(request(HOLDS_BOTH));
    expect(await post(signed)).toEqual({ status: 200, code: 'SCSS001' });
    expect(await post(signed.replace(`<iin>${HOLDS_BOTH}</iin>`, `<iin>${NO_DIPLOMA_RECORD}</iin>`))).toEqual({
      status: 500,
      code: 'SIGNATURE_INVALID',
    });
    const stranger = DevelopmentCa.create().issue('Чужая система', 'Чужая организация');
    expect(await post(await new LocalEnvelopeSigner(stranger.keyPem, stranger.certPem).sign(request()))).toEqual({
      status: 500,
      code: 'SIGNATURE_INVALID',
    });
    const noServiceId = request().replace(/<serviceId>[^<]*<\/serviceId>/, '');
    expect(await post(await signer.sign(noServiceId))).toEqual({ status: 500, code: 'SCHEMA_INVALID' });
    expect(await post(await signer.sign(request(HOLDS_BOTH, { sender: { senderId: settings.senderId, password: 'wrong' } })))).toEqual({
      status: 500,
      code: 'SENDER_UNKNOWN',
    });
    expect(await post(await signer.sign(request(HOLDS_BOTH, { serviceId: 'NO_SUCH_SERVICE' })))).toEqual({ status: 500, code: 'SERVICE_UNKNOWN' });
    expect(await post('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>')).toEqual({ status: 500, code: 'SCHEMA_INVALID' });
    // only the one genuine request was answered
    expect(standIn.requests.filter((r) => r.answered === 'SCSS001').length).toBe(before + 1);
  });

  test("the gateway's faults are sorted: about the message itself permanent, anything else retried", async () => {
    await behave({ fault: 'SERVICE_UNAVAILABLE' });
    const unavailable = await gatewayWith()
      .lookUp(HOLDS_BOTH)
      .catch((e: unknown) => e);
    expect(unavailable).toBeInstanceOf(GatewayFault);
    expect(classifyFailure(unavailable)).toEqual({ kind: 'transient', reason: expect.stringContaining('the fault SERVICE_UNAVAILABLE') });
    await behave({});
    const invalid = await gatewayWith()
      .lookUp('123')
      .catch((e: unknown) => e);
    expect(classifyFailure(invalid)).toEqual({
      kind: 'permanent',
      reason: expect.stringContaining('the fault DATA_INVALID: the message itself is refused'),
    });
    // the gateway's own words never travel: they may echo the request
    expect((invalid as Error).message).not.toContain('IIN');
    await behave({ drop: true });
    const dropped = await gatewayWith()
      .lookUp(HOLDS_BOTH)
      .catch((e: unknown) => e);
    expect(classifyFailure(dropped).kind).toBe('transient');
    await behave({ delayMs: 2_000 });
    const slow = await gatewayWith({ timeoutMs: 300 })
      .lookUp(HOLDS_BOTH)
      .catch((e: unknown) => e);
    expect(classifyFailure(slow)).toEqual({ kind: 'transient', reason: expect.stringContaining('did not answer in time') });
  });

  test('an answer signed by a certificate the service does not trust is not taken', async () => {
    const untrusting = gatewayWith({ trustAnchorsPem: DevelopmentCa.create().certPem });
    const refused = await untrusting.lookUp(HOLDS_BOTH).catch((e: unknown) => e);
    expect(refused).toMatchObject({ name: 'GatewayFault', code: 'ANSWER_SIGNATURE', permanent: false });
  });
});

describe("NCANode's /wsse/sign", () => {
  let ncanode: FakeNcaNode;
  beforeAll(async () => {
    ncanode = await startFakeNcaNode();
  });
  afterAll(async () => {
    await ncanode?.close();
  });

  test('the information system signs through NCANode; the stand-in verifies it; a wrong password is refused', async () => {
    const system = developmentSystemKey(path.join(dir, 'signing'), 'attestation-service', 'unused: made already');
    const p12File = path.join(dir, 'service.p12');
    fs.writeFileSync(p12File, pkcs12Of(system.keyPem, system.certPem, 'container-password'));
    // configured as a deployment would: SMARTBRIDGE_FILE with signing.ncanode, the password from the environment
    const file = path.join(dir, 'smartbridge-ncanode.json');
    const written = JSON.parse(fs.readFileSync(path.join(dir, 'smartbridge.json'), 'utf8'));
    fs.writeFileSync(
      file,
      JSON.stringify({ ...written, signing: { certFile: system.certFile, ncanode: { url: ncanode.url, p12File, passwordEnv: 'P12_PASSWORD' } } }),
    );
    expect(() => readSmartBridgeFile(file, { SMARTBRIDGE_PASSWORD: PASSWORD })).toThrow('P12_PASSWORD (the signing container');
    const viaNcaNode = readSmartBridgeFile(file, { SMARTBRIDGE_PASSWORD: PASSWORD, P12_PASSWORD: 'container-password' });
    expect(viaNcaNode.signer).toBeInstanceOf(NcaNodeEnvelopeSigner);
    // this look-up's own messages, by its correlation id: an earlier test's slowed requests may still be answered now
    await expect(new SmartBridgeGateway(viaNcaNode).lookUp(NO_EMPLOYMENT_RECORD, { correlationId: 'application-ncanode' })).resolves.toMatchObject({
      education: true,
      employment: false,
    });
    expect(standIn.requests.filter((r) => r.correlationId === 'application-ncanode').map((r) => r.signedBy)).toEqual([SERVICE, SERVICE, SERVICE]);
    expect(ncanode.wsseRequests.slice(-3)).toEqual(Array(3).fill({ keyAlias: undefined, trimXml: false }));
    const wrong = readSmartBridgeFile(file, { SMARTBRIDGE_PASSWORD: PASSWORD, P12_PASSWORD: 'not-it' });
    await expect(new SmartBridgeGateway(wrong).lookUp(HOLDS_BOTH)).rejects.toThrow('the signing service answered 400: Неверный пароль или ключ');
  });
});

describe('cases whose records come over the gateway', () => {
  let stack: TimeSkippingStack;
  let baseUrl: string;
  const http = httpClient(() => baseUrl);

  beforeAll(async () => {
    stack = await startTimeSkippingStack(
      'smartbridge',
      {},
      {
        gateway: (store) => new SmartBridgeGateway({ ...settings, record: (exchange) => recordGatewayExchange(store, exchange) }),
      },
    );
    baseUrl = stack.baseUrl;
  }, 180_000);
  afterAll(async () => {
    await stack?.stop();
  });

  const submit = async (iin: string, overrides: Partial<Parameters<typeof sampleSubmission>[0]> = {}) => {
    const at = await stack.atNextWorkingMoment();
    const answer = await http('POST', '/applications', sampleSubmission({ iin, submittedAt: at, academicYear: academicYearOf(at), ...overrides }));
    expect(answer.status).toBe(202);
    return answer.body.applicationId as string;
  };
  const exchangesOf = (id: string) =>
    stack.store.gatewayExchange.findMany({ where: { correlationId: `application-${id}` }, orderBy: [{ at: 'asc' }, { messageId: 'asc' }] });

  test("a case's records come through the stand-in, its exchanges recorded under it; a register without the diploma asks for it", async () => {
    const id = await submit(HOLDS_BOTH);
    await eventually(
      () => http('GET', `/applications/${id}`),
      (r) => r.body.state === 'under-review',
    );
    expect((await exchangesOf(id)).map((e) => [e.interaction, e.statusCode]).sort()).toEqual([
      ['education', 'SCSS001'],
      ['employment', 'SCSS001'],
      ['person', 'SCSS001'],
    ]);
    const lacking = await submit(NO_DIPLOMA_RECORD);
    const refused = await eventually(
      () => http('GET', `/applications/${lacking}`),
      (r) => ['notified', 'closed'].includes(r.body.state),
    );
    expect(refused.body.refusalGrounds).toEqual([2]);
  });

  test('a gateway fault is retried and the case goes on, none lost and none refused', async () => {
    await behave({ fault: 'SERVICE_UNAVAILABLE' });
    const id = await submit(sampleIin(3301));
    await eventually(
      () => exchangesOf(id),
      (rows) => rows.filter((r) => r.statusCode === 'SERVICE_UNAVAILABLE').length >= 4,
    );
    expect((await http('GET', `/applications/${id}`)).body.state).toBe('registered');
    await behave({});
    await eventually(
      () => http('GET', `/applications/${id}`),
      (r) => r.body.state === 'under-review',
    );
    const rows = await exchangesOf(id);
    expect(
      rows
        .filter((r) => r.statusCode === 'SCSS001')
        .map((r) => r.interaction)
        .sort(),
    ).toEqual(['education', 'employment', 'person']);
  }, 120_000);

  test("the register's name is the one printed; a differing submitted name is shown to the provider and support, never printed (R8)", async () => {
    const id = await submit(SPELT_IN_KAZAKH, { fullName: 'Сейткали Алия Нурлановна' });
    const open = await eventually(
      () => http('GET', `/applications/${id}`),
      (r) => r.body.state === 'under-review',
    );
    expect(open.body.identity).toEqual({
      register: 'name-differs',
      registerName: 'Сейтқали Әлия Нұрланқызы',
      submittedName: 'Сейткали Алия Нурлановна',
    });
    const story = await http('GET', `/support/cases/${id}`);
    expect(story.body.identity).toEqual(open.body.identity);
    expect((await http('POST', `/applications/${id}/decision`, { decision: 'accept', official: 'Ахметова Динара Кайратовна' })).status).toBe(200);
    const decided = await eventually(
      () => http('GET', `/applications/${id}`),
      (r) => r.body.notices.length === 2,
    );
    for (const notice of decided.body.notices as Array<{ language: string; body: string }>) {
      expect(notice.body).toContain('Сейтқали Әлия Нұрланқызы');
      expect(notice.body).not.toContain('Нурлановна');
    }
  });

  test('the same name in another order or case is the register holding it; no such person is shown, and the case goes on', async () => {
    const same = await submit(NO_EMPLOYMENT_RECORD, { fullName: 'айгерим  НУРЛАНОВА маратовна' });
    const confirmed = await eventually(
      () => http('GET', `/applications/${same}`),
      (r) => r.body.identity !== null,
    );
    expect(confirmed.body.identity).toEqual({
      register: 'confirmed',
      registerName: 'Нурланова Айгерим Маратовна',
      submittedName: 'айгерим  НУРЛАНОВА маратовна',
    });
    const unknown = await submit(sampleIin(3302));
    const shown = await eventually(
      () => http('GET', `/applications/${unknown}`),
      (r) => r.body.state === 'under-review',
    );
    expect(shown.body.identity).toEqual({ register: 'not-found', registerName: null, submittedName: sampleSubmission().fullName });
  });

  test('without consent nothing is asked of the gateway (Law on personal data, art. 8)', async () => {
    const id = await submit(sampleIin(3303), { personalDataConsent: false });
    const refused = await eventually(
      () => http('GET', `/applications/${id}`),
      (r) => ['notified', 'closed'].includes(r.body.state),
    );
    expect(refused.body.refusalGrounds).toEqual([3]);
    expect(refused.body.identity).toBeNull();
    expect(await exchangesOf(id)).toEqual([]);
  });
});

describe('stage reports through the asynchronous channel (R12)', () => {
  const MONITORING = 'DEV_MONITORING_STAGES';
  const delivered: Array<{ key: string; values: Record<string, string> }> = [];
  let failDelivery = false;
  let asyncStandIn: SmartBridgeStandIn;
  let asyncEndpoint: string;
  let database: TestDatabase;
  let carrier: SmartBridgeAsyncDelivery;
  const asyncBehave = (behaviour: object) =>
    fetch(`${asyncEndpoint.replace(ASYNC_PATH, '')}/stand-in/behaviour`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(behaviour),
    });

  beforeAll(async () => {
    const port = await freePort();
    const development = developmentSmartBridge(dir, port, PASSWORD);
    asyncStandIn = buildSmartBridgeStandIn({
      ...development.standIn,
      asyncServices: {
        [MONITORING]: async (key, values) => {
          if (failDelivery) throw new Error('the monitoring system is away');
          delivered.push({ key, values });
        },
      },
    });
    await asyncStandIn.app.listen({ port, host: '127.0.0.1' });
    asyncEndpoint = `http://127.0.0.1:${port}${ASYNC_PATH}`;
    carrier = new SmartBridgeAsyncDelivery({
      endpoint: asyncEndpoint,
      serviceId: MONITORING,
      sender: { senderId: settings.senderId, password: PASSWORD },
      signer: settings.signer,
      trustAnchorsPem: settings.trustAnchorsPem,
    });
    database = await startTestDatabase('attestation-async-channel-');
  }, 120_000);
  afterAll(async () => {
    await asyncStandIn?.app.close();
    await database?.stop();
  });
  afterEach(async () => {
    failDelivery = false;
    await asyncBehave({});
  });

  test('a report handed over is on its way, then delivered, by its key; an unsigned one or an unknown message is refused', async () => {
    const id = await carrier.send('stage:a:under-review', { applicationId: 'a', stage: 'under-review', overdue: false, nested: { x: 1 } });
    await eventually(
      () => carrier.state(id),
      (state) => state === 'DELIVERED',
    );
    expect(delivered.find((d) => d.key === 'stage:a:under-review')?.values).toEqual({
      applicationId: 'a',
      stage: 'under-review',
      overdue: 'false',
      nested: '{"x":1}',
    });
    await expect(carrier.state('no-such-message')).rejects.toMatchObject({ name: 'GatewayFault', code: 'MESSAGE_UNKNOWN' });
    const unsigned = buildAsyncSendMessage({
      messageId: 'm',
      correlationId: 'k',
      serviceId: MONITORING,
      messageDate: new Date(),
      sender: { senderId: settings.senderId, password: PASSWORD },
      data: [['stage', 'x']],
    });
    const response = await fetch(asyncEndpoint, { method: 'POST', headers: { 'content-type': 'text/xml' }, body: unsigned });
    expect(response.status).toBe(500);
    expect(readFault(operationOf(bodyOf(parseXml(await response.text()))))).toMatchObject({ errorCode: 'SIGNATURE_INVALID' });
  });

  /** Runs the relay's two steps until `done` holds: hand over what is due, ask the gateway where the rest is. */
  const relayUntil = async (done: () => Promise<boolean>) => {
    const options = { handOver: { monitoring: carrier }, maxAttempts: 5 };
    await eventually(
      async () => {
        await deliverDue(database.store, { notifier: 'http://127.0.0.1:1/never', monitoring: 'http://127.0.0.1:1/never' }, options);
        await settleHandedOver(database.store, options);
        return done();
      },
      Boolean,
      60_000,
    );
  };
  const row = (key: string) => database.store.outboxMessage.findUniqueOrThrow({ where: { key } });

  test('the relay marks a stage report delivered only once the gateway says DELIVERED; NOT_DELIVERED hands it over again; DELIVERY_STOPPED is a dead letter', async () => {
    await database.store.$transaction((tx) =>
      enqueue(tx, [{ key: 'stage:b:under-review', channel: 'monitoring', payload: { applicationId: 'b', stage: 'under-review' } }]),
    );
    await relayUntil(async () => (await row('stage:b:under-review')).status === 'delivered');
    expect(delivered.filter((d) => d.key === 'stage:b:under-review')).toHaveLength(1);

    // the monitoring system away: the gateway says NOT_DELIVERED, the relay hands the report over again until it is
    failDelivery = true;
    await database.store.$transaction((tx) =>
      enqueue(tx, [{ key: 'stage:c:notified', channel: 'monitoring', payload: { applicationId: 'c', stage: 'notified' } }]),
    );
    await relayUntil(async () => (await row('stage:c:notified')).lastError?.includes('NOT_DELIVERED') === true);
    expect(await row('stage:c:notified')).toMatchObject({ status: 'pending', remoteId: null });
    failDelivery = false;
    await relayUntil(async () => (await row('stage:c:notified')).status === 'delivered');
    expect((await row('stage:c:notified')).attempts).toBeGreaterThanOrEqual(2);

    await asyncBehave({ asyncState: 'DELIVERY_STOPPED' });
    await database.store.$transaction((tx) =>
      enqueue(tx, [{ key: 'stage:d:closed', channel: 'monitoring', payload: { applicationId: 'd', stage: 'closed' } }]),
    );
    await relayUntil(async () => (await row('stage:d:closed')).status === 'dead');
    expect((await row('stage:d:closed')).lastError).toMatch(/the gateway answered DELIVERY_STOPPED for message/);
    expect(delivered.some((d) => d.key === 'stage:d:closed')).toBe(false);
  }, 120_000);
});
