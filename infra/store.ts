/** The Prisma client over PostgreSQL through the driver adapter (no native query engine; see DESIGN.md). */
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../prisma/generated/client';

export type Store = PrismaClient;

/** A Prisma client for a database URL; the caller `$disconnect()`s it when done. */
export function createStore(databaseUrl: string): Store {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl }) });
}

/** `Prisma.DbNull` clears a JSON column. */
export { Prisma } from '../prisma/generated/client';
