/**
 * A local stand-in for NCANode's `POST /cms/sign` and `POST /wsse/sign` (v3), for testing the adapters
 * (infra/ncanode-signer.ts, infra/smartbridge/wsse.ts) over real HTTP: it opens the PKCS#12 container it is sent
 * with the password it is sent, and signs as the real service does (a detached CMS carrying the signer's
 * certificate; a SOAP envelope with a wsse:Security header signing its Body). It answers errors in NCANode's shape.
 */
import Fastify from 'fastify';
import forge from 'node-forge';
import { CmsSigner } from '../../infra/signer';
import { LocalEnvelopeSigner } from '../../infra/smartbridge/wsse';

export interface FakeNcaNode {
  url: string;
  /** the requests it got, without the containers and passwords */
  requests: Array<{ detached: unknown; withTsp: unknown; signers: number }>;
  /** the /wsse/sign requests it got, without the containers and passwords */
  wsseRequests: Array<{ keyAlias: unknown; trimXml: unknown }>;
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

export async function startFakeNcaNode(): Promise<FakeNcaNode> {
  const app = Fastify({ bodyLimit: 16 * 1024 * 1024 });
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
    close: () => app.close(),
  };
}
