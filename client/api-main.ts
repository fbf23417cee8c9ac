/** The API process: HTTP on PORT (3000), talking to Temporal at TEMPORAL_ADDRESS and the case store. */
import { Client, Connection } from '@temporalio/client';
import path from 'node:path';
import { publishedCertificate } from '../activities/signer';
import { createStore } from '../activities/store';
import { DATA_DIR } from '../scripts/paths';
import { TASK_QUEUE } from '../worker/task-queue';
import { campaignWindowsFrom } from '../domain/campaign';
import { buildApi } from './api';

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (npm start sets it on the embedded defaults)`);
  return value;
}

async function main(): Promise<void> {
  const store = createStore(required('DATABASE_URL'));
  const connection = await Connection.connect({ address: process.env.TEMPORAL_ADDRESS ?? 'localhost:7233' });
  const client = new Client({ connection, namespace: process.env.TEMPORAL_NAMESPACE ?? 'default' });
  const app = buildApi({
    client,
    store,
    taskQueue: TASK_QUEUE,
    identitySecret: required('IDENTITY_SECRET'),
    campaignWindows: campaignWindowsFrom(process.env.CAMPAIGN_WINDOWS),
    certificatePem: () => publishedCertificate(path.join(DATA_DIR, 'signing')),
    logger: { level: process.env.LOG_LEVEL ?? 'info' },
  });
  const port = Number(process.env.PORT ?? 3000);
  await app.listen({ port, host: process.env.HOST ?? '127.0.0.1' });
  console.log(`API listening on http://localhost:${port}`);
  const shutdown = async () => {
    await app.close();
    await connection.close();
    await store.$disconnect();
    process.exit(0);
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
