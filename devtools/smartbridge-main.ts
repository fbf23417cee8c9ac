/**
 * The SmartBridge stand-in as a process of `npm start` (issue 33): on SMARTBRIDGE_PORT (3002), loopback only, with
 * the development keys under DATA_DIR and the password SMARTBRIDGE_PASSWORD; every request it validated is logged.
 */
import { DATA_DIR } from '../infra/paths';
import { buildSmartBridgeStandIn, developmentSmartBridge, SYNC_PATH } from './smartbridge-stand-in';

async function main(): Promise<void> {
  const port = Number(process.env.SMARTBRIDGE_PORT ?? 3002);
  const { standIn } = developmentSmartBridge(DATA_DIR, port, process.env.SMARTBRIDGE_PASSWORD ?? '');
  const { app } = buildSmartBridgeStandIn({ ...standIn, log: (line) => process.stdout.write(`${line}\n`) });
  await app.listen({ port, host: '127.0.0.1' });
  process.stdout.write(`SyncChannel v10 at http://127.0.0.1:${port}${SYNC_PATH} (WS-Security verified against the development CA)\n`);
  const stop = () => void app.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
