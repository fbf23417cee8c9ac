/**
 * A local stand-in for the e-government gateway (ШЭП, SmartBridge) that speaks its synchronous channel as
 * published (issue 33): each SendMessage is validated against the channel's schema
 * (infra/smartbridge/schema/sync-channel-v10.xsd), its WS-Security signature verified against the trust anchors
 * (the development CA), its sender and interaction checked, and it is answered — signed with the stand-in's own
 * certificate — from fixture registers (devtools/smartbridge-registers.json). It can be told to be slow, to answer
 * a fault, or to drop the connection (`POST /stand-in/behaviour`), and logs every request it validated.
 * `npm start` runs it as the default gateway (devtools/smartbridge-main.ts); the tests run it over real HTTP.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Element } from '@xmldom/xmldom';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { isValidIin } from '../domain/iin';
import { developmentSystemKey } from '../infra/development-ca';
import { DEVELOPMENT_SENDER, type Interaction, type SmartBridgeFile } from '../infra/smartbridge/gateway';
import {
  NS,
  bodyOf,
  buildFault,
  buildSendMessageResponse,
  MalformedMessage,
  operationOf,
  parseXml,
  PROCESSED,
  readSendMessage,
  type RegisterData,
} from '../infra/smartbridge/sync-channel';
import {
  buildAsyncSendMessageResponse,
  buildGetMessageStatusResponse,
  readAsyncRequest,
  type MessageState,
} from '../infra/smartbridge/async-channel';
import { LocalEnvelopeSigner, SignatureRejected, verifyEnvelope, type EnvelopeSigner } from '../infra/smartbridge/wsse';
import { schemaErrors } from '../infra/smartbridge/xsd';

/** The paths the channels answer on, as the gateway publishes them. */
export const SYNC_PATH = '/bip-sync-wss-gost/';
export const ASYNC_PATH = '/bip-async-wss-gost/';

export interface RegisterPerson {
  iin: string;
  surname: string;
  name: string;
  patronymic?: string;
  education: boolean;
  employment: boolean;
}

export const STAND_IN_REGISTERS_FILE = path.join(__dirname, 'smartbridge-registers.json');

export function fixturePeople(file = STAND_IN_REGISTERS_FILE): RegisterPerson[] {
  return (JSON.parse(fs.readFileSync(file, 'utf8')) as { people: RegisterPerson[] }).people;
}

/** How the stand-in misbehaves, for a while: every request until it is told otherwise. */
export interface Behaviour {
  /** answer after this long */
  delayMs: number;
  /** answer this fault code instead (SERVICE_UNAVAILABLE, TIMEOUT, DATA_INVALID…) */
  fault: string | null;
  /** close the connection without an answer */
  drop: boolean;
  /** the asynchronous channel answers every message it takes with this state instead of delivering it */
  asyncState: MessageState | null;
}

/** What the stand-in logged of a request: validated against the schema, signature verified, answered. */
export interface StandInLogEntry {
  at: string;
  messageId: string;
  correlationId: string | null;
  serviceId: string;
  interaction: Interaction | null;
  /** the certificate holder whose signature was verified */
  signedBy: string | null;
  /** the status code or fault code answered */
  answered: string;
}

export interface StandInOptions {
  /** serviceId → the register it reaches */
  services: Record<string, Interaction>;
  /** senderId → its password at the gateway */
  senders: Record<string, string>;
  /** whom the stand-in trusts to sign requests (PEM) */
  trustAnchorsPem: string;
  /** the stand-in's own signature on its answers */
  signer: EnvelopeSigner;
  people?: RegisterPerson[];
  log?: (line: string) => void;
  /** awaited before each request is read (a test holds look-ups in flight with it) */
  beforeAnswer?: () => Promise<void>;
  /**
   * R12: the asynchronous channel's interactions (serviceIds) and the receiving system each delivers to (the
   * monitoring system): a message it takes is ON_DELIVERY until `deliver` resolves (DELIVERED) or rejects
   * (NOT_DELIVERED)
   */
  asyncServices?: Record<string, (correlationId: string, values: Record<string, string>) => Promise<void>>;
}

export interface SmartBridgeStandIn {
  app: FastifyInstance;
  behaviour: Behaviour;
  requests: StandInLogEntry[];
  people: Map<string, RegisterPerson>;
}

const CALM: Behaviour = { delayMs: 0, fault: null, drop: false, asyncState: null };

