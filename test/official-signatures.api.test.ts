/**
 * Who signs (issue 31), through the HTTP API on PostgreSQL and the time-skipping server with the real worker: a
 * decision a person takes is signed by that official with their own certificate over the documents the API
 * prepared, and accepted only from an authorised person of the deciding unit; the documents name that person
 * and their position. Every refusal leaves the case as it was. An act the system issues by rule is signed with
 * the body's own key and says it was automatic. Every signature is checked with OpenSSL, independently of our
 * code; a CMS OpenSSL itself made is accepted; NCANode's /cms/verify is spoken to over real HTTP.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DevelopmentCa, developmentPersonKey, ensureDevelopmentCa } from '../infra/development-ca';
import { shippedProviderUnits } from '../infra/provider-units';
import { CmsSigner } from '../infra/signer';
import { LocalSignatureVerifier, NcaNodeSignatureVerifier } from '../infra/signature-verifier';
import { SHIPPED_AUTHORISED_PERSONS_FILE, loadAuthorisedPersons } from '../infra/authorised-persons';
import { essayOf, sampleIin, sampleSubmission } from './helpers/applications';
import { academicYearOf } from './helpers/clock';
import { eventually, TEST_API_KEY, type HttpAnswer } from './helpers/http';
import { opensslVerify } from './helpers/openssl';
import { signAs } from './helpers/officials';
import { startFakeNcaNode } from './helpers/fake-ncanode';
import { startTimeSkippingStack, type TimeSkippingStack } from './helpers/service';

const units = shippedProviderUnits();
const persons = loadAuthorisedPersons(SHIPPED_AUTHORISED_PERSONS_FILE, units);
const ALMATY = 'almaty-city-education-department';
const ALMATY_HEAD = `${ALMATY}-head`;
const ASTANA_HEAD = 'astana-city-education-department-head';

let stack: TimeSkippingStack;
let signingDir: string;

/** The raw API, no signing done for the caller: this file signs, or does not, itself. */
async function api(method: string, route: string, body?: unknown): Promise<HttpAnswer> {
  const response = await fetch(`${stack.baseUrl}${route}`, {
    method,
    headers: { authorization: `Bearer ${TEST_API_KEY}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as HttpAnswer['body'] };
}

beforeAll(async () => {
  stack = await startTimeSkippingStack('official-signatures');
  signingDir = stack.signingDir;
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

let serial = 7_100;
/** A case under review at the Almaty department, with no documents yet. */
async function underReview(overrides: object = {}): Promise<string> {
  const at = await stack.atNextWorkingMoment();
  const submitted = await api('POST', '/applications', {
    ...sampleSubmission({ iin: sampleIin(++serial), submittedAt: at, academicYear: academicYearOf(at) }),
    ...overrides,
  });
  expect(submitted.status).toBe(202);
  const id = submitted.body.applicationId as string;
  await eventually(
    () => api('GET', `/applications/${id}`),
    (r) => r.body.state === 'under-review' || r.body.state === 'notified',
  );
  return id;
}

const refusal = {
  decision: 'refuse',
  grounds: [1],
  motivation: {
    kk: 'Біліктілікті арттыру курстарынан өткені туралы сертификатты мұндай құқығы жоқ ұйым берген.',
    ru: 'Сертификат о прохождении курсов повышения квалификации выдан организацией, не имеющей такого права.',
  },
};

async function prepare(id: string, official: string, decision: object = refusal) {
  const prepared = await api('POST', `/applications/${id}/decision/documents`, { ...decision, official });
  return prepared;
}

/** Signatures of the prepared documents by `sign`, one per language. */
async function signaturesOf(documents: Array<{ language: string; body: string }>, sign: (body: string) => Promise<string>) {
  const signatures: Record<string, string> = {};
  for (const d of documents) signatures[d.language] = await sign(d.body);
  return signatures;
}

/** The case has not moved: still under review, no document issued. */
async function expectUnchanged(id: string) {
  const kase = await api('GET', `/applications/${id}`);
  expect(kase.body).toMatchObject({ state: 'under-review', decision: null, notices: [] });
}

test("a decision signed by an authorised person of the case's unit is taken; the cabinet's documents name that person, and OpenSSL verifies them", async () => {
  const id = await underReview();
  const prepared = await prepare(id, ALMATY_HEAD);
  expect(prepared.status).toBe(200);
  const person = persons.find(ALMATY_HEAD)!;
  expect(prepared.body).toMatchObject({ kind: 'refusal', unit: ALMATY, official: { id: ALMATY_HEAD, name: person.name, position: person.position } });
  // preparing changes nothing
  await expectUnchanged(id);
  const signatures = await signaturesOf(prepared.body.documents, (body) => signAs(signingDir, ALMATY_HEAD, body));
  const decided = await api('POST', `/applications/${id}/decision`, {
    ...refusal,
    official: ALMATY_HEAD,
    preparedAt: prepared.body.preparedAt,
    signatures,
  });
  expect(decided.status).toBe(200);
  const done = await eventually(
    () => api('GET', `/applications/${id}`),
    (r) => r.body.state === 'notified',
  );
  const documents = done.body.notices as Array<{ language: 'kk' | 'ru'; body: string; signature: { value: string; certificateFingerprint: string } }>;
  expect(documents.map((d) => d.language).sort()).toEqual(['kk', 'ru']);
  for (const d of documents) {
    // the bytes the official signed are the ones in the cabinet
    expect(d.body).toBe(prepared.body.documents.find((p: { language: string }) => p.language === d.language).body);
    expect(d.body).toContain(`${person.name}, ${person.position[d.language]}`);
    expect(d.body).toContain(refusal.motivation[d.language]);
    const { subject } = opensslVerify(d.body, d.signature.value, stack.trustAnchorsPem);
    expect(subject).toContain(`CN=${person.name}`);
    expect(subject).toContain(`serialNumber=IIN${person.iin}`);
    // the certificate is resolvable, under the unit it decided for
    const certificate = await api('GET', `/signing-certificates/${d.signature.certificateFingerprint}`);
    expect(certificate.body).toMatchObject({ unit: ALMATY, person: person.name });
  }
  expect(done.body.complaints).toEqual([]);
});

test('the same decision signed by a person of another unit, by an expired certificate, over other bytes, by another CA, or unsigned, is refused naming why; the case is unchanged', async () => {
  const id = await underReview();
  const prepared = await prepare(id, ALMATY_HEAD);
  const decide = (signatures: unknown, extra: object = {}) =>
    api('POST', `/applications/${id}/decision`, { ...refusal, official: ALMATY_HEAD, preparedAt: prepared.body.preparedAt, signatures, ...extra });
  const expectRefused = async (answer: Promise<HttpAnswer>, status: number, code: string, field: string) => {
    const { status: got, body } = await answer;
    expect({ status: got, code: body.error?.code, field: body.error?.field }).toEqual({ status, code, field });
    await expectUnchanged(id);
    return body.error.message as string;
  };

  // a person of another unit: not to be prepared for, and not to sign for the one prepared
  await expectRefused(prepare(id, ASTANA_HEAD), 403, 'official-not-authorised', 'official');
  const byAstana = await signaturesOf(prepared.body.documents, (body) => signAs(signingDir, ASTANA_HEAD, body));
  expect(await expectRefused(decide(byAstana), 403, 'signer-not-official', 'signatures.kk')).toContain(
    'an official signs with their own certificate',
  );
  // an unknown person
  await expectRefused(prepare(id, 'nobody-head'), 422, 'official-unknown', 'official');

  // the right person's expired certificate (issued by the same CA a year ago, valid a month)
  const ca = ensureDevelopmentCa(signingDir);
  const person = persons.find(ALMATY_HEAD)!;
  const expired = ca.issue(person.name, units.get(ALMATY).names.ru, {
    from: new Date(Date.now() - 400 * 86_400_000),
    days: 30,
    serialNumber: `IIN${person.iin}`,
  });
  const byExpired = await signaturesOf(
    prepared.body.documents,
    async (body) => (await new CmsSigner(expired.keyPem, expired.certPem).sign(Buffer.from(body))).cms,
  );
  await expectRefused(decide(byExpired), 422, 'certificate-expired', 'signatures.kk');

  // over other bytes: the document changed by one character
  const other = await signaturesOf(prepared.body.documents, (body) => signAs(signingDir, ALMATY_HEAD, body.replace('Ахметова', 'Axметова') + ' '));
  expect(await expectRefused(decide(other), 422, 'signature-invalid', 'signatures.kk')).toContain('not over the documents prepared');
  // a certificate of another CA, naming the same person
  const foreign = DevelopmentCa.create().issue(person.name, 'x', { serialNumber: `IIN${person.iin}` });
  const byForeign = await signaturesOf(
    prepared.body.documents,
    async (body) => (await new CmsSigner(foreign.keyPem, foreign.certPem).sign(Buffer.from(body))).cms,
  );
  await expectRefused(decide(byForeign), 422, 'certificate-untrusted', 'signatures.kk');
  // unsigned, or one language only
  const { signatures: _none, ...unsigned } = { ...refusal, official: ALMATY_HEAD, preparedAt: prepared.body.preparedAt, signatures: null };
  await expectRefused(api('POST', `/applications/${id}/decision`, unsigned), 400, 'missing-field', 'signatures');
  const right = await signaturesOf(prepared.body.documents, (body) => signAs(signingDir, ALMATY_HEAD, body));
  await expectRefused(decide({ ru: right.ru }), 400, 'missing-field', 'signatures.kk');
  // the decision differs from the one prepared (an acceptance signed as a refusal's documents)
  await expectRefused(decide(right, { decision: 'accept', grounds: undefined, motivation: undefined }), 422, 'signature-invalid', 'signatures.kk');
  // prepared two days ago
  await expectRefused(
    decide(right, { preparedAt: new Date(Date.parse(prepared.body.preparedAt) - 2 * 86_400_000).toISOString() }),
    422,
    'preparation-stale',
    'preparedAt',
  );

  // and the right signatures, after all that, are taken
  expect((await decide(right)).status).toBe(200);
});

test('a signature OpenSSL made (an independent signer, as NCALayer is) is accepted', async () => {
  const id = await underReview();
  const accept = { decision: 'accept' };
  const prepared = await prepare(id, ALMATY_HEAD, accept);
  const key = developmentPersonKey(signingDir, persons.find(ALMATY_HEAD)!, units.get(ALMATY).names.ru);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'openssl-sign-'));
  fs.writeFileSync(path.join(dir, 'key.pem'), key.keyPem);
  fs.writeFileSync(path.join(dir, 'cert.pem'), key.certPem);
  const signatures = await signaturesOf(prepared.body.documents, async (body) => {
    fs.writeFileSync(path.join(dir, 'doc'), body);
    execFileSync(
      'openssl',
      ['cms', '-sign', '-binary', '-md', 'sha256', '-in', 'doc', '-signer', 'cert.pem', '-inkey', 'key.pem', '-outform', 'DER', '-out', 'sig'],
      {
        cwd: dir,
      },
    );
    return fs.readFileSync(path.join(dir, 'sig')).toString('base64');
  });
  const decided = await api('POST', `/applications/${id}/decision`, {
    ...accept,
    official: ALMATY_HEAD,
    preparedAt: prepared.body.preparedAt,
    signatures,
  });
  expect(decided.status).toBe(200);
  expect(decided.body).toMatchObject({ decision: 'accept' });
});

test("a refusal by rule is signed with the unit's organisation certificate and says it was automatic", async () => {
  const id = await underReview({ essay: essayOf(249) });
  const done = await eventually(
    () => api('GET', `/applications/${id}`),
    (r) => r.body.state === 'notified',
  );
  for (const d of done.body.notices as Array<{ language: 'kk' | 'ru'; body: string; signature: { value: string } }>) {
    const { subject } = opensslVerify(d.body, d.signature.value, stack.trustAnchorsPem);
    // the body's key: the unit itself is its holder, no person's name
    expect(subject).toBe(`subject=CN=${units.get(ALMATY).names.ru},O=${units.get(ALMATY).names.ru},C=KZ`);
    expect(d.body).toContain(
      d.language === 'ru'
        ? 'Решение принято автоматически по результатам проверки заявления информационной системой; удостоверено ЭЦП услугодателя.'
        : 'Шешім өтінішті ақпараттық жүйенің тексеруі нәтижесінде автоматты түрде қабылданды; көрсетілетін қызметті берушінің ЭЦҚ-мен куәландырылды.',
    );
    expect(d.body).not.toMatch(/Уполномоченное лицо|Уәкілетті тұлға/);
  }
});

test("a complaint's decision is signed by an authorised person of the body deciding it, and names them", async () => {
  const id = await underReview();
  const prepared = await prepare(id, ALMATY_HEAD, { decision: 'accept' });
  const signatures = await signaturesOf(prepared.body.documents, (body) => signAs(signingDir, ALMATY_HEAD, body));
  expect(
    (
      await api('POST', `/applications/${id}/decision`, {
        decision: 'accept',
        official: ALMATY_HEAD,
        preparedAt: prepared.body.preparedAt,
        signatures,
      })
    ).status,
  ).toBe(200);
  await eventually(
    () => api('GET', `/applications/${id}`),
    (r) => r.body.state === 'notified',
  );
  const filed = await api('POST', `/applications/${id}/complaints`, { addressee: 'quality-authority', text: 'The category is wrong.' });
  expect(filed.status).toBe(202);
  const complaintId = filed.body.complaintId as string;
  await stack.skipTo(new Date(Date.parse(filed.body.registeredAt) + 60_000));
  const open = await eventually(
    () => api('GET', `/complaints/${complaintId}`),
    (r) => r.body.state === 'under-review',
  );
  const reviewer = `${open.body.reviewingUnit}-head`;
  const decision = {
    outcome: 'rejected',
    motivation: { kk: 'Біліктілік санаты дұрыс көрсетілген.', ru: 'Квалификационная категория указана верно.' },
  };
  // the provider's person may not sign the department's decision
  const byProvider = await api('POST', `/complaints/${complaintId}/decision/documents`, { ...decision, official: ALMATY_HEAD });
  expect([byProvider.status, byProvider.body.error.code]).toEqual([403, 'official-not-authorised']);
  const preparedDecision = await api('POST', `/complaints/${complaintId}/decision/documents`, { ...decision, official: reviewer });
  expect(preparedDecision.status).toBe(200);
  const signed = await signaturesOf(preparedDecision.body.documents, (body) => signAs(signingDir, reviewer, body));
  const decided = await api('POST', `/complaints/${complaintId}/decision`, {
    ...decision,
    official: reviewer,
    preparedAt: preparedDecision.body.preparedAt,
    signatures: signed,
  });
  expect(decided.status).toBe(200);
  const complaint = await eventually(
    () => api('GET', `/complaints/${complaintId}`),
    (r) => r.body.documents?.length === 2,
  );
  const person = persons.find(reviewer)!;
  for (const d of complaint.body.documents as Array<{ language: 'kk' | 'ru'; body: string; signature: { value: string } }>) {
    expect(d.body).toContain(`${person.name}, ${person.position[d.language]}`);
    expect(d.body).toContain(decision.motivation[d.language]);
    expect(opensslVerify(d.body, d.signature.value, stack.trustAnchorsPem).subject).toContain(`serialNumber=IIN${person.iin}`);
  }
  expect(complaint.body).toMatchObject({ outcome: 'rejected', official: person.name, motivation: decision.motivation });
});

describe("NCANode's /cms/verify, behind the verifier's interface (issue 31)", () => {
  test('a valid signature verifies, a changed document does not; the local verifier agrees', async () => {
    const ncanode = await startFakeNcaNode(stack.trustAnchorsPem);
    try {
      const remote = new NcaNodeSignatureVerifier({ url: ncanode.url, ocsp: true });
      const local = new LocalSignatureVerifier(() => stack.trustAnchorsPem);
      const document = Buffer.from('Шешім\n', 'utf8');
      const cms = await signAs(signingDir, ALMATY_HEAD, document.toString('utf8'));
      for (const verifier of [remote, local]) {
        expect(await verifier.verify(document, cms)).toMatchObject({ identity: { subjectSerialNumber: `IIN${persons.find(ALMATY_HEAD)!.iin}` } });
        expect(await verifier.verify(Buffer.from('Шешім \n', 'utf8'), cms)).toMatchObject({ code: 'signature-invalid' });
      }
      expect(ncanode.verifyRequests.at(-1)).toEqual({ revocationCheck: ['OCSP'] });
    } finally {
      await ncanode.close();
    }
  });
});
