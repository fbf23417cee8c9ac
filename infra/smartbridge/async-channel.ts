/**
 * The e-government gateway's asynchronous channel, AsyncChannel v10 (issue 33, R12): a one-way message is handed
 * to the gateway with `sendMessage` (the gateway takes it and delivers it to the receiving system in its own time),
 * and `getMessageStatus` answers where it is: ON_DELIVERY, DELIVERED, NOT_DELIVERED or DELIVERY_STOPPED. Stage
 * reports for the monitoring system may go this way instead of the webhook (SMARTBRIDGE_FILE's `stageReports`):
 * the outbox relay hands each over and marks it delivered only once the gateway says DELIVERED
 * (worker/outbox-relay.ts). Both sides' messages are here; they are signed like the synchronous channel's.
 */
import { randomUUID } from 'node:crypto';
import type { Element } from '@xmldom/xmldom';
import { GatewayFault } from '../failures';
import {
  appendData,
  bodyOf,
  dataOf,
  dateOf,
  envelope,
  MalformedMessage,
  NS,
  only,
  operationOf,
  optionalText,
  parseXml,
  readFault,
  text,
  type RegisterData,
} from './sync-channel';
import { SignatureRejected, verifyEnvelope, type EnvelopeSigner } from './wsse';

/** Where the gateway says a message it took is. */
export const MESSAGE_STATES = ['ON_DELIVERY', 'DELIVERED', 'NOT_DELIVERED', 'DELIVERY_STOPPED'] as const;
export type MessageState = (typeof MESSAGE_STATES)[number];

export interface AsyncMessage {
  messageId: string;
  /** the outbox key: the receiving system takes a message once by it */
  correlationId: string;
  serviceId: string;
  messageDate: Date;
  sender: { senderId: string; password?: string };
  data: RegisterData;
}

export function buildAsyncSendMessage(message: AsyncMessage): string {
  return envelope((body) => {
    const request = body.ele(NS.async, 'ns2:sendMessage').ele('request');
    const info = request.ele('messageInfo');
    info.ele('messageId').txt(message.messageId);
    info.ele('correlationId').txt(message.correlationId);
    info.ele('serviceId').txt(message.serviceId);
    info.ele('messageType').txt('NOTIFICATION');
    info.ele('messageDate').txt(message.messageDate.toISOString());
    const sender = info.ele('sender');
    sender.ele('senderId').txt(message.sender.senderId);
    if (message.sender.password !== undefined) sender.ele('password').txt(message.sender.password);
    appendData(request.ele('messageData'), message.data);
  });
}

export function buildGetMessageStatus(messageId: string, sender: AsyncMessage['sender'], requestDate = new Date()): string {
  return envelope((body) => {
    const request = body.ele(NS.async, 'ns2:getMessageStatus').ele('request');
    request.ele('messageId').txt(messageId);
    request.ele('requestDate').txt(requestDate.toISOString());
    const who = request.ele('sender');
    who.ele('senderId').txt(sender.senderId);
    if (sender.password !== undefined) who.ele('password').txt(sender.password);
  });
}

/** The gateway's answer to sendMessage: it took the message. */
export function buildAsyncSendMessageResponse(messageId: string, correlationId: string): string {
  return envelope((body) => {
    const response = body.ele(NS.async, 'ns2:sendMessageResponse').ele('response');
    response.ele('messageId').txt(messageId);
    response.ele('correlationId').txt(correlationId);
    response.ele('responseDate').txt(new Date().toISOString());
  });
}

/** The gateway's answer to getMessageStatus: the message's state and since when. */
export function buildGetMessageStatusResponse(messageId: string, state: MessageState, statusDate: Date): string {
  return envelope((body) => {
    const response = body.ele(NS.async, 'ns2:getMessageStatusResponse').ele('response');
    response.ele('messageId').txt(messageId);
    response.ele('messageState').txt(state);
    response.ele('statusDate').txt(statusDate.toISOString());
  });
}

