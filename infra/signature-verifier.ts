/**
 * Verifying a signature an official made with their own certificate (issue 31): a detached CMS over exactly the
 * bytes the service prepared, by a certificate that chains to the trust anchors and was current when it signed
 * and is now. Two verifiers behind one interface, as the signers are: in this process (RSA or ECDSA with SHA-2, the
 * development CA's and any CMS tool's), or NCANode's `POST /cms/verify` (v3: `{cms, data, revocationCheck}` →
 * `{valid, signers}`), which knows the national CA's GOST algorithms and asks OCSP where configured. Either way the
 * certificate is read from the signature itself, so the holder the service names is the one the signature proves.
 */
import { createHash, createPublicKey, verify as verifySignature } from 'node:crypto';
import forge from 'node-forge';
import { askNcaNode } from './ncanode-signer';
import { chainsTo, identityOf, type SignerIdentity } from './signer';

export interface VerifiedSignature {
  identity: SignerIdentity;
  /** the signing time the signature states; null when it states none */
  signedAt: Date | null;
}

/** Why a signature is refused, for a refusal that names it. */
export interface SignatureProblem {
  code: 'signature-invalid' | 'certificate-untrusted' | 'certificate-expired';
  message: string;
}

export interface SignatureVerifier {
  verify(document: Buffer, cmsBase64: string): Promise<VerifiedSignature | SignatureProblem>;
}

const OID = {
  signedData: forge.pki.oids.signedData,
  messageDigest: forge.pki.oids.messageDigest,
  signingTime: forge.pki.oids.signingTime,
};
const DIGESTS: Record<string, string> = {
  [forge.pki.oids.sha256]: 'sha256',
  [forge.pki.oids.sha384]: 'sha384',
  [forge.pki.oids.sha512]: 'sha512',
};

type Asn1 = forge.asn1.Asn1;
const children = (node: Asn1): Asn1[] => (Array.isArray(node.value) ? (node.value as Asn1[]) : []);
const bytes = (node: Asn1): Buffer => Buffer.from(node.value as string, 'binary');
const der = (node: Asn1): Buffer => Buffer.from(forge.asn1.toDer(node).getBytes(), 'binary');
const oidOf = (node: Asn1): string => forge.asn1.derToOid(node.value as string);

const invalid = (message: string): SignatureProblem => ({ code: 'signature-invalid', message });

/** The parts of a detached CMS SignedData with one signer: its certificate, digest, signed attributes and signature. */
function parseSignedData(cmsBase64: string) {
  const root = forge.asn1.fromDer(forge.util.createBuffer(Buffer.from(cmsBase64, 'base64').toString('binary')));
  const [contentType, wrapped] = children(root);
  if (!contentType || oidOf(contentType) !== OID.signedData || !wrapped) throw new Error('it is no CMS SignedData');
  const signedData = children(children(wrapped)[0]);
  const encapsulated = signedData[2];
  if (children(encapsulated).length > 1) throw new Error('it carries the document inside; a detached signature is expected');
  const certificates = signedData.find((n) => n.tagClass === forge.asn1.Class.CONTEXT_SPECIFIC && n.type === 0);
  const signerInfos = children(signedData[signedData.length - 1]);
  if (signerInfos.length !== 1) throw new Error(`it has ${signerInfos.length} signers; one is expected`);
  const info = children(signerInfos[0]);
  const [issuer, serial] = children(info[1]);
  const attributes = info.find((n) => n.tagClass === forge.asn1.Class.CONTEXT_SPECIFIC && n.type === 0);
  if (!attributes) throw new Error('it has no signed attributes');
  const digestOid = oidOf(children(info[2])[0]);
  const signature = bytes(info[info.length - 1]);
  const certificate = children(certificates ?? ({ value: [] } as unknown as Asn1))
    .map((c) => forge.pki.certificateFromAsn1(c))
    .find(
      (c) =>
        c.serialNumber === forge.util.bytesToHex(serial.value as string).replace(/^00/, '') &&
        der(forge.pki.distinguishedNameToAsn1(c.issuer)).equals(der(issuer)),
    );
  if (!certificate) throw new Error("it does not carry its signer's certificate");
  const attribute = (oid: string) => children(attributes).find((a) => oidOf(children(a)[0]) === oid);
  return { certificate, digestOid, attributes, signature, attribute };
}

