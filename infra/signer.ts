/**
 * R5: documents are certified by the electronic digital signature (EDS) of the authorised person of the body that
 * issues them — the provider unit for a result, the reviewing body for a complaint's decision (R13). Each unit
 * signs with its own key and certificate; a certificate is issued by a certification authority (the national one
 * in production, a local development CA otherwise), so a verifier checks the chain as well as the signature.
 *
 * The signature is a detached CMS (PKCS#7) SignedData over the document's bytes that carries the signer's
 * certificate. Two ways to hold a key, behind one interface: in this process (a PEM key and certificate), or in
 * a signing service over HTTP (infra/ncanode-signer.ts).
 */
import { constants, createHash, createPrivateKey, generateKeyPairSync, privateEncrypt, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import forge from 'node-forge';

/** RSASSA-PKCS1-v1_5 signs the DER DigestInfo: this prefix (AlgorithmIdentifier sha256) and the digest (RFC 8017 §9.2). */
const SHA256_DIGEST_INFO = Buffer.from('3031300d060960864801650304020105000420', 'hex');

export interface Signature {
  /** detached CMS SignedData, DER, base64, with the signer's certificate inside */
  cms: string;
  /** SHA-256 fingerprint of the signing certificate, hex */
  certificateFingerprint: string;
}

/** Who signs: read from the certificate, so a document names exactly the person its signature proves. */
export interface SignerIdentity {
  /** the authorised person (the certificate's common name) */
  person: string;
  /** the organisation the certificate names */
  organisation: string | null;
  /** SHA-256 over the certificate's DER, hex: resolvable through `GET /signing-certificates/:fingerprint` */
  fingerprint: string;
  notBefore: Date;
  notAfter: Date;
  certificatePem: string;
}

export interface DocumentSigner {
  sign(document: Buffer): Promise<Signature>;
  identity(): SignerIdentity;
}

/** Whose key signs for a unit: the unit's own, or (a unit without one) the nearest unit's above it. */
export interface UnitKey {
  /** the unit whose authorised person holds the key */
  unit: string;
  signer: DocumentSigner;
}

/** The signers of every unit, and the certificates a verifier trusts them by. */
export interface UnitSigners {
  /** the key that signs the documents a unit issues (R5, R13) */
  forUnit(unitId: string): UnitKey;
  /** the trust anchors (PEM): the certification authority that issued the signers' certificates */
  trustAnchorsPem(): string;
}

const decodeUtf8 = (value: string) => {
  try {
    return forge.util.decodeUtf8(value);
  } catch {
    return value;
  }
};

export function fingerprintOf(certificatePem: string): string {
  const der = forge.asn1.toDer(forge.pki.certificateToAsn1(forge.pki.certificateFromPem(certificatePem))).getBytes();
  return createHash('sha256').update(Buffer.from(der, 'binary')).digest('hex');
}

/** The person, organisation, fingerprint and validity a certificate states. */
export function identityOf(certificatePem: string): SignerIdentity {
  const certificate = forge.pki.certificateFromPem(certificatePem);
  const field = (name: string) => {
    const value = certificate.subject.getField(name)?.value as string | undefined;
    return value === undefined ? null : decodeUtf8(value);
  };
  return {
    person: field('CN') ?? '',
    organisation: field('O'),
    fingerprint: fingerprintOf(certificatePem),
    notBefore: certificate.validity.notBefore,
    notAfter: certificate.validity.notAfter,
    certificatePem,
  };
}

/** Refuses a certificate outside its validity: a document signed with it would not verify (checked at start). */
export function assertCurrent(identity: SignerIdentity, what: string, now = new Date()): void {
  if (identity.notAfter <= now) throw new Error(`${what}: its certificate expired on ${identity.notAfter.toISOString()}; install a current one`);
  if (identity.notBefore > now) throw new Error(`${what}: its certificate is valid only from ${identity.notBefore.toISOString()}`);
}

/** Signs with a key and certificate held by this process (PEM). */
export class CmsSigner implements DocumentSigner {
  private readonly key: forge.pki.rsa.PrivateKey;
  private readonly certificate: forge.pki.Certificate;
  private readonly who: SignerIdentity;

  constructor(keyPem: string, certPem: string) {
    // forge builds the CMS structure; the RSA operation itself is OpenSSL's (node:crypto), some 30 times faster
    // than forge's JavaScript (issue 7: it was a quarter of the worker's CPU per case).
    const nodeKey = createPrivateKey(keyPem);
    this.key = {
      sign: (md: forge.md.MessageDigest) =>
        privateEncrypt(
          { key: nodeKey, padding: constants.RSA_PKCS1_PADDING },
          Buffer.concat([SHA256_DIGEST_INFO, Buffer.from(md.digest().getBytes(), 'binary')]),
        ).toString('binary'),
    } as unknown as forge.pki.rsa.PrivateKey;
    this.certificate = forge.pki.certificateFromPem(certPem);
    this.who = identityOf(certPem);
  }

  async sign(document: Buffer): Promise<Signature> {
    const signed = forge.pkcs7.createSignedData();
    signed.content = forge.util.createBuffer(document.toString('binary'));
    signed.addCertificate(this.certificate);
    signed.addSigner({
      key: this.key,
      certificate: this.certificate,
      digestAlgorithm: forge.pki.oids.sha256,
      authenticatedAttributes: [
        { type: forge.pki.oids.contentType, value: forge.pki.oids.data },
        { type: forge.pki.oids.messageDigest },
        { type: forge.pki.oids.signingTime, value: new Date() as unknown as string },
      ],
    });
    signed.sign({ detached: true });
    const der = forge.asn1.toDer(signed.toAsn1()).getBytes();
    return { cms: Buffer.from(der, 'binary').toString('base64'), certificateFingerprint: this.who.fingerprint };
  }

  identity(): SignerIdentity {
    return this.who;
  }
}

/** A subject's attributes, in UTF-8 (names are Kazakh and Russian). */
const subjectOf = (attributes: Record<string, string>) =>
  Object.entries(attributes).map(([shortName, value]) => ({ shortName, value, valueTagClass: forge.asn1.Type.UTF8 as unknown as forge.asn1.Class }));

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

  /** A key and certificate for a unit's authorised person: the person as common name, the unit as organisation. */
  issue(person: string, organisation: string, validity: { from?: Date; days?: number } = {}): { keyPem: string; certPem: string } {
    const from = validity.from ?? new Date(Date.now() - 60_000);
    const { keyPem, publicKey } = newKeyPair();
    const ca = forge.pki.certificateFromPem(this.certPem);
    const cert = forge.pki.createCertificate();
    cert.publicKey = publicKey;
    cert.serialNumber = serial();
    cert.validity.notBefore = from;
    cert.validity.notAfter = new Date(from.getTime() + (validity.days ?? 2 * 365) * 24 * 3600_000);
    cert.setSubject(subjectOf({ CN: person, O: organisation, C: 'KZ' }));
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

/** Fictitious authorised persons for development certificates: each unit gets one, always the same. */
const DEVELOPMENT_PERSONS = [
  'Ахметова Динара Кайратовна',
  'Серикбаев Нурлан Асетович',
  'Жумабекова Алия Маратовна',
  'Исаев Ерлан Бахытович',
  'Касымова Гульнара Ериковна',
  'Омаров Данияр Сагатович',
  'Нуртазина Сауле Жанатовна',
  'Байжанов Азамат Муратович',
];

export function developmentPersonOf(unitId: string): string {
  return DEVELOPMENT_PERSONS[createHash('sha256').update(unitId).digest()[0] % DEVELOPMENT_PERSONS.length];
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
 * Development signers under `dir`: the CA made on first start (`ca/`), and each unit's key and certificate issued
 * by it the first time the unit signs (`units/<id>/`), kept after. `organisationOf` names a unit for its
 * certificate. A certificate that has expired is refused, as in production.
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
    const unitsDir = path.join(dir, 'units');
    // Refused at start, not at the first document: an expired certificate would sign documents nobody can verify.
    for (const unit of fs.existsSync(unitsDir) ? fs.readdirSync(unitsDir) : []) {
      const certFile = path.join(unitsDir, unit, 'cert.pem');
      if (fs.existsSync(certFile))
        assertCurrent(
          identityOf(fs.readFileSync(certFile, 'utf8')),
          `the development signer ${certFile} (delete its folder to have a new one issued)`,
        );
    }
  }

  forUnit(unitId: string): CmsSigner {
    const known = this.signers.get(unitId);
    if (known) return known;
    const pair = keyPairOnce(path.join(this.dir, 'units', unitId), () => this.ca.issue(developmentPersonOf(unitId), this.organisationOf(unitId)));
    const signer = new CmsSigner(pair.keyPem, pair.certPem);
    this.signers.set(unitId, signer);
    return signer;
  }

  trustAnchorsPem(): string {
    return this.ca.certPem;
  }
}

/** The development CA under `dir` (`ca/key.pem`, `ca/cert.pem`), made on first use. */
export function ensureDevelopmentCa(dir: string): DevelopmentCa {
  const pair = keyPairOnce(path.join(dir, 'ca'), () => DevelopmentCa.create());
  return DevelopmentCa.fromPem(pair.keyPem, pair.certPem);
}

/** The certificate embedded in a CMS signature (PEM), or null when it carries none. */
export function embeddedCertificate(cmsBase64: string): string | null {
  const message = forge.pkcs7.messageFromAsn1(
    forge.asn1.fromDer(forge.util.createBuffer(Buffer.from(cmsBase64, 'base64').toString('binary'))),
  ) as forge.pkcs7.PkcsSignedData;
  const [certificate] = message.certificates ?? [];
  return certificate ? forge.pki.certificateToPem(certificate) : null;
}

/** Whether a certificate chains to one of the trust anchors (PEM, one or several). */
export function chainsTo(certificatePem: string, trustAnchorsPem: string): boolean {
  const anchors = trustAnchorsPem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  try {
    const store = forge.pki.createCaStore(anchors.map((a) => forge.pki.certificateFromPem(a)));
    return forge.pki.verifyCertificateChain(store, [forge.pki.certificateFromPem(certificatePem)]);
  } catch {
    return false;
  }
}

/**
 * Verifies a detached CMS signature over a document, as a recipient does: the certificate it carries must chain
 * to the trust anchors, and its signature must cover the document. Answers who signed, or null.
 */
export function verifyDocument(document: Buffer, cmsBase64: string, trustAnchorsPem: string): SignerIdentity | null {
  const certificatePem = embeddedCertificate(cmsBase64);
  if (!certificatePem || !chainsTo(certificatePem, trustAnchorsPem)) return null;
  return verifiesWith(document, cmsBase64, certificatePem) ? identityOf(certificatePem) : null;
}

/** Whether a detached CMS signature over a document verifies under the certificate or trust anchors given. */
export function verifySignature(document: Buffer, cmsBase64: string, trustAnchorsPem: string): boolean {
  return verifyDocument(document, cmsBase64, trustAnchorsPem) !== null;
}

function verifiesWith(document: Buffer, cmsBase64: string, certificatePem: string): boolean {
  const message = forge.pkcs7.messageFromAsn1(
    forge.asn1.fromDer(forge.util.createBuffer(Buffer.from(cmsBase64, 'base64').toString('binary'))),
  ) as forge.pkcs7.PkcsSignedData & { rawCapture: { signature: string; authenticatedAttributes: forge.asn1.Asn1[] } };
  const certificate = forge.pki.certificateFromPem(certificatePem);
  const { rawCapture } = message;
  // The signed attributes carry the document's digest; the signature covers the attributes (RFC 5652 §5.4).
  const attributes = forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.SET, true, rawCapture.authenticatedAttributes);
  const digestAttribute = rawCapture.authenticatedAttributes.find(
    (a) => forge.asn1.derToOid((a.value as forge.asn1.Asn1[])[0].value as string) === forge.pki.oids.messageDigest,
  );
  if (!digestAttribute) return false;
  const digestInSignature = ((digestAttribute.value as forge.asn1.Asn1[])[1].value as forge.asn1.Asn1[])[0].value as string;
  const documentDigest = forge.md.sha256.create().update(document.toString('binary')).digest().getBytes();
  if (digestInSignature !== documentDigest) return false;
  const attributesDigest = forge.md.sha256.create().update(forge.asn1.toDer(attributes).getBytes());
  try {
    return (certificate.publicKey as forge.pki.rsa.PublicKey).verify(attributesDigest.digest().getBytes(), rawCapture.signature);
  } catch {
    return false; // a signature made with another key does not even decode under this one
  }
}
