/** The payload codec (issue 6): sealed with the current key, opened with any listed key, tampering detected. */
import { randomBytes } from 'node:crypto';
import { defaultPayloadConverter } from '@temporalio/common';
import { EncryptionCodec, payloadKeysFromEnvironment } from '../infra/payload-codec';

const payload = defaultPayloadConverter.toPayload({ iin: '850101400011', fullName: 'Айгуль Нурланова' });

describe('payload encryption', () => {
  test('a sealed payload carries no plaintext, and opens to the original', async () => {
    const codec = new EncryptionCodec({ current: 'k1', keys: { k1: randomBytes(32) } });
    const [sealed] = await codec.encode([payload]);
    expect(Buffer.from(sealed.data!).toString('latin1')).not.toContain('850101400011');
    expect(Buffer.from(sealed.metadata!['encryption-key-id']!).toString()).toBe('k1');
    expect(defaultPayloadConverter.fromPayload((await codec.decode([sealed]))[0])).toEqual({ iin: '850101400011', fullName: 'Айгуль Нурланова' });
    // Sealing twice gives two ciphertexts (a fresh IV each time).
    const [again] = await codec.encode([payload]);
    expect(Buffer.from(again.data!).equals(Buffer.from(sealed.data!))).toBe(false);
  });

  test('keys rotate: a payload sealed with the old key opens after a new key became current', async () => {
    const old = randomBytes(32);
    const [sealed] = await new EncryptionCodec({ current: 'old', keys: { old } }).encode([payload]);
    const rotated = new EncryptionCodec({ current: 'new', keys: { old, new: randomBytes(32) } });
    expect(defaultPayloadConverter.fromPayload((await rotated.decode([sealed]))[0])).toMatchObject({ iin: '850101400011' });
    const [resealed] = await rotated.encode([payload]);
    expect(Buffer.from(resealed.metadata!['encryption-key-id']!).toString()).toBe('new');
    await expect(new EncryptionCodec({ current: 'new', keys: { new: randomBytes(32) } }).decode([sealed])).rejects.toThrow(
      /key old, which this process does not hold/,
    );
  });

  test('a tampered payload does not open', async () => {
    const codec = new EncryptionCodec({ current: 'k1', keys: { k1: randomBytes(32) } });
    const [sealed] = await codec.encode([payload]);
    const data = Buffer.from(sealed.data!);
    data[20] ^= 1;
    // AES-256-GCM's tag does not match: Node's words for it
    await expect(codec.decode([{ ...sealed, data }])).rejects.toThrow(/unable to authenticate data/);
  });

  test('a payload written before encryption passes through', async () => {
    const codec = new EncryptionCodec({ current: 'k1', keys: { k1: randomBytes(32) } });
    expect(await codec.decode([payload])).toEqual([payload]);
  });

  test('the configuration is checked: JSON, key length, the writing key named among several', () => {
    expect(payloadKeysFromEnvironment({})).toBeNull();
    expect(() => payloadKeysFromEnvironment({ PAYLOAD_KEYS: '{' })).toThrow(/PAYLOAD_KEYS is not JSON/);
    const two = JSON.stringify({ a: randomBytes(32).toString('base64'), b: randomBytes(32).toString('base64') });
    // One key writes by itself; of two, the writing one is named (a new key listed last never writes unasked).
    expect(payloadKeysFromEnvironment({ PAYLOAD_KEYS: JSON.stringify({ a: randomBytes(32).toString('base64') }) })!.current).toBe('a');
    expect(() => payloadKeysFromEnvironment({ PAYLOAD_KEYS: two })).toThrow(/lists 2 keys \(a, b\) and PAYLOAD_KEY_ID names none/);
    expect(payloadKeysFromEnvironment({ PAYLOAD_KEYS: two, PAYLOAD_KEY_ID: 'a' })!.current).toBe('a');
    expect(payloadKeysFromEnvironment({ PAYLOAD_KEYS: two, PAYLOAD_KEY_ID: 'b' })!.current).toBe('b');
    expect(() => new EncryptionCodec({ current: 'a', keys: { a: randomBytes(16) } })).toThrow(/must be 32 bytes/);
    expect(() => new EncryptionCodec({ current: 'z', keys: { a: randomBytes(32) } })).toThrow(/PAYLOAD_KEY_ID z/);
  });
});
