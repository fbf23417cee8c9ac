/**
 * WS-Security for the gateway's messages (the Rules for integrating e-government objects): the sender's
 * certificate rides in a `wsse:BinarySecurityToken` of the `wsse:Security` header, and an XML signature there
 * (exclusive canonicalisation, RSA-SHA256 with the development CA's keys; GOST with the national CA's, by NCANode)
 * covers the Body by its `wsu:Id`. Two signers behind one interface — in this process with a PEM key, or NCANode's
 * `POST /wsse/sign` (its v3 protocol: `{xml, key, password, keyAlias?, trimXml}` answers `{status, message, xml}`) —
 * and one verifier: the signature holds, it covers the one Body, and its certificate chains to the trust anchors and
 * is current. The signing library is xml-crypto; nothing here builds or checks a signature by hand.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { XMLSerializer, type Element } from '@xmldom/xmldom';
import forge from 'node-forge';
import { SignedXml } from 'xml-crypto';
import { askNcaNode } from '../ncanode-signer';
import { chainsTo, identityOf, type SignerIdentity } from '../signer';
import { bodyOf, childrenNamed, MalformedMessage, NS, parseXml } from './sync-channel';

const X509V3 = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-x509-token-profile-1.0#X509v3';
const BASE64 = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary';
const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';
const RSA_SHA256 = 'http://www.w3.org/2001/04/xmldsig-more#rsa-sha256';
const SHA256 = 'http://www.w3.org/2001/04/xmlenc#sha256';

/** Signs a SOAP envelope: adds the wsse:Security header with the signer's certificate and the Body's signature. */
export interface EnvelopeSigner {
  sign(envelope: string): Promise<string>;
  /** whose certificate signs (the information system's) */
  identity(): SignerIdentity;
}

/** A message whose WS-Security signature does not hold, or does not come from a trusted, current certificate. */
export class SignatureRejected extends Error {
  override name = 'SignatureRejected';
}

const derBase64 = (certificatePem: string) =>
  Buffer.from(forge.asn1.toDer(forge.pki.certificateToAsn1(forge.pki.certificateFromPem(certificatePem))).getBytes(), 'binary').toString('base64');

/** Signs in this process with a PEM key and its certificate (development, tests; a local HSM's PEM bridge). */
export class LocalEnvelopeSigner implements EnvelopeSigner {
  private readonly who: SignerIdentity;

  constructor(
    private readonly keyPem: string,
    private readonly certPem: string,
  ) {
    this.who = identityOf(certPem);
  }

  static fromFiles(keyFile: string, certFile: string): LocalEnvelopeSigner {
    return new LocalEnvelopeSigner(fs.readFileSync(keyFile, 'utf8'), fs.readFileSync(certFile, 'utf8'));
  }

  async sign(envelope: string): Promise<string> {
    const doc = parseXml(envelope);
    const root = doc.documentElement!;
    let header = childrenNamed(root, NS.soap, 'Header')[0];
    if (!header) {
      header = doc.createElementNS(NS.soap, `${root.prefix ?? 'soap'}:Header`);
      root.insertBefore(header, root.firstChild);
    }
    const tokenId = `X509-${randomUUID()}`;
    const security = doc.createElementNS(NS.wsse, 'wsse:Security');
    security.setAttributeNS(NS.soap, `${root.prefix ?? 'soap'}:mustUnderstand`, '1');
    const token = doc.createElementNS(NS.wsse, 'wsse:BinarySecurityToken');
    token.setAttribute('EncodingType', BASE64);
    token.setAttribute('ValueType', X509V3);
    token.setAttributeNS(NS.wsu, 'wsu:Id', tokenId);
    token.appendChild(doc.createTextNode(derBase64(this.certPem)));
    security.appendChild(token);
    header.appendChild(security);
    const signature = new SignedXml({
      privateKey: this.keyPem,
      signatureAlgorithm: RSA_SHA256,
      canonicalizationAlgorithm: EXC_C14N,
      idMode: 'wssecurity',
      getKeyInfoContent: () =>
        `<wsse:SecurityTokenReference xmlns:wsse="${NS.wsse}"><wsse:Reference URI="#${tokenId}" ValueType="${X509V3}"/></wsse:SecurityTokenReference>`,
    });
    signature.addReference({
      xpath: `/*[local-name()='Envelope' and namespace-uri()='${NS.soap}']/*[local-name()='Body' and namespace-uri()='${NS.soap}']`,
      digestAlgorithm: SHA256,
      transforms: [EXC_C14N],
    });
    signature.computeSignature(new XMLSerializer().serializeToString(doc), {
      prefix: 'ds',
      location: { reference: `//*[local-name()='Security' and namespace-uri()='${NS.wsse}']`, action: 'append' },
    });
    return signature.getSignedXml();
  }

  identity(): SignerIdentity {
    return this.who;
  }
}

export interface NcaNodeEnvelopeSettings {
  /** the service's base URL, e.g. https://ncanode.internal:14579 */
  url: string;
  /** the information system's PKCS#12 container (its GOST key from the national CA) */
  p12File: string;
  password: string;
  keyAlias?: string;
  /** the container's certificate (PEM): checked to be the one that signed */
  certFile: string;
  timeoutMs?: number;
}

