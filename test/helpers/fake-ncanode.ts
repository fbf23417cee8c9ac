/**
 * A local stand-in for NCANode's `POST /cms/sign`, `POST /cms/verify` and `POST /wsse/sign` (v3), for testing the
 * adapters (infra/ncanode-signer.ts, infra/signature-verifier.ts, infra/smartbridge/wsse.ts) over real HTTP: it
 * opens the PKCS#12 container it is sent with the password it is sent, and signs as the real service does (a
 * detached CMS carrying the signer's certificate; a SOAP envelope with a wsse:Security header signing its Body);
 * it verifies a detached CMS with OpenSSL against the CA it was started with (`trustAnchorsPem`), as the real one
 * does against the national CA's. It answers errors in NCANode's shape.
 */
import Fastify from 'fastify';
import forge from 'node-forge';
import { CmsSigner } from '../../infra/signer';
import { LocalEnvelopeSigner } from '../../infra/smartbridge/wsse';
import { opensslVerify } from './openssl';

export interface FakeNcaNode {
  url: string;
  /** the requests it got, without the containers and passwords */
  requests: Array<{ detached: unknown; withTsp: unknown; signers: number }>;
  /** the /wsse/sign requests it got, without the containers and passwords */
  wsseRequests: Array<{ keyAlias: unknown; trimXml: unknown }>;
  /** the /cms/verify requests it got: their revocation checks */
  verifyRequests: Array<{ revocationCheck: unknown }>;
  close(): Promise<void>;
}

/** A container as NCA issues them: the key and its certificate, under a password. */
export function pkcs12Of(keyPem: string, certPem: string, password: string): Buffer {
  const asn1 = forge.pkcs12.toPkcs12Asn1(forge.pki.privateKeyFromPem(keyPem), [forge.pki.certificateFromPem(certPem)], password, {
    algorithm: '3des',
  });
  return Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary');
}

function openContainer(base64: string, password: string): { keyPem: string; certPem: string } {
  const p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(forge.util.createBuffer(Buffer.from(base64, 'base64').toString('binary'))), password);
  const key = p12.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag })[forge.pki.oids.pkcs8ShroudedKeyBag]![0].key!;
  const cert = p12.getBags({ bagType: forge.pki.oids.certBag })[forge.pki.oids.certBag]![0].cert!;
  return { keyPem: forge.pki.privateKeyToPem(key), certPem: forge.pki.certificateToPem(cert) };
}

export async function startFakeNcaNode(trustAnchorsPem?: string): Promise<FakeNcaNode> {
  const app = Fastify({ bodyLimit: 16 * 1024 * 1024 });
  const verifyRequests: FakeNcaNode['verifyRequests'] = [];
  app.post('/cms/verify', async (request, reply) => {
    const body = request.body as { cms?: string; data?: string; revocationCheck?: string[] };
    verifyRequests.push({ revocationCheck: body.revocationCheck });
    if (!body.cms) return reply.code(400).send({ status: 400, message: 'cms is required' });
    if (!trustAnchorsPem) return reply.code(500).send({ status: 500, message: 'no trust anchors' });
    try {
      const { signerPem } = opensslVerify(Buffer.from(body.data ?? '', 'base64'), body.cms, trustAnchorsPem);
      const certificate = forge.pki.certificateFromPem(signerPem);
      const now = new Date();
      const current = certificate.validity.notBefore <= now && now < certificate.validity.notAfter;
      return {
        status: 200,
        message: '',
        valid: true,
        signers: [{ valid: current, notBefore: certificate.validity.notBefore, notAfter: certificate.validity.notAfter }],
      };
    } catch {
      return { status: 200, message: 'Подпись недействительна', valid: false, signers: [] };
    }
  });
  const requests: FakeNcaNode['requests'] = [];
  app.post('/cms/sign', async (request, reply) => {
    const body = request.body as { data?: string; signers?: Array<{ key: string; password: string }>; detached?: boolean; withTsp?: boolean };
    requests.push({ detached: body.detached, withTsp: body.withTsp, signers: body.signers?.length ?? 0 });
    if (!body.data || !body.signers?.length) return reply.code(400).send({ status: 400, message: 'data and signers are required' });
    let container;
    try {
      container = openContainer(body.signers[0].key, body.signers[0].password);
    } catch {
      return reply.code(400).send({ status: 400, message: 'Неверный пароль или ключ' });
    }
    const signature = await new CmsSigner(container.keyPem, container.certPem).sign(Buffer.from(body.data, 'base64'));
    return { status: 200, message: '', cms: signature.cms };
  });
  const wsseRequests: FakeNcaNode['wsseRequests'] = [];
  app.post('/wsse/sign', async (request, reply) => {
    const body = request.body as { xml?: string; key?: string; password?: string; keyAlias?: string; trimXml?: boolean };
    wsseRequests.push({ keyAlias: body.keyAlias, trimXml: body.trimXml });
    if (!body.xml || !body.key) return reply.code(400).send({ status: 400, message: 'xml and key are required' });
    let container;
    try {
      container = openContainer(body.key, body.password ?? '');
    } catch {
      return reply.code(400).send({ status: 400, message: 'Неверный пароль или ключ' });
    }
    return { status: 200, message: '', xml: await new LocalEnvelopeSigner(container.keyPem, container.certPem).sign(body.xml) };
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return {
    url: `http://127.0.0.1:${(app.server.address() as { port: number }).port}`,
    requests,
    wsseRequests,
    verifyRequests,
    close: () => app.close(),
  };
}
