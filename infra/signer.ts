/**
 * R5: result documents are certified by the electronic digital signature (EDS) of the provider's authorised
 * person. The signer interface has a real implementation — an X.509 certificate and a detached CMS (PKCS#7)
 * SignedData over the document's bytes, verifiable by anyone with the published certificate — and leaves room
 * for an adapter to the national signing service (NCALayer / the NCA's signing gateway) behind the same interface.
 */
import { constants, createHash, createPrivateKey, generateKeyPairSync, privateEncrypt } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import forge from 'node-forge';

/** RSASSA-PKCS1-v1_5 signs the DER DigestInfo: this prefix (AlgorithmIdentifier sha256) and the digest (RFC 8017 §9.2). */
const SHA256_DIGEST_INFO = Buffer.from('3031300d060960864801650304020105000420', 'hex');

export interface Signature {
  /** detached CMS SignedData, DER, base64 */
  cms: string;
  /** SHA-256 fingerprint of the signing certificate, hex */
  certificateFingerprint: string;
}

export interface DocumentSigner {
  sign(document: Buffer): Promise<Signature>;
  /** the certificate, PEM, as published for verification */
  certificatePem(): string;
}

export function fingerprintOf(certificatePem: string): string {
  const der = forge.asn1.toDer(forge.pki.certificateToAsn1(forge.pki.certificateFromPem(certificatePem))).getBytes();
  return createHash('sha256').update(Buffer.from(der, 'binary')).digest('hex');
}

/** Signs with a key and certificate held by this service (PEM). */
export class CmsSigner implements DocumentSigner {
  private readonly key: forge.pki.rsa.PrivateKey;
  private readonly certificate: forge.pki.Certificate;
  private readonly fingerprint: string;

  constructor(
    keyPem: string,
    private readonly certPem: string,
  ) {
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
    this.fingerprint = fingerprintOf(certPem);
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
    return { cms: Buffer.from(der, 'binary').toString('base64'), certificateFingerprint: this.fingerprint };
  }

  certificatePem(): string {
    return this.certPem;
  }
}

/** A development key pair and self-signed certificate for the provider's authorised person. */
export function createDevelopmentCredentials(commonName = 'Development signing key (not for production)') {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  cert.serialNumber = `01${createHash('sha256').update(keyPem).digest('hex').slice(0, 16)}`;
  cert.validity.notBefore = new Date(Date.now() - 60_000);
  cert.validity.notAfter = new Date(Date.now() + 5 * 365 * 24 * 3600 * 1000);
  const subject = [
    { name: 'commonName', value: commonName },
    { name: 'organizationName', value: 'Teacher attestation service' },
    { name: 'countryName', value: 'KZ' },
  ];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([{ name: 'keyUsage', digitalSignature: true, nonRepudiation: true }]);
  cert.sign(forge.pki.privateKeyFromPem(keyPem), forge.md.sha256.create());
  return { keyPem, certPem: forge.pki.certificateToPem(cert) };
}

function credentialFiles(devDir: string) {
  const keyFile = process.env.SIGNING_KEY_FILE;
  const certFile = process.env.SIGNING_CERT_FILE;
  if (keyFile || certFile) {
    if (!keyFile || !certFile) throw new Error('set both SIGNING_KEY_FILE and SIGNING_CERT_FILE, or neither');
    return { key: keyFile, cert: certFile, development: false };
  }
  return { key: path.join(devDir, 'signing-key.pem'), cert: path.join(devDir, 'signing-cert.pem'), development: true };
}

/** Makes the development key pair under `devDir` unless it (or configured credentials) exist. */
export function ensureDevelopmentCredentials(devDir: string): void {
  const files = credentialFiles(devDir);
  if (!files.development || (fs.existsSync(files.key) && fs.existsSync(files.cert))) return;
  const made = createDevelopmentCredentials();
  fs.mkdirSync(devDir, { recursive: true });
  fs.writeFileSync(files.key, made.keyPem, { mode: 0o600 });
  fs.writeFileSync(files.cert, made.certPem);
}

/** The certificate to publish for verification (PEM). */
export function publishedCertificate(devDir: string): string {
  return fs.readFileSync(credentialFiles(devDir).cert, 'utf8');
}

/**
 * The signer the worker uses: SIGNING_KEY_FILE and SIGNING_CERT_FILE (PEM) when set; otherwise a development
 * key made on first start under `devDir` and reused after.
 */
export function signerFromEnvironment(devDir: string): CmsSigner {
  ensureDevelopmentCredentials(devDir);
  const files = credentialFiles(devDir);
  return new CmsSigner(fs.readFileSync(files.key, 'utf8'), fs.readFileSync(files.cert, 'utf8'));
}

/** Verifies a detached CMS signature over a document against a certificate (what a recipient does). */
export function verifySignature(document: Buffer, cmsBase64: string, certificatePem: string): boolean {
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
