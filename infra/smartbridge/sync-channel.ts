/**
 * The e-government gateway's synchronous channel (ШЭП, the SmartBridge platform), SyncChannel v10: one SOAP 1.1
 * operation, `SendMessage`, document/literal. A request carries `requestInfo` (the sender's `messageId`, the case's
 * `correlationId`, the interaction's `serviceId` in the gateway's registry, `messageDate`, the `sender`) and
 * `requestData/data` (the register's own XML); an answer carries `responseInfo` (the receiver's `messageId`, the
 * `correlationId`, `responseDate`, a `status` {code, message}) and `responseData/data`; a failure is a SOAP fault
 * whose detail is an `ErrorInfo` {errorCode, errorMessage, errorDate}. Both sides are here, built with xmlbuilder2
 * and read with xmldom — the adapter (infra/smartbridge/gateway.ts) and the local stand-in
 * (devtools/smartbridge-stand-in.ts) speak through the same functions. Child elements are unqualified, as the
 * published schema declares them (infra/smartbridge/schema/sync-channel-v10.xsd).
 */
import { DOMParser, type Document, type Element } from '@xmldom/xmldom';
import { create } from 'xmlbuilder2';

export const NS = {
  soap: 'http://schemas.xmlsoap.org/soap/envelope/',
  sync: 'http://bip.bee.kz/SyncChannel/v10/Types',
  async: 'http://bip.bee.kz/AsyncChannel/v10/Types',
  wsse: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd',
  wsu: 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd',
  ds: 'http://www.w3.org/2000/09/xmldsig#',
} as const;

/** The status code SmartBridge answers a processed message with. */
export const PROCESSED = 'SCSS001';

/** A register's data: flat named values, in the order given (the registers' own schemas are agreed per interaction). */
export type RegisterData = ReadonlyArray<readonly [name: string, value: string | boolean]>;

export interface SyncRequest {
  messageId: string;
  /** the chain this message belongs to: the case's workflow, so every message of a case is found by it */
  correlationId?: string;
  serviceId: string;
  messageDate: Date;
  sender: { senderId: string; password?: string };
  data: RegisterData;
}

export interface SyncResponse {
  messageId: string;
  correlationId?: string;
  responseDate: Date;
  status: { code: string; message: string };
  data: Record<string, string>;
}

/** What a receiver answers: SyncResponse's fields, with its register's data to build. */
export type SyncAnswer = Omit<SyncResponse, 'data'> & { data: RegisterData };

export interface ErrorInfo {
  errorCode: string;
  errorMessage: string;
  errorDate: Date;
}

/** A message that is not what the channel's schema describes (before or after XSD validation). */
export class MalformedMessage extends Error {
  override name = 'MalformedMessage';
}

/** The Body's wsu:Id: what the WS-Security signature references. */
export const BODY_ID = 'id-body';

/** A SOAP 1.1 envelope, its Body carrying the wsu:Id a signature references, filled by `body`. */
export function envelope(body: (parent: ReturnType<typeof create>) => void): string {
  const doc = create({ version: '1.0', encoding: 'UTF-8' });
  const env = doc.ele(NS.soap, 'soap:Envelope');
  env.ele(NS.soap, 'soap:Header');
  const soapBody = env.ele(NS.soap, 'soap:Body').att(NS.wsu, 'wsu:Id', BODY_ID);
  body(soapBody as unknown as ReturnType<typeof create>);
  return doc.end({ headless: false });
}

/** A `data` element of named values (anyType in the schemas). */
export function appendData(parent: ReturnType<typeof create>, data: RegisterData): void {
  const node = parent.ele('data');
  for (const [name, value] of data) node.ele(name).txt(String(value));
}

