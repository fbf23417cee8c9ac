/**
 * Personal data in Temporal (issue 6): every workflow and activity payload — applications carry the IIN, the
 * name and the essay — is encrypted with AES-256-GCM before it leaves the process, so the server's history holds
 * only ciphertext. Keys have ids so they can rotate: payloads are written with the current key and read with
 * whichever key their metadata names. Workers, the API's client and the codec server use the same codec.
 */
import { jsonFaultWithoutContent } from './production';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { METADATA_ENCODING_KEY, ValueError } from '@temporalio/common';
import { temporal } from '@temporalio/proto';

export const ENCODING = 'binary/encrypted';
const KEY_ID = 'encryption-key-id';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface PayloadKeys {
  /** the key id new payloads are written with */
  current: string;
  /** every key that may be needed to read: id → 32 bytes */
  keys: Record<string, Buffer>;
}

const text = (s: string) => new TextEncoder().encode(s);
const str = (b: Uint8Array | null | undefined) => (b ? new TextDecoder().decode(b) : undefined);

export class EncryptionCodec implements PayloadCodec {
  constructor(private readonly keys: PayloadKeys) {
    if (!keys.keys[keys.current]) throw new Error(`PAYLOAD_KEY_ID ${keys.current} is not among PAYLOAD_KEYS`);
    for (const [id, key] of Object.entries(keys.keys)) {
      if (key.length !== 32) throw new Error(`payload key ${id} must be 32 bytes (AES-256), not ${key.length}`);
    }
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', this.keys.keys[this.keys.current], iv);
      const plain = temporal.api.common.v1.Payload.encode(payload).finish();
      const sealed = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return { metadata: { [METADATA_ENCODING_KEY]: text(ENCODING), [KEY_ID]: text(this.keys.current) }, data: sealed };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      if (str(payload.metadata?.[METADATA_ENCODING_KEY]) !== ENCODING) return payload; // written before encryption
      const id = str(payload.metadata?.[KEY_ID]);
      const key = id ? this.keys.keys[id] : undefined;
      if (!key) throw new ValueError(`payload encrypted with key ${id ?? '(none)'}, which this process does not hold (PAYLOAD_KEYS)`);
      const sealed = Buffer.from(payload.data ?? new Uint8Array());
      const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES));
      decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
      const plain = Buffer.concat([decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)), decipher.final()]);
      return temporal.api.common.v1.Payload.decode(plain) as Payload;
    });
  }
}

/**
 * The keys from the environment: PAYLOAD_KEYS is a JSON object of key id → base64 of 32 bytes, the keys this
 * process reads with; PAYLOAD_KEY_ID names the one it writes with. The two are set apart (issue 35): a rotation
 * first gives every process the new key to read, and only then, in a second roll-out, names it to write — so no
 * process writes a payload that another cannot read yet. With one key listed it is the writing key; with more,
 * PAYLOAD_KEY_ID must name one (a new key listed last never becomes the writing key by itself). Null when no
 * keys are configured.
 */
export function payloadKeysFromEnvironment(env: NodeJS.ProcessEnv = process.env): PayloadKeys | null {
  if (!env.PAYLOAD_KEYS) return null;
  let raw: Record<string, string>;
  try {
    raw = JSON.parse(env.PAYLOAD_KEYS);
  } catch (error) {
    // no cause: the parser's message quotes part of the text, a key (issue 32); Node would print it with the stack
    // eslint-disable-next-line preserve-caught-error
    throw new Error(`PAYLOAD_KEYS is not JSON: ${jsonFaultWithoutContent(error)}`);
  }
  const ids = Object.keys(raw);
  if (ids.length === 0) throw new Error('PAYLOAD_KEYS lists no key');
  const keys = Object.fromEntries(ids.map((id) => [id, Buffer.from(raw[id], 'base64')]));
  if (!env.PAYLOAD_KEY_ID && ids.length > 1) {
    throw new Error(
      `PAYLOAD_KEYS lists ${ids.length} keys (${ids.join(', ')}) and PAYLOAD_KEY_ID names none: set PAYLOAD_KEY_ID to the key to write with (docs/operators.md, rotating payload keys)`,
    );
  }
  return { current: env.PAYLOAD_KEY_ID || ids[0], keys };
}

/** Where the failure converter is (infra/failure-converter.ts), by path: the workflow bundle loads it too. */
export const FAILURE_CONVERTER_PATH = require.resolve('./failure-converter');

/**
 * The data converter every Temporal connection of the service uses, given its keys: payloads encrypted, and
 * failures' messages with them (infra/failure-converter.ts).
 */
export function dataConverterFor(keys: PayloadKeys | null) {
  return keys ? { payloadCodecs: [new EncryptionCodec(keys)], failureConverterPath: FAILURE_CONVERTER_PATH } : undefined;
}

/** A new key for PAYLOAD_KEYS. */
export function newPayloadKey(): string {
  return randomBytes(32).toString('base64');
}