export function buildSmartBridgeStandIn(options: StandInOptions): SmartBridgeStandIn {
  const app = Fastify({ bodyLimit: 1024 * 1024 });
  const behaviour: Behaviour = { ...CALM };
  const requests: StandInLogEntry[] = [];
  const people = new Map((options.people ?? fixturePeople()).map((p) => [p.iin, p]));
  const log = options.log ?? (() => {});
  const standIn: SmartBridgeStandIn = { app, behaviour, requests, people };

  for (const type of ['text/xml', 'application/soap+xml'])
    app.addContentTypeParser(type, { parseAs: 'string' }, (_req, body, done) => done(null, body));

  /**
   * What both channels do first: the stand-in's behaviour (dropped, delayed), then the envelope read, its operation
   * validated against its channel's schema and its signature verified. Answers the operation and who signed, or
   * null once it has refused the request with a fault.
   */
  const received = async (
    request: FastifyRequest,
    reply: FastifyReply,
    expected: { namespace: string; names: readonly string[]; channel: string },
  ): Promise<{ operation: Element; signedBy: string; refuse: (code: string, message: string, client?: boolean) => FastifyReply } | null> => {
    const xml = typeof request.body === 'string' ? request.body : '';
    const detail = expected.namespace === NS.async ? { namespace: NS.async, name: 'sendMessageFault1_sendMessageFault' } : undefined;
    const refuse = (code: string, message: string, client = true) => {
      log(`refused (${code}): ${message}`);
      return reply
        .code(500)
        .type('text/xml; charset=utf-8')
        .send(buildFault({ errorCode: code, errorMessage: message, errorDate: new Date() }, client ? 'soap:Client' : 'soap:Server', detail));
    };
    if (behaviour.drop) {
      request.raw.socket.destroy();
      return null;
    }
    await options.beforeAnswer?.();
    if (behaviour.delayMs) await new Promise((resolve) => setTimeout(resolve, behaviour.delayMs));
    let operation;
    try {
      operation = operationOf(bodyOf(parseXml(xml)));
    } catch (error) {
      if (error instanceof MalformedMessage) return (refuse('SCHEMA_INVALID', error.message), null);
      throw error;
    }
    if (operation.namespaceURI !== expected.namespace || !expected.names.includes(operation.localName ?? '')) {
      return (refuse('SCHEMA_INVALID', `${expected.channel} takes ${expected.names.join(' or ')}`), null);
    }
    const errors = await schemaErrors(operation);
    if (errors.length) return (refuse('SCHEMA_INVALID', `the ${operation.localName} does not match ${expected.channel}: ${errors[0]}`), null);
    try {
      return { operation, signedBy: verifyEnvelope(xml, options.trustAnchorsPem).person, refuse };
    } catch (error) {
      if (error instanceof SignatureRejected) return (refuse('SIGNATURE_INVALID', error.message), null);
      throw error;
    }
  };
  const knownSender = (sender: { senderId: string; password?: string }) =>
    options.senders[sender.senderId] !== undefined && options.senders[sender.senderId] === (sender.password ?? '');

  app.post(SYNC_PATH, async (request, reply) => {
    const got = await received(request, reply, { namespace: NS.sync, names: ['SendMessage'], channel: 'SyncChannel v10' });
    if (!got) return reply;
    const { operation, signedBy } = got;
    const message = readSendMessage(operation);
    const entry: StandInLogEntry = {
      at: new Date().toISOString(),
      messageId: message.messageId,
      correlationId: message.correlationId ?? null,
      serviceId: message.serviceId,
      interaction: options.services[message.serviceId] ?? null,
      signedBy,
      answered: '',
    };
    requests.push(entry);
    const answer = (code: string) => {
      entry.answered = code;
      log(
        `${message.serviceId} message ${message.messageId} (correlation ${entry.correlationId ?? '—'}): valid against SyncChannel v10, signature of ${signedBy} verified; answered ${code}`,
      );
    };
    if (!knownSender(message.sender)) {
      answer('SENDER_UNKNOWN');
      return got.refuse('SENDER_UNKNOWN', 'the sender or its password is not registered');
    }
    if (!entry.interaction) {
      answer('SERVICE_UNKNOWN');
      return got.refuse('SERVICE_UNKNOWN', `no interaction ${message.serviceId} in the registry`);
    }
    if (behaviour.fault) {
      answer(behaviour.fault);
      return got.refuse(behaviour.fault, 'the stand-in was told to fail', false);
    }
    const iin = message.values.iin ?? '';
    if (!isValidIin(iin)) {
      answer('DATA_INVALID');
      return got.refuse('DATA_INVALID', 'the request carries no valid IIN');
    }
    const person = people.get(iin);
    // the person register knows the listed people only; the others hold everyone not listed as lacking a record
    const rows: RegisterData =
      entry.interaction === 'person'
        ? person
          ? [
              ['found', true],
              ['surname', person.surname],
              ['name', person.name],
              ...(person.patronymic ? [['patronymic', person.patronymic] as const] : []),
            ]
          : [['found', false]]
        : [['found', person ? person[entry.interaction] : true]];
    answer(PROCESSED);
    const signed = await options.signer.sign(
      buildSendMessageResponse({
        messageId: `${message.messageId}-answer`,
        correlationId: message.correlationId,
        responseDate: new Date(),
        status: { code: PROCESSED, message: 'Message has been processed successfully' },
        data: rows,
      }),
    );
    return reply.type('text/xml; charset=utf-8').send(signed);
  });

  // R12: the asynchronous channel — messages taken, delivered in the stand-in's own time, asked about by id.
  const taken = new Map<string, { state: MessageState; since: Date }>();
  app.post(ASYNC_PATH, async (request, reply) => {
    const got = await received(request, reply, { namespace: NS.async, names: ['sendMessage', 'getMessageStatus'], channel: 'AsyncChannel v10' });
    if (!got) return reply;
    const asked = readAsyncRequest(got.operation);
    if (!knownSender(asked.kind === 'send' ? asked.message.sender : asked.sender))
      return got.refuse('SENDER_UNKNOWN', 'the sender or its password is not registered');
    const signed = async (xml: string) => reply.type('text/xml; charset=utf-8').send(await options.signer.sign(xml));
    if (asked.kind === 'status') {
      const known = taken.get(asked.messageId);
      if (!known) return got.refuse('MESSAGE_UNKNOWN', `no message ${asked.messageId} was taken`);
      return signed(buildGetMessageStatusResponse(asked.messageId, known.state, known.since));
    }
    const { message, values } = asked;
    const deliver = options.asyncServices?.[message.serviceId];
    if (!deliver) return got.refuse('SERVICE_UNKNOWN', `no interaction ${message.serviceId} in the registry`);
    if (behaviour.fault) return got.refuse(behaviour.fault, 'the stand-in was told to fail', false);
    const settle = (state: MessageState) => {
      taken.set(message.messageId, { state, since: new Date() });
      log(`${message.serviceId} message ${message.messageId} (correlation ${message.correlationId}): ${state}`);
    };
    settle('ON_DELIVERY');
    log(`${message.serviceId} message ${message.messageId}: valid against AsyncChannel v10, signature of ${got.signedBy} verified; taken`);
    if (behaviour.asyncState) settle(behaviour.asyncState);
    else
      void deliver(message.correlationId, values).then(
        () => settle('DELIVERED'),
        () => settle('NOT_DELIVERED'),
      );
    return signed(buildAsyncSendMessageResponse(message.messageId, message.correlationId));
  });

  // Steering, for the tests and the fault suite (never exposed beyond this machine: the stand-in listens on loopback).
  app.post('/stand-in/behaviour', async (request) => {
    const asked = (request.body ?? {}) as Partial<Behaviour>;
    Object.assign(behaviour, CALM, {
      delayMs: Math.max(0, Math.min(Number(asked.delayMs ?? 0) || 0, 120_000)),
      fault: typeof asked.fault === 'string' && asked.fault ? asked.fault : null,
      drop: asked.drop === true,
      asyncState: ['ON_DELIVERY', 'DELIVERED', 'NOT_DELIVERED', 'DELIVERY_STOPPED'].includes(String(asked.asyncState)) ? asked.asyncState : null,
    });
    log(`behaviour: ${JSON.stringify(behaviour)}`);
    return behaviour;
  });
  app.get('/stand-in/requests', async () => requests.slice(-200));
  return standIn;
}

