/** The local notifier/monitoring receiver process (RECEIVER_PORT, default 3001). */
import { createStore } from '../infra/store';
import { requiredEnv, runMain, serveUntilSignalled } from '../infra/process';
import { buildReceiver } from './receiver';

runMain(async () => {
  const store = createStore(requiredEnv('DATABASE_URL'));
  const port = Number(process.env.RECEIVER_PORT ?? 3001);
  const secrets = { notifier: process.env.NOTIFIER_WEBHOOK_SECRET, monitoring: process.env.MONITORING_WEBHOOK_SECRET };
  await serveUntilSignalled(buildReceiver(store, { secrets }), port, '127.0.0.1', () => store.$disconnect());
  console.log(`local notifier and monitoring receiver on http://localhost:${port} (GET /received)`);
});
