/**
 * The signer behind a signing service: NCANode, the open-source HTTP service that Kazakhstan's e-government
 * integrators run beside their systems to sign with the national CA's keys (PKCS#12 containers) through the
 * Kalkan library. Its v3 protocol: `POST <url>/cms/sign` with `{data, signers: [{key, password, keyAlias?}],
 * withTsp, tsaPolicy?, detached}` (data and key in base64) answers `{status, message, cms}` (cms in base64).
 * The container stays where the operator put it; this process reads it to send it with each request, as the
 * protocol asks, and never logs it. The certificate named in the configuration says who signs (the document names
 * that person before it is signed) and must be the container's: a signature carrying another is refused.
 */
import fs from 'node:fs';
import { embeddedCertificate, fingerprintOf, identityOf, type DocumentSigner, type Signature, type SignerIdentity } from './signer';

export interface NcaNodeSettings {
  /** the service's base URL, e.g. http://ncanode:14579 */
  url: string;
  /** the PKCS#12 container of the unit's authorised person */
  p12File: string;
  /** the container's password */
  password: string;
  /** the signer's certificate (PEM), as in the container */
  certFile: string;
  /** ask the service for a time-stamp from the national CA's TSP (as legally significant documents carry) */
  withTsp?: boolean;
  timeoutMs?: number;
}

/**
 * One call to NCANode (v3): the JSON body posted to `path`, its answer when the status is 2xx, else an error with
 * the status and NCANode's message. The body carries a key container and its password: it goes to this address
 * and no other (issue 32: no redirect is followed).
 */
export async function askNcaNode<T extends object>(url: string, path: string, body: object, timeoutMs = 30_000): Promise<T> {
  const response = await fetch(`${url.replace(/\/$/, '')}${path}`, {
    method: 'POST',
    redirect: 'error',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const answer = (await response.json().catch(() => ({}))) as T & { status?: number; message?: string };
  if (!response.ok)
    throw new Error(`the signing service answered ${response.status}${answer.message ? `: ${String(answer.message).slice(0, 200)}` : ''}`);
  return answer;
}

export class NcaNodeSigner implements DocumentSigner {
  private readonly key: string;
  private readonly who: SignerIdentity;

  constructor(private readonly settings: NcaNodeSettings) {
    this.key = fs.readFileSync(settings.p12File).toString('base64');
    this.who = identityOf(fs.readFileSync(settings.certFile, 'utf8'));
  }

  async sign(document: Buffer): Promise<Signature> {
    const answer = await askNcaNode<{ cms?: string }>(
      this.settings.url,
      '/cms/sign',
      {
        data: document.toString('base64'),
        signers: [{ key: this.key, password: this.settings.password }],
        withTsp: this.settings.withTsp ?? false,
        detached: true,
      },
      this.settings.timeoutMs,
    );
    if (typeof answer.cms !== 'string') throw new Error('the signing service answered without a cms');
    const certificate = embeddedCertificate(answer.cms);
    if (!certificate || fingerprintOf(certificate) !== this.who.fingerprint) {
      throw new Error(`the signing service signed with another certificate than ${this.settings.certFile} names`);
    }
    return { cms: answer.cms, certificateFingerprint: this.who.fingerprint };
  }

  identity(): SignerIdentity {
    return this.who;
  }
}