/** A request the stand-in reads: a message to deliver, or a question about one. */
export function readAsyncRequest(
  operation: Element,
): { kind: 'send'; message: AsyncMessage; values: Record<string, string> } | { kind: 'status'; messageId: string; sender: AsyncMessage['sender'] } {
  const request = only(operation, null, 'request')!;
  if (operation.localName === 'getMessageStatus') {
    const sender = only(request, null, 'sender')!;
    return {
      kind: 'status',
      messageId: text(request, 'messageId'),
      sender: { senderId: text(sender, 'senderId'), password: optionalText(sender, 'password') },
    };
  }
  if (operation.localName !== 'sendMessage') throw new MalformedMessage('the Body carries no sendMessage or getMessageStatus');
  const info = only(request, null, 'messageInfo')!;
  const sender = only(info, null, 'sender')!;
  const values = dataOf(only(request, null, 'messageData'));
  return {
    kind: 'send',
    message: {
      messageId: text(info, 'messageId'),
      correlationId: optionalText(info, 'correlationId') ?? '',
      serviceId: text(info, 'serviceId'),
      messageDate: dateOf(text(info, 'messageDate'), 'messageDate'),
      sender: { senderId: text(sender, 'senderId'), password: optionalText(sender, 'password') },
      data: Object.entries(values),
    },
    values,
  };
}

/** A stage report's fields as the message's data: each top-level field an element, a nested value as JSON. */
export function reportData(payload: Record<string, unknown>): RegisterData {
  return Object.entries(payload)
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => [name, value !== null && typeof value === 'object' ? JSON.stringify(value) : String(value)] as const);
}

export interface AsyncDeliverySettings {
  endpoint: string;
  serviceId: string;
  sender: AsyncMessage['sender'];
  signer: EnvelopeSigner;
  /** the gateway's certificate's anchors: its answers are signed */
  trustAnchorsPem: string;
  timeoutMs?: number;
}

/**
 * Hands messages to the gateway's asynchronous channel and asks where they are (worker/outbox-relay.ts uses it
 * for the monitoring channel when configured). A fault or an answer that is not trusted is a GatewayFault, retried
 * by the relay's back-off.
 */
export class SmartBridgeAsyncDelivery {
  constructor(private readonly settings: AsyncDeliverySettings) {}

  /** Hands a message over; answers its message id at the gateway (a new one each time it is handed over). */
  async send(key: string, payload: Record<string, unknown>): Promise<string> {
    const messageId = randomUUID();
    const { settings } = this;
    await this.call(
      buildAsyncSendMessage({
        messageId,
        correlationId: key,
        serviceId: settings.serviceId,
        messageDate: new Date(),
        sender: settings.sender,
        data: reportData(payload),
      }),
      'sendMessageResponse',
    );
    return messageId;
  }

  /** Where the gateway says the message is. */
  async state(messageId: string): Promise<MessageState> {
    const response = await this.call(buildGetMessageStatus(messageId, this.settings.sender), 'getMessageStatusResponse');
    const state = text(only(response, null, 'response')!, 'messageState');
    if (!(MESSAGE_STATES as readonly string[]).includes(state))
      throw new GatewayFault('STATE_UNKNOWN', false, `the gateway answered an unknown message state for ${messageId}`);
    return state as MessageState;
  }

  private async call(envelopeXml: string, answer: string): Promise<Element> {
    const response = await fetch(this.settings.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'text/xml; charset=utf-8', soapaction: '""' },
      body: await this.settings.signer.sign(envelopeXml),
      // issue 32: the stage report and the sender's password go to this address and no other
      redirect: 'error',
      signal: AbortSignal.timeout(this.settings.timeoutMs ?? 10_000),
    });
    const xml = await response.text();
    let operation: Element;
    try {
      operation = operationOf(bodyOf(parseXml(xml)));
    } catch (error) {
      if (error instanceof MalformedMessage)
        throw new GatewayFault(
          `HTTP_${response.status}`,
          false,
          `the gateway's asynchronous channel answered HTTP ${response.status} and no SOAP message`,
        );
      throw error;
    }
    if (operation.localName === 'Fault') {
      const fault = readFault(operation);
      throw new GatewayFault(fault.errorCode, false, `the gateway's asynchronous channel answered the fault ${fault.errorCode}`);
    }
    if (operation.localName !== answer || operation.namespaceURI !== NS.async)
      throw new GatewayFault('ANSWER_UNEXPECTED', false, `the gateway answered ${operation.localName}, not ${answer}`);
    try {
      verifyEnvelope(xml, this.settings.trustAnchorsPem);
    } catch (error) {
      if (error instanceof SignatureRejected)
        throw new GatewayFault('ANSWER_SIGNATURE', false, `the gateway's answer is not trusted: ${error.message}`);
      throw error;
    }
    return operation;
  }
}
