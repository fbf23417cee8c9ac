/**
 * R5 in development and tests: a local certification authority that issues each unit its organisation
 * certificate (the body's own key, issue 31), and the unit keys it keeps beside the data, so documents verify against a chain exactly as
 * production ones do against the national CA's (infra/signer.ts signs; infra/signers.ts chooses).
 */
import type { SigningCertificateInUse } from './certificate-expiry';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import forge from 'node-forge';
import { assertCurrent, CmsSigner, identityOf } from './signer';

/** A subject's attributes, in UTF-8 (names are Kazakh and Russian). */
const subjectOf = (attributes: Record<string, string>) =>
  Object.entries(attributes).map(([shortName, value]) =>
    // the subject's serial number (2.5.4.5), where the national CA writes a person's IIN, is a PrintableString
    shortName === 'serialNumber'
      ? { type: '2.5.4.5', value, valueTagClass: forge.asn1.Type.PRINTABLESTRING as unknown as forge.asn1.Class }
      : { shortName, value, valueTagClass: forge.asn1.Type.UTF8 as unknown as forge.asn1.Class },
  );

const serial = () => `01${randomBytes(8).toString('hex')}`;

function newKeyPair() {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKey: forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString()),
  };
}

/**
 * A local certification authority for development and tests: it issues each unit's authorised person a
 * certificate, so documents verify against a chain (`openssl cms -verify -CAfile <its certificate>`) exactly as
 * production ones do against the national CA's. Never for production: its key lives beside the data.
 */
export class DevelopmentCa {
  private constructor(
    readonly keyPem: string,
    readonly certPem: string,
  ) {}

  /** A new CA, valid for `years`. */
  static create(years = 10, now = new Date()): DevelopmentCa {
    const { keyPem, publicKey } = newKeyPair();
    const cert = forge.pki.createCertificate();
    cert.publicKey = publicKey;
    cert.serialNumber = serial();
    cert.validity.notBefore = new Date(now.getTime() - 60_000);
    cert.validity.notAfter = new Date(now.getTime() + years * 365 * 24 * 3600_000);
    const subject = subjectOf({
      CN: 'Development CA of the teacher attestation service (not for production)',
      O: 'Teacher attestation service',
      C: 'KZ',
    });
    cert.setSubject(subject);
    cert.setIssuer(subject);
    cert.setExtensions([
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
      { name: 'subjectKeyIdentifier' },
    ]);
    cert.sign(forge.pki.privateKeyFromPem(keyPem), forge.md.sha256.create());
    return new DevelopmentCa(keyPem, forge.pki.certificateToPem(cert));
  }

  static fromPem(keyPem: string, certPem: string): DevelopmentCa {
    return new DevelopmentCa(keyPem, certPem);
  }

  /**
   * A key and certificate: `holder` as common name (a person, or the organisation itself for a body's key), the
   * unit as organisation; a person's names their IIN as the national CA does (`serialNumber`: `IIN<12 digits>`).
   */
  issue(
    holder: string,
    organisation: string,
    validity: { from?: Date; days?: number; serialNumber?: string } = {},
  ): { keyPem: string; certPem: string } {
    const from = validity.from ?? new Date(Date.now() - 60_000);
    const { keyPem, publicKey } = newKeyPair();
    const ca = forge.pki.certificateFromPem(this.certPem);
    const cert = forge.pki.createCertificate();
    cert.publicKey = publicKey;
    cert.serialNumber = serial();
    cert.validity.notBefore = from;
    cert.validity.notAfter = new Date(from.getTime() + (validity.days ?? 2 * 365) * 24 * 3600_000);
    cert.setSubject(subjectOf({ CN: holder, ...(validity.serialNumber && { serialNumber: validity.serialNumber }), O: organisation, C: 'KZ' }));
    cert.setIssuer(ca.subject.attributes);
    cert.setExtensions([
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, nonRepudiation: true, critical: true },
      { name: 'subjectKeyIdentifier' },
      { name: 'authorityKeyIdentifier', keyIdentifier: ca.generateSubjectKeyIdentifier().getBytes() },
    ]);
    cert.sign(forge.pki.privateKeyFromPem(this.keyPem), forge.md.sha256.create());
    return { keyPem, certPem: forge.pki.certificateToPem(cert) };
  }
}

/**
 * A key and its certificate kept in a folder of their own (`key.pem`, `cert.pem`), made once: written whole into a
 * temporary folder that is then renamed into place, so processes that start together (the API, workers) never
 * read half a pair or a key with another's certificate; the one that loses the race reads the winner's.
 */
function keyPairOnce(dir: string, make: () => { keyPem: string; certPem: string }): { keyPem: string; certPem: string } {
  const read = () => ({ keyPem: fs.readFileSync(path.join(dir, 'key.pem'), 'utf8'), certPem: fs.readFileSync(path.join(dir, 'cert.pem'), 'utf8') });
  if (fs.existsSync(path.join(dir, 'cert.pem'))) return read();
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  const temporary = `${dir}.${process.pid}.${randomBytes(4).toString('hex')}`;
  fs.mkdirSync(temporary);
  const made = make();
  fs.writeFileSync(path.join(temporary, 'key.pem'), made.keyPem, { mode: 0o600 });
  fs.writeFileSync(path.join(temporary, 'cert.pem'), made.certPem);
  try {
    fs.renameSync(temporary, dir);
  } catch (error) {
    fs.rmSync(temporary, { recursive: true, force: true });
    if (!fs.existsSync(path.join(dir, 'cert.pem'))) throw error;
  }
  return read();
}

