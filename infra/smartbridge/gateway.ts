/**
 * R8 over the e-government gateway's own protocol (issue 33): each register is an interaction of SmartBridge's
 * synchronous channel (infra/smartbridge/sync-channel.ts), asked with a WS-Security-signed SendMessage
 * (infra/smartbridge/wsse.ts) whose answer must be signed by a certificate the configured anchors trust. Every
 * message carries a new `messageId` and the case's workflow id as `correlationId`, and each exchange is recorded
 * (infra/case-store/gateway.ts). What the gateway answers instead of an answer is a GatewayFault by its code: a
 * retry sends the same message again, so a fault about the message itself (its schema, its data) is permanent and
 * anything else — a signature or sender the gateway does not accept yet, a register away, a time-out — is waited out.
 *
 * Configured by SMARTBRIDGE_FILE (JSON), paths relative to it:
 *   { "endpoint": "https://shep.example.kz/bip-sync-wss-gost/", "senderId": "…", "passwordEnv": "SMARTBRIDGE_PASSWORD",
 *     "services": { "person": "…", "education": "…", "employment": "…" },
 *     "signing": { "keyFile": "…", "certFile": "…" }            (or { "certFile": "…", "ncanode": { "url", "p12File", "passwordEnv" } })
 *     "trustAnchorsFile": "…",                                 (the CA of the gateway's certificate)
 *     "permanentFaultCodes": ["SCHEMA_INVALID", "DATA_INVALID"], "timeoutMs": 10000,
 *     "stageReports": { "endpoint": "https://shep.example.kz/bip-async-wss-gost/", "serviceId": "…" } }   (R12, optional)
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { StateRecords } from '../../domain/admissibility';
import type { RegisterPerson } from '../../domain/identity';
import { GatewayFault } from '../failures';
import type { GatewayExchangeRecord } from '../case-store/gateway';
import { SmartBridgeAsyncDelivery } from './async-channel';
import { bodyOf, buildSendMessage, MalformedMessage, operationOf, parseXml, PROCESSED, readAnswer } from './sync-channel';
import { LocalEnvelopeSigner, NcaNodeEnvelopeSigner, SignatureRejected, verifyEnvelope, type EnvelopeSigner } from './wsse';

/** The registers the service asks (R8): the person register (ГБД ФЛ), the education and the employment registers. */
export const INTERACTIONS = ['person', 'education', 'employment'] as const;
export type Interaction = (typeof INTERACTIONS)[number];

/** The stand-in's fault codes about the message itself: the same message meets the same fault. */
export const DEFAULT_PERMANENT_FAULT_CODES = ['SCHEMA_INVALID', 'DATA_INVALID'];

const SettingsSchema = z.strictObject({
  endpoint: z.url(),
  senderId: z.string().min(1),
  passwordEnv: z.string().min(1).optional(),
  services: z.strictObject({ person: z.string().min(1), education: z.string().min(1), employment: z.string().min(1) }),
  signing: z.union([
    z.strictObject({ keyFile: z.string().min(1), certFile: z.string().min(1) }),
    z.strictObject({
      certFile: z.string().min(1),
      ncanode: z.strictObject({ url: z.url(), p12File: z.string().min(1), passwordEnv: z.string().min(1), keyAlias: z.string().optional() }),
    }),
  ]),
  trustAnchorsFile: z.string().min(1),
  permanentFaultCodes: z.array(z.string().min(1)).optional(),
  /** R12: stage reports to the monitoring system through the gateway's asynchronous channel instead of MONITORING_URL */
  stageReports: z.strictObject({ endpoint: z.url(), serviceId: z.string().min(1) }).optional(),
  timeoutMs: z.number().int().positive().max(120_000).optional(),
});
export type SmartBridgeFile = z.infer<typeof SettingsSchema>;