/** Signs through NCANode's `/wsse/sign`; the answer's certificate must be the configured one. */
export class NcaNodeEnvelopeSigner implements EnvelopeSigner {
  private readonly key: string;
  private readonly who: SignerIdentity;

  constructor(private readonly settings: NcaNodeEnvelopeSettings) {
    this.key = fs.readFileSync(settings.p12File).toString('base64');
    this.who = identityOf(fs.readFileSync(settings.certFile, 'utf8'));
  }

  async sign(envelope: string): Promise<string> {
    const answer = await askNcaNode<{ xml?: string }>(
      this.settings.url,
      '/wsse/sign',
      { xml: envelope, key: this.key, password: this.settings.password, keyAlias: this.settings.keyAlias, trimXml: false },
      this.settings.timeoutMs,
    );
    if (typeof answer.xml !== 'string') throw new Error('the signing service answered without an xml');
    const signer = tokenCertificate(parseXml(answer.xml).documentElement!);
    if (!signer || identityOf(signer).fingerprint !== this.who.fingerprint) {
      throw new Error(`the signing service signed with another certificate than ${this.settings.certFile} names`);
    }
    return answer.xml;
  }

  identity(): SignerIdentity {
    return this.who;
  }
}

/** The wsse:Security header of an envelope (one, in the Header). */
function securityHeader(root: Element): Element | null {
  const header = childrenNamed(root, NS.soap, 'Header')[0];
  const found = header ? childrenNamed(header, NS.wsse, 'Security') : [];
  if (found.length > 1) throw new SignatureRejected('more than one wsse:Security header');
  return found[0] ?? null;
}

function tokenCertificate(root: Element): string | null {
  const security = securityHeader(root);
  const tokens = security ? childrenNamed(security, NS.wsse, 'BinarySecurityToken') : [];
  if (tokens.length !== 1) return null;
  const der = (tokens[0].textContent ?? '').replace(/\s+/g, '');
  try {
    return forge.pki.certificateToPem(forge.pki.certificateFromAsn1(forge.asn1.fromDer(Buffer.from(der, 'base64').toString('binary'))));
  } catch {
    return null;
  }
}

/**
 * Verifies an envelope's WS-Security signature: one signature in the Security header, valid, whose references
 * include the one Body by its wsu:Id; made by the BinarySecurityToken's certificate, which chains to a trust
 * anchor and is current at `now`. Answers who signed; throws SignatureRejected naming what failed.
 */
export function verifyEnvelope(xml: string, trustAnchorsPem: string, now = new Date()): SignerIdentity {
  const doc = parseXml(xml);
  const root = doc.documentElement!;
  const body = bodyOf(doc);
  const security = securityHeader(root);
  if (!security) throw new SignatureRejected('the message is not signed (no wsse:Security header)');
  const signatures = childrenNamed(security, NS.ds, 'Signature');
  if (signatures.length !== 1) throw new SignatureRejected('the wsse:Security header carries no signature, or more than one');
  const certificatePem = tokenCertificate(root);
  if (!certificatePem) throw new SignatureRejected('the wsse:Security header carries no readable X.509 BinarySecurityToken');
  const bodyId = body.getAttributeNS(NS.wsu, 'Id');
  if (!bodyId) throw new SignatureRejected('the Body has no wsu:Id to be signed by');
  // an Id given twice would let a reference point at another element than the Body
  let sameId = 0;
  const all = doc.getElementsByTagName('*');
  for (let i = 0; i < all.length; i++) if (all[i].getAttributeNS(NS.wsu, 'Id') === bodyId || all[i].getAttribute('Id') === bodyId) sameId++;
  if (sameId !== 1) throw new SignatureRejected('the Body’s wsu:Id is not unique');
  const verifier = new SignedXml({ publicCert: certificatePem, getCertFromKeyInfo: () => null });
  verifier.loadSignature(signatures[0] as never);
  if (!verifier.getReferences().some((r) => r.uri === `#${bodyId}` || r.uri === bodyId))
    throw new SignatureRejected('the signature does not cover the Body');
  const valid = (() => {
    try {
      return verifier.checkSignature(xml);
    } catch (error) {
      throw new SignatureRejected(`the signature does not verify: ${(error as Error).message.split('\n')[0].slice(0, 200)}`);
    }
  })();
  if (!valid) throw new SignatureRejected('the signature does not verify: the Body or the signed information was altered');
  return trustedSigner(certificatePem, trustAnchorsPem, now);
}

/** The certificate's identity, when it chains to one of the trust anchors and is current at `now`. */
function trustedSigner(certificatePem: string, trustAnchorsPem: string, now: Date): SignerIdentity {
  if (!chainsTo(certificatePem, trustAnchorsPem, now)) {
    throw new SignatureRejected("the signer's certificate does not chain to the trusted anchors, or is not current");
  }
  return identityOf(certificatePem);
}

export { MalformedMessage };