/** The request, unsigned: a signer adds its wsse:Security header (infra/smartbridge/wsse.ts). */
export function buildSendMessage(request: SyncRequest): string {
  return envelope((body) => {
    const req = body.ele(NS.sync, 'ns2:SendMessage').ele('request');
    const info = req.ele('requestInfo');
    info.ele('messageId').txt(request.messageId);
    if (request.correlationId) info.ele('correlationId').txt(request.correlationId);
    info.ele('serviceId').txt(request.serviceId);
    info.ele('messageDate').txt(request.messageDate.toISOString());
    const sender = info.ele('sender');
    sender.ele('senderId').txt(request.sender.senderId);
    if (request.sender.password !== undefined) sender.ele('password').txt(request.sender.password);
    appendData(req.ele('requestData'), request.data);
  });
}

export function buildSendMessageResponse(response: SyncAnswer): string {
  return envelope((body) => {
    const res = body.ele(NS.sync, 'ns2:SendMessageResponse').ele('response');
    const info = res.ele('responseInfo');
    info.ele('messageId').txt(response.messageId);
    if (response.correlationId) info.ele('correlationId').txt(response.correlationId);
    info.ele('responseDate').txt(response.responseDate.toISOString());
    const status = info.ele('status');
    status.ele('code').txt(response.status.code);
    status.ele('message').txt(response.status.message.slice(0, 250));
    appendData(res.ele('responseData'), response.data);
  });
}

/** A SOAP 1.1 fault carrying the channel's ErrorInfo in its detail (the synchronous channel's, unless told). */
export function buildFault(
  error: ErrorInfo,
  faultCode: 'soap:Client' | 'soap:Server',
  detail: { namespace: string; name: string } = { namespace: NS.sync, name: 'SendMessageFault1_SendMessageFault' },
): string {
  return envelope((body) => {
    const fault = body.ele(NS.soap, 'soap:Fault');
    fault.ele('faultcode').txt(faultCode);
    fault.ele('faultstring').txt(error.errorMessage);
    const info = fault.ele('detail').ele(detail.namespace, `ns2:${detail.name}`);
    info.ele('errorCode').txt(error.errorCode);
    info.ele('errorMessage').txt(error.errorMessage);
    info.ele('errorDate').txt(error.errorDate.toISOString());
  });
}

/** Parses XML, refusing a document type declaration (no entities to expand: XXE, billion laughs). */
export function parseXml(xml: string): Document {
  if (/<!DOCTYPE/i.test(xml)) throw new MalformedMessage('a document type declaration is not allowed');
  try {
    return new DOMParser({
      onError: (level, message) => {
        if (level !== 'warning') throw new MalformedMessage(`not well-formed XML: ${message}`);
      },
    }).parseFromString(xml, 'text/xml');
  } catch (error) {
    if (error instanceof MalformedMessage) throw error;
    throw new MalformedMessage(`not well-formed XML: ${(error as Error).message}`);
  }
}

/** The element children of `parent` with this namespace and local name. */
export function childrenNamed(parent: Element, namespace: string | null, localName: string): Element[] {
  const found: Element[] = [];
  for (let n = parent.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === 1 && (n as Element).localName === localName && ((n as Element).namespaceURI ?? null) === namespace) found.push(n as Element);
  }
  return found;
}

/** The one child element of that name (none, when optional); two is a malformed message. */
export function only(parent: Element, namespace: string | null, localName: string, optional = false): Element | null {
  const found = childrenNamed(parent, namespace, localName);
  if (found.length > 1) throw new MalformedMessage(`more than one ${localName} in ${parent.localName}`);
  if (!found.length && !optional) throw new MalformedMessage(`${parent.localName} has no ${localName}`);
  return found[0] ?? null;
}

export const text = (parent: Element, name: string) => only(parent, null, name)!.textContent ?? '';
export const optionalText = (parent: Element, name: string) => only(parent, null, name, true)?.textContent ?? undefined;

/** The Body of a SOAP 1.1 envelope: exactly one, a child of the Envelope (a second one is a wrapping attack). */
export function bodyOf(doc: Document): Element {
  const root = doc.documentElement;
  if (!root || root.localName !== 'Envelope' || root.namespaceURI !== NS.soap) throw new MalformedMessage('not a SOAP 1.1 envelope');
  const bodies = doc.getElementsByTagNameNS(NS.soap, 'Body');
  if (bodies.length !== 1 || bodies[0].parentNode !== root) throw new MalformedMessage('a SOAP envelope has one Body, under the Envelope');
  return bodies[0];
}