export interface SmartBridgeSettings {
  endpoint: string;
  senderId: string;
  password?: string;
  services: Record<Interaction, string>;
  signer: EnvelopeSigner;
  /** the gateway's certificate's anchors (PEM) */
  trustAnchorsPem: string;
  permanentFaultCodes?: readonly string[];
  timeoutMs?: number;
  /** R12: the asynchronous channel's endpoint and the monitoring system's interaction, when stage reports go that way */
  stageReports?: { endpoint: string; serviceId: string };
  /** records each exchange (the case store's GatewayExchange) */
  record?: (exchange: GatewayExchangeRecord) => Promise<void>;
}

/** Reads and checks SMARTBRIDGE_FILE; a missing secret or an unreadable key is named. */
export function readSmartBridgeFile(file: string, env: NodeJS.ProcessEnv = process.env): Omit<SmartBridgeSettings, 'record'> {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`SMARTBRIDGE_FILE ${file} could not be read as JSON: ${(error as Error).message}`, { cause: error });
  }
  const parsed = SettingsSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${file}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  const settings = parsed.data;
  const resolve = (p: string) => path.resolve(path.dirname(file), p);
  const secret = (name: string, what: string) => {
    const value = env[name];
    if (!value) throw new Error(`${file}: ${name} (${what}) is not set`);
    return value;
  };
  const signing = settings.signing;
  const signer =
    'keyFile' in signing
      ? LocalEnvelopeSigner.fromFiles(resolve(signing.keyFile), resolve(signing.certFile))
      : new NcaNodeEnvelopeSigner({
          ...signing.ncanode,
          p12File: resolve(signing.ncanode.p12File),
          certFile: resolve(signing.certFile),
          password: secret(signing.ncanode.passwordEnv, "the signing container's password"),
        });
  return {
    endpoint: settings.endpoint,
    senderId: settings.senderId,
    password: settings.passwordEnv ? secret(settings.passwordEnv, "the sender's password at the gateway") : undefined,
    services: settings.services,
    signer,
    trustAnchorsPem: fs.readFileSync(resolve(settings.trustAnchorsFile), 'utf8'),
    permanentFaultCodes: settings.permanentFaultCodes,
    timeoutMs: settings.timeoutMs,
    stageReports: settings.stageReports,
  };
}

/**
 * R12: the carrier of the stage reports when SMARTBRIDGE_FILE sends them through the gateway's asynchronous
 * channel (`stageReports`), signed with the same key as the look-ups; null when they go to MONITORING_URL.
 */
export function stageReportCarrier(env: NodeJS.ProcessEnv = process.env): SmartBridgeAsyncDelivery | null {
  if (!env.SMARTBRIDGE_FILE) return null;
  const settings = readSmartBridgeFile(env.SMARTBRIDGE_FILE, env);
  if (!settings.stageReports) return null;
  return new SmartBridgeAsyncDelivery({
    ...settings.stageReports,
    sender: { senderId: settings.senderId, password: settings.password },
    signer: settings.signer,
    trustAnchorsPem: settings.trustAnchorsPem,
    timeoutMs: settings.timeoutMs,
  });
}

/** The sender the development stand-in knows (devtools/smartbridge-stand-in.ts): never a production one. */
export const DEVELOPMENT_SENDER = 'teacher-attestation-dev';

