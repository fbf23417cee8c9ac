/**
 * R5: documents are certified by the electronic digital signature (EDS) of the body that issues them — the
 * provider unit for a result, the reviewing body for a complaint's decision (R13). Each unit signs with its own key
 * and organisation certificate, never another unit's (issue 31); a certificate is issued by a certification authority (the national one
 * in production, a local development CA otherwise), so a verifier checks the chain as well as the signature.
 *
 * The signature is a detached CMS (PKCS#7) SignedData over the document's bytes that carries the signer's
 * certificate. Two ways to hold a key, behind one interface: in this process (a PEM key and certificate), or in
 * a signing service over HTTP (infra/ncanode-signer.ts). The development CA is infra/development-ca.ts; a
 * recipient verifies with any CMS tool (`openssl cms -verify`, as the tests do).
 */
import { constants, createHash, createPrivateKey, privateEncrypt } from 'node:crypto';
import forge from 'node-forge';

/** RSASSA-PKCS1-v1_5 signs the DER DigestInfo: this prefix (AlgorithmIdentifier sha256) and the digest (RFC 8017 §9.2). */
const SHA256_DIGEST_INFO = Buffer.from('3031300d060960864801650304020105000420', 'hex');

export interface Signature {
  /** detached CMS SignedData, DER, base64, with the signer's certificate inside */
  cms: string;
  /** SHA-256 fingerprint of the signing certificate, hex */
  certificateFingerprint: string;
}

/** Who signs: read from the certificate, so a document names exactly the holder its signature proves. */
export interface SignerIdentity {
  /** the certificate's holder (its common name): the organisation itself for a body's key, else a person */
  person: string;
  /** the organisation the certificate names */
  organisation: string | null;
  /** the subject's serial number: a personal certificate of the national CA writes the holder's IIN there (`IIN…`) */
  subjectSerialNumber: string | null;
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

/** Whose key signs for a unit: the unit's own (issue 31: never another unit's). */
export interface UnitKey {
  /** the unit that holds the key */
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
  const field = (name: string | { type: string }) => {
    const value = certificate.subject.getField(name)?.value as string | undefined;
    return value === undefined ? null : decodeUtf8(value);
  };
  return {
    person: field('CN') ?? '',
    organisation: field('O'),
    subjectSerialNumber: field({ type: '2.5.4.5' }),
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

/** The certificate embedded in a CMS signature (PEM), or null when it carries none. */
export function embeddedCertificate(cmsBase64: string): string | null {
  const message = forge.pkcs7.messageFromAsn1(
    forge.asn1.fromDer(forge.util.createBuffer(Buffer.from(cmsBase64, 'base64').toString('binary'))),
  ) as forge.pkcs7.PkcsSignedData;
  const [certificate] = message.certificates ?? [];
  return certificate ? forge.pki.certificateToPem(certificate) : null;
}

/** Whether a certificate chains to one of the trust anchors (PEM, one or several). */
export function chainsTo(certificatePem: string, trustAnchorsPem: string, at: Date = new Date()): boolean {
  const anchors = trustAnchorsPem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  try {
    const store = forge.pki.createCaStore(anchors.map((a) => forge.pki.certificateFromPem(a)));
    // `at`: the moment the chain must hold (a next certificate's is its own start, not now).
    return forge.pki.verifyCertificateChain(store, [forge.pki.certificateFromPem(certificatePem)], { validityCheckDate: at });
  } catch {
    return false;
  }
}
