/**
 * Provider units and their keys (R1, R5, R13) through the HTTP API on PostgreSQL and the
 * time-skipping server with the real worker, with keys as production holds them: the portal's, the Platform's,
 * two providers' (Almaty, Astana) and the quality-control authority's Almaty department. Who may decide what,
 * who signs what (every document verified with OpenSSL against the development CA), and who is told of a breach.
 */
import { parseApiKeys } from '../client/api/auth';
import type { Store } from '../infra/store';
import { academicYearOf, sampleIin, sampleSubmission } from './helpers/applications';
import { eventually, httpClient, TEST_API_KEY } from './helpers/http';
import { opensslVerify } from './helpers/openssl';
import { startTimeSkippingStack, type TimeSkippingStack } from './helpers/service';
import { loadAuthorisedPersons, SHIPPED_AUTHORISED_PERSONS_FILE } from '../infra/authorised-persons';
import { shippedProviderUnits } from '../infra/provider-units';

const persons = loadAuthorisedPersons(SHIPPED_AUTHORISED_PERSONS_FILE, shippedProviderUnits());

const KEYS = {
  portal: 'portal-key-0123456789abcdef',
  platform: 'platform-key-0123456789abcdef',
  almaty: 'almaty-education-key-0123456789',
  astana: 'astana-education-key-0123456789',
  authority: 'quality-authority-almaty-key-0123',
  medeu: 'medeu-district-education-key-01',
};
let stack: TimeSkippingStack;
let store: Store;
let baseUrl: string;
const http = httpClient(() => baseUrl);
/** The API as one key's holder calls it. */
const as = (who: keyof typeof KEYS) => (method: string, route: string, body?: unknown) =>
  http(method, route, body, undefined, { authorization: `Bearer ${KEYS[who]}` });
const portal = as('portal');
const platform = as('platform');
const almaty = as('almaty');
const astana = as('astana');
const authority = as('authority');
const medeu = as('medeu');

