/** The local notifier/monitoring receiver process (RECEIVER_PORT, default 3001). */
import { createStore } from '../activities/store';
import { buildReceiver } from './receiver';

async function main(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error('DATABASE_URL is not set');
  const store = createStore(databaseUrl);
  const app = buildReceiver(store);
  const port = Number(process.env.RECEIVER_PORT ?? 3001);
  await app.listen({ port, host: '127.0.0.1' });
  console.log(`local notifier and monitoring receiver on http://localhost:${port} (GET /received)`);
  const shutdown = async () => {
    await app.close();
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