/** SMARTBRIDGE_FILE's settings as written (no secret read, no key opened), for the production checks; null without it. */
export function smartBridgeFileOf(env: NodeJS.ProcessEnv = process.env): SmartBridgeFile | null {
  if (!env.SMARTBRIDGE_FILE || !fs.existsSync(env.SMARTBRIDGE_FILE)) return null;
  try {
    const parsed = SettingsSchema.safeParse(JSON.parse(fs.readFileSync(env.SMARTBRIDGE_FILE, 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** One register's answer: the values of its data, and the exchange's ids. */
export interface RegisterAnswer {
  values: Record<string, string>;
  messageId: string;
  answerMessageId: string;
}

/** The person register's answer: a person with a surname and a name, or none. */
function personOf(values: Record<string, string>): RegisterPerson {
  if (values.found !== 'true') return { found: false };
  const [surname, name] = [values.surname?.trim(), values.name?.trim()];
  if (!surname || !name)
    throw new GatewayFault('PERSON_INCOMPLETE', false, "the person register's answer names the person without a surname or a name");
  return { found: true, surname, name, patronymic: values.patronymic?.trim() || null };
}

export class SmartBridgeGateway {
  constructor(private readonly settings: SmartBridgeSettings) {}

  /** R8: the person as the person register holds her, and whether the education and employment registers hold her records. */
  async lookUp(iin: string, context: { correlationId?: string } = {}): Promise<StateRecords> {
    const [person, education, employment] = await Promise.all(INTERACTIONS.map((interaction) => this.ask(interaction, iin, context.correlationId)));
    return { education: education.values.found === 'true', employment: employment.values.found === 'true', person: personOf(person.values) };
  }

  /** Sends one signed SendMessage to an interaction and reads its signed answer. */
  async ask(interaction: Interaction, iin: string, correlationId?: string): Promise<RegisterAnswer> {
    const { settings } = this;
    const messageId = randomUUID();
    const serviceId = settings.services[interaction];
    const envelope = buildSendMessage({
      messageId,
      correlationId,
      serviceId,
      messageDate: new Date(),
      sender: { senderId: settings.senderId, password: settings.password },
      data: [['iin', iin]],
    });
    const response = await fetch(settings.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: '""' },
      body: await settings.signer.sign(envelope),
      // issue 32: the IIN and the sender's password go to this address and no other
      redirect: 'error',
      signal: AbortSignal.timeout(settings.timeoutMs ?? 10_000),
    });
    const text = await response.text();
    const answer = this.read(text, response.status, interaction);
    const recorded = async (statusCode: string, answerMessageId: string | null) =>
      settings.record?.({ messageId, correlationId: correlationId ?? '', interaction, serviceId, answerMessageId, statusCode });
    if ('fault' in answer) {
      const { errorCode } = answer.fault;
      await recorded(errorCode, null);
      const permanent = (settings.permanentFaultCodes ?? DEFAULT_PERMANENT_FAULT_CODES).includes(errorCode);
      throw new GatewayFault(
        errorCode,
        permanent,
        `the e-government gateway answered the ${interaction} look-up (message ${messageId}) with the fault ${errorCode}${permanent ? ': the message itself is refused, a retry cannot help' : ''}`,
      );
    }
    const { response: info } = answer;
    if (info.correlationId && correlationId && info.correlationId !== correlationId) {
      throw new GatewayFault('CORRELATION_MISMATCH', false, `the gateway's answer to message ${messageId} belongs to another chain`);
    }
    await recorded(info.status.code, info.messageId);
    if (info.status.code !== PROCESSED) {
      throw new GatewayFault(
        info.status.code,
        false,
        `the ${interaction} register answered message ${messageId} with the status ${info.status.code}`,
      );
    }
    return { values: info.data, messageId, answerMessageId: info.messageId };
  }

  /** The answer's SOAP body, once its signature is checked (a fault is read unsigned: it changes nothing). */
  private read(text: string, status: number, interaction: Interaction) {
    let operation;
    try {
      operation = operationOf(bodyOf(parseXml(text)));
    } catch (error) {
      if (error instanceof MalformedMessage) {
        throw new GatewayFault(`HTTP_${status}`, false, `the gateway answered the ${interaction} look-up with HTTP ${status} and no SOAP message`);
      }
      throw error;
    }
    const answer = readAnswer(operation);
    if ('fault' in answer) return answer;
    try {
      verifyEnvelope(text, this.settings.trustAnchorsPem);
    } catch (error) {
      if (error instanceof SignatureRejected) {
        throw new GatewayFault('ANSWER_SIGNATURE', false, `the gateway's answer to the ${interaction} look-up is not trusted: ${error.message}`);
      }
      throw error;
    }
    return answer;
  }
}
