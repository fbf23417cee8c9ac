/**
 * The dev server of `npm start` keeps its data directory across releases: an attribute a later release adds
 * (`Standard`) must be registered on the old data, or every workflow start that sets it is refused.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { SEARCH_ATTRIBUTES, StandardKey } from '../domain/search-attributes';
import { startDevServer } from '../devtools/temporal-server';
import { freePort } from './helpers/ports';

test('a data directory from before an attribute existed gets it on the next start', async () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'attestation-dev-server-'));
  const port = await freePort();
  let running: Awaited<ReturnType<typeof startDevServer>> | undefined;
  const start = async (searchAttributes?: typeof SEARCH_ATTRIBUTES) => {
    running = await startDevServer({
      dataDir,
      port,

      logFile: path.join(dataDir, 'temporal.log'),
      ...(searchAttributes && { searchAttributes }),
    });
    return running;
  };
  const registered = async () => {
    const connection = await Connection.connect({ address: `127.0.0.1:${port}` });
    const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace: 'default' });
    await connection.close();
    return Object.keys(customAttributes ?? {});
  };
  try {
    const older = await start(SEARCH_ATTRIBUTES.filter((k) => k !== StandardKey));
    expect(await registered()).not.toContain('Standard');
    await older.stop();

    const current = await start();
    expect(await registered()).toEqual(expect.arrayContaining(SEARCH_ATTRIBUTES.map((k) => k.name)));
    await current.stop();
  } finally {
    await running?.stop(); // a failed expectation must not leave a server behind (jest would wait for it)
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}, 120_000);