/** The operations of the two channels, by namespace: what a Body may carry besides a Fault. */
const OPERATIONS: Record<string, readonly string[]> = {
  [NS.sync]: ['SendMessage', 'SendMessageResponse'],
  [NS.async]: ['sendMessage', 'sendMessageResponse', 'getMessageStatus', 'getMessageStatusResponse'],
  [NS.soap]: ['Fault'],
};

/** The one element a Body carries: a channel's operation, or a Fault. */
export function operationOf(body: Element): Element {
  const elements: Element[] = [];
  for (let n = body.firstChild; n; n = n.nextSibling) if (n.nodeType === 1) elements.push(n as Element);
  const [first] = elements;
  if (elements.length !== 1 || !OPERATIONS[first.namespaceURI ?? '']?.includes(first.localName ?? '')) {
    throw new MalformedMessage("the Body carries one of the channels' operations or a Fault");
  }
  return first;
}

/** The named values of a `data` element under `parent`. */
export function dataOf(parent: Element | null): Record<string, string> {
  const data = parent ? only(parent, null, 'data', true) : null;
  const values: Record<string, string> = {};
  for (let n = data?.firstChild; n; n = n.nextSibling) if (n.nodeType === 1) values[(n as Element).localName!] = n.textContent ?? '';
  return values;
}

export const dateOf = (value: string, field: string) => {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw new MalformedMessage(`${field} is not a date-time`);
  return date;
};

/** The request a SendMessage element carries (the stand-in's side). */
export function readSendMessage(operation: Element): SyncRequest & { values: Record<string, string> } {
  if (operation.localName !== 'SendMessage') throw new MalformedMessage('the Body carries no SendMessage');
  const request = only(operation, null, 'request')!;
  const info = only(request, null, 'requestInfo')!;
  const sender = only(info, null, 'sender')!;
  const values = dataOf(only(request, null, 'requestData'));
  return {
    messageId: text(info, 'messageId'),
    correlationId: optionalText(info, 'correlationId'),
    serviceId: text(info, 'serviceId'),
    messageDate: dateOf(text(info, 'messageDate'), 'messageDate'),
    sender: { senderId: text(sender, 'senderId'), password: optionalText(sender, 'password') },
    data: Object.entries(values),
    values,
  };
}

/** What a gateway answered: its response, or the ErrorInfo of its fault. */
/** A Fault's ErrorInfo (the first element of its detail, whichever operation's fault it is), or its faultcode. */
export function readFault(operation: Element): ErrorInfo & { faultCode: string } {
  const detail = only(operation, null, 'detail', true);
  let info: Element | null = null;
  for (let n = detail?.firstChild; n && !info; n = n.nextSibling) if (n.nodeType === 1) info = n as Element;
  const faultCode = optionalText(operation, 'faultcode') ?? '';
  if (!info)
    return { errorCode: faultCode || 'SOAP_FAULT', errorMessage: optionalText(operation, 'faultstring') ?? '', errorDate: new Date(), faultCode };
  return {
    errorCode: text(info, 'errorCode'),
    errorMessage: text(info, 'errorMessage'),
    errorDate: dateOf(text(info, 'errorDate'), 'errorDate'),
    faultCode,
  };
}

export function readAnswer(operation: Element): { response: SyncResponse } | { fault: ErrorInfo & { faultCode: string } } {
  if (operation.localName === 'Fault') return { fault: readFault(operation) };
  if (operation.localName !== 'SendMessageResponse') throw new MalformedMessage('the Body carries no SendMessageResponse');
  const response = only(operation, null, 'response')!;
  const info = only(response, null, 'responseInfo')!;
  const status = only(info, null, 'status')!;
  return {
    response: {
      messageId: text(info, 'messageId'),
      correlationId: optionalText(info, 'correlationId'),
      responseDate: dateOf(text(info, 'responseDate'), 'responseDate'),
      status: { code: text(status, 'code'), message: text(status, 'message') },
      data: dataOf(only(response, null, 'responseData', true)),
    },
  };
}
