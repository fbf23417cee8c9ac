/** The worker process. SIGINT/SIGTERM drain it gracefully (the SDK's default shutdown signals). */
import { NativeConnection } from '@temporalio/worker';
import { createStore } from '../activities/store';
import { createWorker } from './worker';

async function main(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error('DATABASE_URL is not set (npm start sets it for the embedded database)');
  const address = process.env.TEMPORAL_ADDRESS ?? 'localhost:7233';
  const store = createStore(databaseUrl);
  const connection = await NativeConnection.connect({ address });
  try {
    const worker = await createWorker({ connection, store, namespace: process.env.TEMPORAL_NAMESPACE });
    console.log(`worker polling ${worker.options.taskQueue} on ${address}`);
    await worker.run();
  } finally {
    await connection.close();
    await store.$disconnect();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
