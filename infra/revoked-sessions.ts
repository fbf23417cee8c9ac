/**
 * The browser sessions ended before their time (issue 32): a sign-out writes its session here, and every API
 * process refuses it from then on. Rows past their session's expiry are of no use and are removed as new ones come.
 */
import type { Store } from './store';

export async function revokeSession(
  store: Pick<Store, 'revokedSession'>,
  revocation: { id: string; expiresAt: Date },
  now = new Date(),
): Promise<void> {
  await store.revokedSession.upsert({ where: { id: revocation.id }, create: revocation, update: {} });
  await store.revokedSession.deleteMany({ where: { expiresAt: { lt: now } } });
}

export async function isSessionRevoked(store: Pick<Store, 'revokedSession'>, id: string): Promise<boolean> {
  return (await store.revokedSession.count({ where: { id } })) > 0;
}
