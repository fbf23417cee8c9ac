/**
 * R5, R13: every unit signs with its own key and organisation certificate, issued by a certification authority, so
 * a document verifies against the chain (here with OpenSSL, independently of our code) and names the holder whose
 * key signed it; a unit without a key of its own, an expired certificate or one from another CA stops the start
 * (issue 31: never another unit's key); the adapter for NCANode's signing service works over real HTTP against a
 * local stand-in of its protocol.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { shippedProviderUnits } from '../infra/provider-units';
import { NcaNodeSigner } from '../infra/ncanode-signer';
import { DevelopmentCa, DevelopmentSigners } from '../infra/development-ca';
import { fingerprintOf, identityOf, type DocumentSigner } from '../infra/signer';
import { ConfiguredSigners, developmentSigners } from '../infra/signers';
import { pkcs12Of, startFakeNcaNode, type FakeNcaNode } from './helpers/fake-ncanode';
import { opensslRefuses, opensslVerify } from './helpers/openssl';
import { everyUnitsKeys } from './helpers/signers-file';

const units = shippedProviderUnits();
const scratch = () => fs.mkdtempSync(path.join(os.tmpdir(), 'signers-'));
const document = Buffer.from('УВЕДОМЛЕНИЕ о приеме документов\nЗаявление № 1\n', 'utf8');

describe('development signers: a local CA issues each unit its own organisation certificate (R5)', () => {
  const dir = scratch();
  const signers = developmentSigners(dir, units);

  test('a document verifies against the CA with OpenSSL and names the unit itself, the holder of its key', async () => {
    const { unit, signer } = signers.forUnit('almaty-city-education-department');
    expect(unit).toBe('almaty-city-education-department');
    const signature = await signer.sign(document);
    const { subject, signerPem } = opensslVerify(document, signature.cms, signers.trustAnchorsPem());
    expect(subject).toBe('subject=CN=Управление образования города Алматы,O=Управление образования города Алматы,C=KZ');
    expect(fingerprintOf(signerPem)).toBe(signature.certificateFingerprint);
    // a changed document, or another CA, does not verify
    expect(opensslRefuses(Buffer.concat([document, Buffer.from(' ')]), signature.cms, signers.trustAnchorsPem())).toBe(true);
    expect(opensslRefuses(document, signature.cms, DevelopmentCa.create().certPem)).toBe(true);
  });

  test('two units sign with two keys; the same unit with the same key after a restart', async () => {
    const almaty = signers.forUnit('almaty-city-education-department').signer.identity();
    const astana = signers.forUnit('astana-city-education-department').signer.identity();
    expect(almaty.fingerprint).not.toBe(astana.fingerprint);
    expect(developmentSigners(dir, units).forUnit('almaty-city-education-department').signer.identity().fingerprint).toBe(almaty.fingerprint);
  });

  test('processes that start together make one CA, never a key with another’s certificate', () => {
    const shared = scratch();
    const script = `const { ensureDevelopmentCa } = require(${JSON.stringify(path.join(__dirname, '..', 'infra', 'development-ca.ts'))});
      const { fingerprintOf } = require(${JSON.stringify(path.join(__dirname, '..', 'infra', 'signer.ts'))});
      const { createPrivateKey, createPublicKey } = require('node:crypto');
      const ca = ensureDevelopmentCa(process.argv[1]);
      const matches = createPublicKey(createPrivateKey(ca.keyPem)).export({ type: 'spki', format: 'pem' }) === createPublicKey(ca.certPem).export({ type: 'spki', format: 'pem' });
      console.log(fingerprintOf(ca.certPem) + ' ' + matches);`;
    const started = Array.from({ length: 4 }, () =>
      spawn(process.execPath, ['--import', 'tsx', '-e', script, shared], { stdio: ['ignore', 'pipe', 'inherit'] }),
    );
    return Promise.all(
      started.map(
        (child: ChildProcess) =>
          new Promise<string>((resolve) => {
            let out = '';
            child.stdout!.on('data', (d) => (out += d));
            child.on('close', () => resolve(out.trim()));
          }),
      ),
    ).then((answers) => {
      expect(new Set(answers).size).toBe(1);
      expect(answers[0]).toMatch(/^[0-9a-f]{64} true$/);
    });
  });

  test('an expired certificate stops the start, naming the file', () => {
    const expiredDir = scratch();
    const ca = DevelopmentCa.create();
    fs.mkdirSync(path.join(expiredDir, 'ca'));
    fs.writeFileSync(path.join(expiredDir, 'ca', 'key.pem'), ca.keyPem);
    fs.writeFileSync(path.join(expiredDir, 'ca', 'cert.pem'), ca.certPem);
    const old = ca.issue('Исаев Ерлан Бахытович', 'Управление образования города Астаны', { from: new Date('2024-01-01T00:00:00Z'), days: 365 });
    const unitDir = path.join(expiredDir, 'organisations', 'astana-city-education-department');
    fs.mkdirSync(unitDir, { recursive: true });
    fs.writeFileSync(path.join(unitDir, 'key.pem'), old.keyPem);
    fs.writeFileSync(path.join(unitDir, 'cert.pem'), old.certPem);
    expect(() => new DevelopmentSigners(expiredDir)).toThrow(/astana-city-education-department\/cert\.pem .*expired on 2024-12-31/);
  });
});

describe('configured signers (SIGNERS_FILE): files, or containers behind NCANode (R5)', () => {
  let ncanode: FakeNcaNode;
  const dir = scratch();
  const ca = DevelopmentCa.create();
  fs.writeFileSync(path.join(dir, 'ca.pem'), ca.certPem);
  /** Writes a unit's key and certificate, answering their file names. */
  const issue = (name: string, person: string, validity?: { from: Date; days: number }, by = ca) => {
    const made = by.issue(person, name, validity);
    fs.writeFileSync(path.join(dir, `${name}.key.pem`), made.keyPem);
    fs.writeFileSync(path.join(dir, `${name}.cert.pem`), made.certPem);
    return { keyFile: `${name}.key.pem`, certFile: `${name}.cert.pem`, ...made };
  };
  /** every unit's own key, `instead` replacing some */
  const all = (instead: Record<string, object> = {}, without: string[] = []) => everyUnitsKeys(dir, ca, units, { instead, without });
  const pick = (f: { keyFile: string; certFile: string }) => ({ keyFile: f.keyFile, certFile: f.certFile });
  const configure = (signers: object[]) => {
    const file = path.join(dir, `signers-${Math.random().toString(36).slice(2)}.json`);
    fs.writeFileSync(file, JSON.stringify({ trustAnchorsFile: 'ca.pem', signers }));
    return file;
  };

  beforeAll(async () => {
    ncanode = await startFakeNcaNode();
  });
  afterAll(async () => {
    await ncanode.close();
  });

  test('each unit signs with its own key, never with the unit above it (issue 31)', async () => {
    const signers = new ConfiguredSigners(configure(all()), units);
    const school = signers.forUnit('almaty-school-gymnasium-159');
    expect(school.unit).toBe('almaty-school-gymnasium-159');
    expect(school.signer.identity().person).toBe(units.get('almaty-school-gymnasium-159').names.ru);
    expect(school.signer.identity().fingerprint).not.toBe(signers.forUnit('almaty-city-education-department').signer.identity().fingerprint);
    expect(signers.forUnit('quality-authority-almaty-city').unit).toBe('quality-authority-almaty-city');
    // a case from before the registry: its unit is free text, no key's holder; the top of the tree signs
    expect(signers.forUnit('Almaty city education department').unit).toBe('ministry-of-education');
    const signature = await school.signer.sign(document);
    expect(opensslVerify(document, signature.cms, signers.trustAnchorsPem()).subject).toContain(
      `CN=${units.get('almaty-school-gymnasium-159').names.ru}`,
    );
  });

  test.each<[string, () => object[], RegExp]>([
    [
      'an expired certificate',
      () => all({ 'almaty-city-education-department': pick(issue('old', 'Исаев Ерлан', { from: new Date('2023-01-01'), days: 30 })) }),
      /the signer of almaty-city-education-department: its certificate expired/,
    ],
    [
      'a certificate another CA issued',
      () => all({ 'almaty-city-education-department': pick(issue('foreign', 'Исаев Ерлан', undefined, DevelopmentCa.create())) }),
      /does not chain to ca\.pem/,
    ],
    [
      'a unit without a key of its own (a school; the State Corporation)',
      () => all({}, ['almaty-school-gymnasium-159', 'state-corporation']),
      /2 unit\(s\) of the registry have no key of their own, and a unit's documents are never signed with another's: almaty-school-gymnasium-159, state-corporation/,
    ],
    ['a unit the registry lacks', () => [...all(), { unit: 'almaty', ...pick(issue('x', 'Исаев Ерлан')) }], /the signer of almaty: no such unit/],
    [
      'a container whose password is not set',
      () =>
        all({
          'almaty-city-education-department': {
            certFile: 'x.cert.pem',
            ncanode: { url: 'http://127.0.0.1:9', p12File: 'x.p12', passwordEnv: 'NO_SUCH_PASSWORD' },
          },
        }),
      /NO_SUCH_PASSWORD \(the container's password\) is not set/,
    ],
  ])('%s stops the start, naming it', (_name, signers, message) => {
    expect(() => new ConfiguredSigners(configure(signers()), units, {})).toThrow(message);
  });

  test('a unit whose key is a container behind NCANode signs through it; the document verifies against the CA', async () => {
    const made = issue('astana', 'Серикбаев Нурлан Асетович');
    fs.writeFileSync(path.join(dir, 'astana.p12'), pkcs12Of(made.keyPem, made.certPem, 'пароль-123'));
    const file = configure(
      all({
        'astana-school-lyceum-8': {
          certFile: 'astana.cert.pem',
          ncanode: { url: ncanode.url, p12File: 'astana.p12', passwordEnv: 'ASTANA_P12_PASSWORD' },
        },
      }),
    );
    const signers = new ConfiguredSigners(file, units, { ASTANA_P12_PASSWORD: 'пароль-123' });
    const { signer } = signers.forUnit('astana-school-lyceum-8');
    expect(signer).toBeInstanceOf(NcaNodeSigner);
    const signature = await signer.sign(document);
    expect(signature.certificateFingerprint).toBe(fingerprintOf(made.certPem));
    expect(opensslVerify(document, signature.cms, ca.certPem).subject).toContain('CN=Серикбаев Нурлан Асетович');
    expect(ncanode.requests.at(-1)).toEqual({ detached: true, withTsp: false, signers: 1 });
  });

  test("the service's refusal is the signer's error; a signature with another certificate than configured is refused", async () => {
    const made = issue('karaganda', 'Байжанов Азамат Муратович');
    fs.writeFileSync(path.join(dir, 'karaganda.p12'), pkcs12Of(made.keyPem, made.certPem, 'right'));
    const settings = { url: ncanode.url, p12File: path.join(dir, 'karaganda.p12'), certFile: path.join(dir, 'karaganda.cert.pem') };
    const wrongPassword: DocumentSigner = new NcaNodeSigner({ ...settings, password: 'wrong' });
    await expect(wrongPassword.sign(document)).rejects.toThrow('the signing service answered 400: Неверный пароль или ключ');
    const other = issue('other', 'Нуртазина Сауле Жанатовна');
    const mismatched = new NcaNodeSigner({ ...settings, password: 'right', certFile: path.join(dir, 'other.cert.pem') });
    expect(mismatched.identity().person).toBe(identityOf(other.certPem).person);
    await expect(mismatched.sign(document)).rejects.toThrow(/signed with another certificate than .*other\.cert\.pem names/);
  });
});
