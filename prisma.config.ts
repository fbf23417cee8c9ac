import path from 'node:path';
import { defineConfig } from 'prisma/config';
import { PrismaPg } from '@prisma/adapter-pg';
import { CatalogTextPool } from './prisma/pg-pool';

// Prisma 6.19 without native engines: the JS schema engine over a driver adapter (see ../shared/DESIGN.md).
// `DATABASE_URL` is set by devtools/database.ts (embedded PostgreSQL) or by the operator.
export default defineConfig({
  schema: path.join('prisma', 'schema.prisma'),
  migrations: { path: path.join('prisma', 'migrations') },
  experimental: { adapter: true },
  engine: 'js',
  async adapter() {
    const connectionString = process.env.DATABASE_URL;
    if (!connectionString) throw new Error('DATABASE_URL is not set: start the database with `npm start` or set it');
    return new PrismaPg(new CatalogTextPool({ connectionString }), { disposeExternalPool: true });
  },
});