/** The development interactions: serviceIds of the stand-in's registry (a deployment's come from the gateway's). */
export const DEVELOPMENT_SERVICES: Record<Interaction, string> = {
  person: 'DEV_PERSON_REGISTER',
  education: 'DEV_EDUCATION_RECORDS',
  employment: 'DEV_EMPLOYMENT_RECORDS',
};

/**
 * The development gateway under `dataDir`: the service's and the stand-in's keys from the development CA
 * (`signing/systems/`), and the SMARTBRIDGE_FILE the worker reads (`smartbridge.json`), written for the stand-in at
 * `port`. Both `npm start` and the stand-in's process call it; what it makes once it reuses after.
 */
export function developmentSmartBridge(dataDir: string, port: number, password: string): { file: string; standIn: Omit<StandInOptions, 'log'> } {
  const signingDir = path.join(dataDir, 'signing');
  const service = developmentSystemKey(signingDir, 'attestation-service', 'Информационная система аттестации педагогов (development)');
  const gateway = developmentSystemKey(signingDir, 'smartbridge-stand-in', 'Шлюз электронного правительства (stand-in)');
  const caFile = path.join(signingDir, 'ca', 'cert.pem');
  const file = path.join(dataDir, 'smartbridge.json');
  const settings: SmartBridgeFile = {
    endpoint: `http://127.0.0.1:${port}${SYNC_PATH}`,
    senderId: DEVELOPMENT_SENDER,
    passwordEnv: 'SMARTBRIDGE_PASSWORD',
    services: DEVELOPMENT_SERVICES,
    signing: { keyFile: service.keyFile, certFile: service.certFile },
    trustAnchorsFile: caFile,
  };
  // written whole and renamed into place: a worker starting meanwhile reads the old file or the new, never half
  const temporary = `${file}.${process.pid}`;
  fs.writeFileSync(temporary, `${JSON.stringify(settings, null, 2)}\n`, { mode: 0o600 });
  fs.renameSync(temporary, file);
  return {
    file,
    standIn: {
      services: Object.fromEntries(Object.entries(DEVELOPMENT_SERVICES).map(([interaction, id]) => [id, interaction as Interaction])),
      senders: { [DEVELOPMENT_SENDER]: password },
      trustAnchorsPem: fs.readFileSync(caFile, 'utf8'),
      signer: new LocalEnvelopeSigner(gateway.keyPem, gateway.certPem),
    },
  };
}