/** Verifies in this process; the anchors are the CA certificates (PEM) a signer's certificate must chain to. */
export class LocalSignatureVerifier implements SignatureVerifier {
  constructor(
    private readonly trustAnchorsPem: () => string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async verify(document: Buffer, cmsBase64: string): Promise<VerifiedSignature | SignatureProblem> {
    let parsed;
    try {
      parsed = parseSignedData(cmsBase64);
    } catch (error) {
      return invalid(`the signature cannot be read: ${(error as Error).message}`);
    }
    const { certificate, digestOid, attributes, signature, attribute } = parsed;
    const algorithm = DIGESTS[digestOid];
    if (!algorithm) return invalid(`the signature's digest (${digestOid}) is not SHA-256, -384 or -512; verify it through NCANode`);
    const digest = attribute(OID.messageDigest);
    if (!digest || !bytes(children(children(digest)[1])[0]).equals(createHash(algorithm).update(document).digest())) {
      return invalid('the signature is not over the documents prepared for this decision (prepare them again and sign what is prepared)');
    }
    // RFC 5652 §5.4: the signature is over the signed attributes' DER with the SET OF tag, not the [0] of the message.
    const signedBytes = der(forge.asn1.create(forge.asn1.Class.UNIVERSAL, forge.asn1.Type.SET, true, children(attributes)));
    const certificatePem = forge.pki.certificateToPem(certificate);
    let verified: boolean;
    try {
      verified = verifySignature(algorithm, signedBytes, createPublicKey(certificatePem), signature);
    } catch {
      verified = false;
    }
    if (!verified) return invalid("the signature does not verify with its certificate's key");
    const time = attribute(OID.signingTime);
    const signedAt = time ? timeOf(children(children(time)[1])[0]) : null;
    const identity = identityOf(certificatePem);
    const now = this.now();
    for (const [at, what] of [[now, 'now'], ...(signedAt ? [[signedAt, 'when it signed']] : [])] as Array<[Date, string]>) {
      if (identity.notAfter <= at || identity.notBefore > at) {
        return {
          code: 'certificate-expired',
          message: `the signer's certificate is not valid ${what} (${identity.notBefore.toISOString()} to ${identity.notAfter.toISOString()})`,
        };
      }
    }
    if (!chainsTo(certificatePem, this.trustAnchorsPem(), signedAt ?? now)) {
      return {
        code: 'certificate-untrusted',
        message: "the signer's certificate does not chain to the trust anchors (a certificate of the national CA is expected)",
      };
    }
    return { identity, signedAt };
  }
}

function timeOf(node: Asn1): Date | null {
  if (node.type === forge.asn1.Type.UTCTIME) return forge.asn1.utcTimeToDate(node.value as string);
  if (node.type === forge.asn1.Type.GENERALIZEDTIME) return forge.asn1.generalizedTimeToDate(node.value as string);
  return null;
}

/** NCANode's `POST /cms/verify` (v3), with OCSP when `ocsp` is set. */
export class NcaNodeSignatureVerifier implements SignatureVerifier {
  constructor(private readonly settings: { url: string; ocsp?: boolean; timeoutMs?: number }) {}

  async verify(document: Buffer, cmsBase64: string): Promise<VerifiedSignature | SignatureProblem> {
    let certificatePem: string;
    let signedAt: Date | null;
    try {
      const parsed = parseSignedData(cmsBase64);
      certificatePem = forge.pki.certificateToPem(parsed.certificate);
      const time = parsed.attribute(OID.signingTime);
      signedAt = time ? timeOf(children(children(time)[1])[0]) : null;
    } catch (error) {
      return invalid(`the signature cannot be read: ${(error as Error).message}`);
    }
    const answer = await askNcaNode<{ valid?: boolean; message?: string; signers?: Array<{ valid?: boolean }> }>(
      this.settings.url,
      '/cms/verify',
      { cms: cmsBase64, data: document.toString('base64'), revocationCheck: this.settings.ocsp ? ['OCSP'] : [] },
      this.settings.timeoutMs,
    );
    if (answer.valid !== true || !answer.signers?.length) {
      return invalid(`NCANode finds the signature invalid${answer.message ? `: ${String(answer.message).slice(0, 200)}` : ''}`);
    }
    if (answer.signers.some((s) => s.valid === false)) {
      return { code: 'certificate-expired', message: "NCANode finds the signer's certificate not valid (expired, not yet valid or revoked)" };
    }
    return { identity: identityOf(certificatePem), signedAt };
  }
}

export function isSignatureProblem(v: VerifiedSignature | SignatureProblem): v is SignatureProblem {
  return 'code' in v;
}

/**
 * The verifier this process runs with: NCANode's when NCANODE_VERIFY_URL names one (with OCSP when
 * NCANODE_VERIFY_OCSP is `true`), else in this process against the trust anchors given.
 */
export function signatureVerifierFromEnvironment(trustAnchorsPem: () => string, env: NodeJS.ProcessEnv = process.env): SignatureVerifier {
  return env.NCANODE_VERIFY_URL
    ? new NcaNodeSignatureVerifier({ url: env.NCANODE_VERIFY_URL, ocsp: env.NCANODE_VERIFY_OCSP === 'true' })
    : new LocalSignatureVerifier(trustAnchorsPem);
}
