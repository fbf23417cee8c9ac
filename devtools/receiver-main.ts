/** The local notifier/monitoring receiver process (RECEIVER_PORT, default 3001). */
import { createStore } from '../infra/store';
import { requiredEnv, runMain, serveUntilSignalled } from '../infra/process';
import { webhookSecretsFromEnvironment, type WebhookSecrets } from '../infra/webhook-signature';
import { buildReceiver } from './receiver';

runMain(async () => {
  const store = createStore(requiredEnv('DATABASE_URL'));
  const port = Number(process.env.RECEIVER_PORT ?? 3001);
  // The service's secrets, as a receiver holds them: both while a switch lasts.
  const held = (secrets?: WebhookSecrets) => secrets && [secrets.current, ...(secrets.previous ? [secrets.previous] : [])];
  const configured = webhookSecretsFromEnvironment(process.env);
  const secrets = { notifier: held(configured.notifier), monitoring: held(configured.monitoring) };
  await serveUntilSignalled(buildReceiver(store, { secrets }), port, '127.0.0.1', () => store.$disconnect());
  console.log(`local notifier and monitoring receiver on http://localhost:${port} (GET /received)`);
});
