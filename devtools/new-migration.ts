/**
 * `npm run migration -- <name>`: writes the SQL that takes the database from the committed schema (git HEAD) to
 * the working-tree schema as a new migration. `prisma migrate dev` needs a shadow database, which the driver
 * adapter cannot give (DESIGN.md), so the diff runs against a throw-away embedded PostgreSQL instead.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from './database';
import { PROJECT_ROOT } from '../infra/paths';

async function main(): Promise<void> {
  const name = process.argv[2];
  if (!name || !/^[a-z0-9_]+$/.test(name)) throw new Error('usage: npm run migration -- <name_in_snake_case>');
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'migration-'));
  fs.chmodSync(scratch, 0o755);
  const previous = path.join(scratch, 'previous.prisma');
  fs.writeFileSync(previous, execFileSync('git', ['show', 'HEAD:prisma/schema.prisma'], { cwd: PROJECT_ROOT }));
  const db = await startEmbeddedPostgres(scratch, 54000 + Math.floor(Math.random() * 1000));
  try {
    const sql = execFileSync(
      path.join(PROJECT_ROOT, 'node_modules', '.bin', 'prisma'),
      ['migrate', 'diff', '--from-schema-datamodel', previous, '--to-schema-datamodel', 'prisma/schema.prisma', '--script'],
      { cwd: PROJECT_ROOT, env: { ...process.env, DATABASE_URL: db.url }, encoding: 'utf8' },
    );
    const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
    const dir = path.join(PROJECT_ROOT, 'prisma', 'migrations', `${stamp}_${name}`);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'migration.sql'), sql);
    console.log(`wrote ${path.relative(PROJECT_ROOT, dir)}/migration.sql`);
  } finally {
    await db.stop();
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