beforeAll(async () => {
  stack = await startTimeSkippingStack('provider-units', {
    apiKeys: parseApiKeys(
      JSON.stringify([
        { client: 'operations', key: TEST_API_KEY, scopes: ['submit', 'decide', 'read'], role: 'administrator' },
        { client: 'portal', key: KEYS.portal, scopes: ['submit', 'read'], role: 'portal' },
        { client: 'platform', key: KEYS.platform, scopes: ['submit', 'read'], role: 'platform' },
        { client: 'almaty-education', key: KEYS.almaty, scopes: ['decide', 'read'], role: 'provider', units: ['almaty-city-education-department'] },
        { client: 'astana-education', key: KEYS.astana, scopes: ['decide', 'read'], role: 'provider', units: ['astana-city-education-department'] },
        {
          client: 'medeu-education',
          key: KEYS.medeu,
          scopes: ['decide', 'read'],
          role: 'provider',
          units: ['almaty-medeu-district-education-department'],
        },
        { client: 'qa-almaty', key: KEYS.authority, scopes: ['decide', 'read'], role: 'quality-authority', units: ['quality-authority-almaty-city'] },
      ]),
    ),
  });
  ({ store, baseUrl } = stack);
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

/** A portal submission at the next working moment (the clock moves there), so it registers at once (R7). */
const submission = async (serial: number, overrides: object = {}) => {
  const at = await stack.atNextWorkingMoment();
  return { ...sampleSubmission({ iin: sampleIin(serial), category: 'researcher', submittedAt: at, academicYear: academicYearOf(at) }), ...overrides };
};
const state = (id: string, wanted: string) =>
  eventually(
    () => http('GET', `/applications/${id}`),
    (r) => r.body.state === wanted,
  );

interface Document {
  kind: string;
  language: 'kk' | 'ru';
  body: string;
  signature: { value: string; certificateFingerprint: string };
}

/**
 * Checks a signed document as its reader would: OpenSSL verifies it against the published CA certificate, its
 * fingerprint resolves through the API to the certificate it carries, recorded under the issuing unit (issue 31:
 * never a unit above it), whose holder is the unit's authorised person who took the decision, named with their
 * position, and the document is headed by that unit in its language. Answers the signer's record.
 */
async function expectSignedBy(document: Document, issuer: string) {
  const { signerPem } = opensslVerify(document.body, document.signature.value, await (await fetch(`${baseUrl}/signing-certificate`)).text());
  const signer = await fetch(`${baseUrl}/signing-certificates/${document.signature.certificateFingerprint}`);
  expect(signer.status).toBe(200);
  const record = (await signer.json()) as { unit: string; person: string; pem: string };
  const pem = (text: string) => text.replace(/\r\n/g, '\n').trim();
  expect(pem(record.pem)).toBe(pem(signerPem));
  const units = (await (await fetch(`${baseUrl}/provider-units`)).json()) as { units: Array<{ id: string; names: Record<string, string> }> };
  const names = units.units.find((u) => u.id === issuer)!.names;
  expect(document.body.split('\n')[0]).toBe(names[document.language]);
  const official = persons.find(`${issuer}-head`)!;
  expect(record).toMatchObject({ unit: issuer, person: official.name });
  expect(document.body).toContain(
    `${document.language === 'ru' ? 'Уполномоченное лицо' : 'Уәкілетті тұлға'}: ${official.name}, ${official.position[document.language]}`,
  );
  return record;
}

describe('provider units and their keys (R1)', () => {
  test('the registry is served to anyone; an unknown unit or another system’s channel is refused and starts nothing', async () => {
    const registry = await fetch(`${baseUrl}/provider-units`);
    expect(registry.status).toBe(200);
    const { units } = (await registry.json()) as { units: Array<{ id: string; parent: string | null }> };
    expect(units.find((u) => u.id === 'almaty-city-education-department')).toMatchObject({ parent: 'ministry-of-education' });

    const freeText = await portal('POST', '/applications', await submission(1501, { providerUnit: 'Управление образования города Алматы' }));
    expect(freeText.status).toBe(422);
    expect(freeText.body.error).toMatchObject({ code: 'unknown-provider-unit', field: 'providerUnit', rule: 'R1' });
    // one that would forge a line of a signed document is not even a text the service takes (issue 16)
    const forged = await portal('POST', '/applications', await submission(1503, { providerUnit: 'Управление образования\nУВЕДОМЛЕНИЕ о приеме' }));
    expect([forged.status, forged.body.error.field]).toEqual([400, 'providerUnit']);
    const otherChannel = await platform('POST', '/applications', await submission(1502, { providerUnit: 'almaty-city-education-department' }));
    expect(otherChannel.status).toBe(403);
    expect(otherChannel.body.error).toMatchObject({ code: 'not-entitled', field: 'Authorization' });
    expect(otherChannel.body.error.message).toContain('submits on the platform channel only, not portal');
    expect(await store.application.count({ where: { iin: { in: [sampleIin(1501), sampleIin(1502)] } } })).toBe(0);
  });

  test("a provider decides its own unit's cases only; the result is signed with its own key and verifies against the CA (R1, R5)", async () => {
    const submitted = await portal('POST', '/applications', await submission(1503, { providerUnit: 'almaty-city-education-department' }));
    expect(submitted.status).toBe(202);
    const { applicationId } = submitted.body;
    await state(applicationId, 'under-review');

    const byAstana = await astana('POST', `/applications/${applicationId}/decision`, { decision: 'accept', official: 'Жанна Ахметова' });
    expect(byAstana.status).toBe(403);
    expect(byAstana.body.error.message).toContain('decides the cases of its own units only, not of almaty-city-education-department');
    const byAuthority = await authority('POST', `/applications/${applicationId}/decision`, { decision: 'accept', official: 'x' });
    expect(byAuthority.status).toBe(403);
    const still = await http('GET', `/applications/${applicationId}`);
    expect(still.body.state).toBe('under-review');

    const byAlmaty = await almaty('POST', `/applications/${applicationId}/decision`, { decision: 'accept', official: 'Динара Ахметова' });
    expect(byAlmaty.status).toBe(200);
    await state(applicationId, 'notified');
    const { cabinetId } = (await store.application.findUniqueOrThrow({ where: { id: applicationId } })) as { cabinetId: string };
    const documents = (await http('GET', `/cabinets/${cabinetId}`)).body.applications[0].documents as Document[];
    expect(documents.map((d) => `${d.kind}/${d.language}`)).toEqual(['acceptance/kk', 'acceptance/ru']);
    for (const d of documents)
      expect(await expectSignedBy(d, 'almaty-city-education-department')).toMatchObject({ unit: 'almaty-city-education-department' });
  });

  /** An application to the Medeu district, refused by the district's key and delivered (a complaint's starting point). */
  async function refusedByTheDistrict(serial: number): Promise<string> {
    const submitted = await portal('POST', '/applications', await submission(serial, { providerUnit: 'almaty-medeu-district-education-department' }));
    const { applicationId } = submitted.body;
    await state(applicationId, 'under-review');
    await medeu('POST', `/applications/${applicationId}/decision`, {
      decision: 'refuse',
      grounds: [1],
      motivation: { kk: 'Диплом не подтвержден. (kk)', ru: 'Диплом не подтвержден.' },
      official: 'Динара Ахметова',
    });
    await state(applicationId, 'notified');
    return applicationId as string;
  }

  test("a complaint through the district is decided by the city above it, never rejected by the district; the authority's decision is signed by its department (R13, APPK art. 91 §4)", async () => {
    const applicationId = await refusedByTheDistrict(1504);

    const route = `/applications/${applicationId}/complaints`;
    expect((await medeu('POST', route, { addressee: 'provider', text: 'Жалоба.' })).status).toBe(403); // not the applicant's system
    const toProvider = (await portal('POST', route, { addressee: 'provider', text: 'Диплом есть в реестре.' })).body;
    const toAuthority = (await portal('POST', route, { addressee: 'quality-authority', text: 'Диплом есть в реестре.' })).body;
    await stack.skipTo(new Date(Math.max(Date.parse(toProvider.registeredAt), Date.parse(toAuthority.registeredAt)) + 60_000));
    await eventually(
      () => http('GET', `/complaints/${toProvider.complaintId}`),
      (r) => r.body.state === 'with-provider',
    );
    await eventually(
      () => http('GET', `/complaints/${toAuthority.complaintId}`),
      (r) => r.body.state === 'under-review',
    );
    const decision = {
      outcome: 'rejected',
      motivation: { kk: 'Реестр не содержит диплома. (kk)', ru: 'Реестр не содержит диплома.' },
      official: 'Нурлан Серикбаев',
    };
    // The district never rejects a complaint against its own act: it satisfies it in full or forwards it.
    const byDistrict = await medeu('POST', `/complaints/${toProvider.complaintId}/decision`, decision);
    expect(byDistrict.status).toBe(403);
    expect(byDistrict.body.error.message).toContain('forwards it to almaty-city-education-department, which decides it (APPK art. 91 §4)');
    // The city waits until it is forwarded.
    const tooSoon = await almaty('POST', `/complaints/${toProvider.complaintId}/decision`, decision);
    expect(tooSoon.status).toBe(409);
    expect(tooSoon.body.error.message).toContain('the body above decides it once it is forwarded');
    expect((await almaty('POST', `/complaints/${toProvider.complaintId}/forwarding`, { official: 'Ерлан Жумабеков' })).status).toBe(403);
    expect((await medeu('POST', `/complaints/${toProvider.complaintId}/forwarding`, { official: 'Ерлан Жумабеков' })).status).toBe(200);
    await eventually(
      () => http('GET', `/complaints/${toProvider.complaintId}`),
      (r) => r.body.state === 'under-review' && r.body.forwardedBy === 'provider',
    );
    // The provider may not decide the complaint addressed to the authority, however it is filed; nor the other way.
    const providerOnAuthority = await almaty('POST', `/complaints/${toAuthority.complaintId}/decision`, decision);
    expect(providerOnAuthority.status).toBe(403);
    expect(providerOnAuthority.body.error.message).toContain('addressed to quality-authority-almaty-city');
    expect((await authority('POST', `/complaints/${toProvider.complaintId}/decision`, decision)).status).toBe(403);
    expect((await astana('POST', `/complaints/${toProvider.complaintId}/decision`, decision)).status).toBe(403);

    expect((await almaty('POST', `/complaints/${toProvider.complaintId}/decision`, decision)).status).toBe(200);
    expect((await authority('POST', `/complaints/${toAuthority.complaintId}/decision`, decision)).status).toBe(200);
    for (const [c, issuer] of [
      [toProvider, 'almaty-city-education-department'],
      [toAuthority, 'quality-authority-almaty-city'],
    ] as const) {
      const decided = await eventually(
        () => http('GET', `/complaints/${c.complaintId}`),
        (r) => r.body.documents.length === 2,
      );
      expect(decided.body.reviewingUnit).toBe(issuer);
      for (const d of decided.body.documents as Document[]) expect((await expectSignedBy(d, issuer)).unit).toBe(issuer);
    }
  });

  test('an overdue decision is escalated to the unit above the provider, an overdue review to the body above the reviewer (R1, R3, R13)', async () => {
    const submitted = await portal('POST', '/applications', await submission(1505, { providerUnit: 'almaty-medeu-district-education-department' }));
    const { applicationId } = submitted.body;
    const open = await state(applicationId, 'under-review');
    await stack.skipTo(new Date(Date.parse(open.body.decisionDueAt) + 60_000));
    const escalation = await eventually(
      () => store.receivedMessage.findUnique({ where: { key: `escalation:${applicationId}` } }),
      (m) => m !== null,
    );
    expect(escalation!.payload).toMatchObject({
      to: 'supervising-unit',
      unit: 'almaty-city-education-department',
      providerUnit: 'almaty-medeu-district-education-department',
    });

    // An operator's key decides it late; the teacher complains to the authority, whose department is late too.
    expect((await http('POST', `/applications/${applicationId}/decision`, { decision: 'accept', official: 'Заведующий отделом' })).status).toBe(200);
    await state(applicationId, 'notified');
    const filed = (
      await portal('POST', `/applications/${applicationId}/complaints`, {
        addressee: 'quality-authority',
        subject: 'lateness',
        text: 'Решение принято с опозданием.',
      })
    ).body;
    await stack.skipTo(new Date(Date.parse(filed.dueAt) + 60_000));
    const late = await eventually(
      () => store.receivedMessage.findUnique({ where: { key: `complaint-escalation:${filed.complaintId}` } }),
      (m) => m !== null,
    );
    expect(late!.payload).toMatchObject({ to: 'superior-body', reviewingUnit: 'quality-authority-almaty-city', unit: 'quality-authority' });
  });

  test("a complaint the district lets lie 3 working days goes on by itself to the city, the district flagged; the city's lateness escalates to the Ministry (R13, APPK art. 91 §4)", async () => {
    const applicationId = await refusedByTheDistrict(1507);
    const filed = (await portal('POST', `/applications/${applicationId}/complaints`, { addressee: 'provider', text: 'Диплом есть в реестре.' })).body;
    const withProvider = await eventually(
      () => http('GET', `/complaints/${filed.complaintId}`),
      (r) => r.body.state === 'with-provider',
    );
    expect(withProvider.body).toMatchObject({ reviewingUnit: 'almaty-city-education-department', forwardedAt: null });
    await stack.skipTo(new Date(Date.parse(withProvider.body.providerDueAt) + 60_000));
    const forwarded = await eventually(
      () => http('GET', `/complaints/${filed.complaintId}`),
      (r) => r.body.state === 'under-review',
    );
    expect(forwarded.body).toMatchObject({ forwardedBy: 'service', forwardedAt: withProvider.body.providerDueAt });
    const notice = await eventually(
      () => store.receivedMessage.findUnique({ where: { key: `complaint-forwarding:${filed.complaintId}` } }),
      (m) => m !== null,
    );
    expect(notice!.payload).toMatchObject({
      to: 'reviewing-body',
      unit: 'almaty-city-education-department',
      forwardedBy: 'service',
      providerFlagged: true,
      providerUnit: 'almaty-medeu-district-education-department',
    });
    // past the 5 working days from registration, the city is late: escalated to the body above it, still owed
    await stack.skipTo(new Date(Date.parse(filed.dueAt) + 60_000));
    const late = await eventually(
      () => store.receivedMessage.findUnique({ where: { key: `complaint-escalation:${filed.complaintId}` } }),
      (m) => m !== null,
    );
    expect(late!.payload).toMatchObject({ to: 'superior-body', reviewingUnit: 'almaty-city-education-department', unit: 'ministry-of-education' });
    const decided = await almaty('POST', `/complaints/${filed.complaintId}/decision`, {
      outcome: 'rejected',
      motivation: { kk: 'Реестр не содержит диплома. (kk)', ru: 'Реестр не содержит диплома.' },
      official: 'Нурлан Серикбаев',
    });
    expect(decided.status).toBe(200);
    expect(decided.body).toMatchObject({ decidedBy: 'reviewing-body', overdue: true });
    const { body } = await eventually(
      () => http('GET', `/complaints/${filed.complaintId}`),
      (r) => r.body.documents.length === 2,
    );
    const ru = (body.documents as Document[]).find((d) => d.language === 'ru')!;
    expect(ru.body).toContain('информационная система направила ее в вышестоящий орган');
    expect(ru.body).toContain('Орган, рассмотревший жалобу: вышестоящий административный орган услугодателя');
  });

  test('only the system that submitted an application withdraws it, and only it is told which application holds the year (R1, R10)', async () => {
    const first = await submission(1506, { providerUnit: 'astana-city-education-department' });
    const { applicationId } = (await portal('POST', '/applications', first)).body;
    const again = await portal('POST', '/applications', first);
    expect(again.status).toBe(409);
    expect(again.body.error.message).toContain(applicationId);
    const elsewhere = await platform('POST', '/applications', { ...first, category: 'moderator', channel: 'platform' });
    expect(elsewhere.status).toBe(409);
    expect(elsewhere.body.error).toMatchObject({ code: 'duplicate-application', field: 'iin', rule: 'R10' });
    expect(elsewhere.body.error.message).not.toContain(applicationId);

    const notTheirs = await platform('POST', `/applications/${applicationId}/withdrawal`, {});
    expect(notTheirs.status).toBe(403);
    expect(notTheirs.body.error.message).toContain('did not submit this application');
    expect((await portal('POST', `/applications/${applicationId}/withdrawal`, {})).status).toBe(200);
    await state(applicationId, 'withdrawn');
  });
});