/**
 * Where the units' organisation certificates are kept. (`units/` held certificates issued to a fictitious person of
 * each unit before issue 31; they are no longer read.)
 */
const ORGANISATIONS = 'organisations';

/**
 * Development signers under `dir`: the CA made on first start (`ca/`), and each unit's organisation key and
 * certificate issued by it the first time the unit signs (`organisations/<id>/`), kept after: the body's own key,
 * never a person's (issue 31). `organisationOf` names a unit for its certificate. A certificate that has expired is
 * refused, as in production.
 */
export class DevelopmentSigners {
  private readonly ca: DevelopmentCa;
  private readonly signers = new Map<string, CmsSigner>();

  constructor(
    private readonly dir: string,
    private readonly organisationOf: (unitId: string) => string = (id) => id,
  ) {
    this.ca = ensureDevelopmentCa(dir);
    assertCurrent(identityOf(this.ca.certPem), `the development CA in ${dir}`);
    // Refused at start, not at the first document: an expired certificate would sign documents nobody can verify.
    for (const { certFile, ...identity } of issuedCertificates(dir)) {
      assertCurrent(identity, `the development signer ${certFile} (delete its folder to have a new one issued)`);
    }
  }

  forUnit(unitId: string): CmsSigner {
    const known = this.signers.get(unitId);
    if (known) return known;
    const organisation = this.organisationOf(unitId);
    const pair = keyPairOnce(path.join(this.dir, ORGANISATIONS, unitId), () => this.ca.issue(organisation, organisation));
    const signer = new CmsSigner(pair.keyPem, pair.certPem);
    this.signers.set(unitId, signer);
    return signer;
  }

  trustAnchorsPem(): string {
    return this.ca.certPem;
  }
}

/**
 * A development authorised person's own key and personal certificate (issue 31), made once under `dir`
 * (`persons/<id>/`): what stands in for the person's EDS on a token, with which `cli sign-decision` signs the
 * documents the API prepared, as NCALayer would at the official's workplace.
 */
export function developmentPersonKey(
  dir: string,
  person: { id: string; name: string; iin: string },
  organisation: string,
): { keyPem: string; certPem: string; keyFile: string } {
  const ca = ensureDevelopmentCa(dir);
  const folder = path.join(dir, 'persons', person.id);
  const pair = keyPairOnce(folder, () => ca.issue(person.name, organisation, { serialNumber: `IIN${person.iin}` }));
  assertCurrent(identityOf(pair.certPem), `the development person key ${folder} (delete the folder to have a new one issued)`);
  return { ...pair, keyFile: path.join(folder, 'key.pem') };
}

/** The units' certificates the development CA under `dir` has issued so far (`organisations/<id>/cert.pem`). */
function issuedCertificates(dir: string) {
  const unitsDir = path.join(dir, ORGANISATIONS);
  return (fs.existsSync(unitsDir) ? fs.readdirSync(unitsDir) : [])
    .map((unit) => ({ unit, certFile: path.join(unitsDir, unit, 'cert.pem') }))
    .filter(({ certFile }) => fs.existsSync(certFile))
    .map(({ unit, certFile }) => ({ unit, certFile, ...identityOf(fs.readFileSync(certFile, 'utf8')) }));
}

/** The development signers' certificates, as the expiry check reads them (no development certificate has a next one). */
export function developmentCertificates(dir: string): SigningCertificateInUse[] {
  return issuedCertificates(dir).map(({ certFile: _file, ...certificate }) => ({ ...certificate, slot: 'current' }));
}

/**
 * An information system's own key and certificate from the development CA under `dir` (`systems/<name>/`), made
 * once: what signs the service's messages to the e-government gateway, and the gateway stand-in's answers (issue 33).
 */
export function developmentSystemKey(
  dir: string,
  name: string,
  organisation: string,
): { keyPem: string; certPem: string; keyFile: string; certFile: string } {
  const ca = ensureDevelopmentCa(dir);
  const folder = path.join(dir, 'systems', name);
  const pair = keyPairOnce(folder, () => ca.issue(organisation, organisation));
  assertCurrent(identityOf(pair.certPem), `the development system key ${folder} (delete the folder to have a new one issued)`);
  return { ...pair, keyFile: path.join(folder, 'key.pem'), certFile: path.join(folder, 'cert.pem') };
}

/** The development CA under `dir` (`ca/key.pem`, `ca/cert.pem`), made on first use. */
export function ensureDevelopmentCa(dir: string): DevelopmentCa {
  const pair = keyPairOnce(path.join(dir, 'ca'), () => DevelopmentCa.create());
  return DevelopmentCa.fromPem(pair.keyPem, pair.certPem);
}
