/**
 * What a state-records look-up costs over the e-government gateway's own protocol (issue 33), against the database
 * stand-in as the baseline, in the same process and session: the SmartBridge adapter signs three SendMessages
 * (WS-Security), the local stand-in validates each against the channel's schema, verifies it and signs its answer,
 * and the adapter verifies the answer. Prints the time per look-up (median, 95th percentile) and the CPU this
 * process spent per look-up, with the ratio to the baseline. The stand-in runs as a process of its own (as
 * `npm start` runs it), so the CPU is the service's alone; its wall time includes the stand-in's work, whose schema
 * validation (libxml2 in WebAssembly, set up for each message) is most of it: a real gateway's time is its own.
 *
 *   npm run bench:gateway [-- --lookups 300]
 */
import path from 'node:path';
import { Command } from 'commander';
import { positive } from './cli-options';
import { startScratchDatabase } from './database';
import { sampleIin } from './samples';
import { spawn } from 'node:child_process';
import { developmentSmartBridge } from './smartbridge-stand-in';
import { stopProcess, waitForPort } from './temporal-server';
import { PROJECT_ROOT } from '../infra/paths';
import { freePort } from './ports';
import { DatabaseGateway, type StateRecordsGateway } from '../infra/gateway';
import { readSmartBridgeFile, SmartBridgeGateway } from '../infra/smartbridge/gateway';

const options = new Command()
  .option('--lookups <n>', 'look-ups measured per gateway (after 30 to warm up)', positive, 300)
  .parse()
  .opts<{ lookups: number }>();

interface Figures {
  gateway: string;
  medianMs: number;
  p95Ms: number;
  cpuMs: number;
}

async function measure(name: string, gateway: StateRecordsGateway, count: number): Promise<Figures> {
  for (let i = 0; i < 30; i++) await gateway.lookUp(sampleIin(90_000 + i), { correlationId: `bench-warm-${i}` });
  const times: number[] = [];
  const cpu = process.cpuUsage();
  for (let i = 0; i < count; i++) {
    const started = process.hrtime.bigint();
    await gateway.lookUp(sampleIin(100_000 + i), { correlationId: `bench-${i}` });
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  const used = process.cpuUsage(cpu);
  times.sort((a, b) => a - b);
  return {
    gateway: name,
    medianMs: times[Math.floor(times.length / 2)],
    p95Ms: times[Math.floor(times.length * 0.95)],
    cpuMs: (used.user + used.system) / 1000 / count,
  };
}

async function main(): Promise<void> {
  const database = await startScratchDatabase('attestation-bench-gateway-');
  const port = await freePort();
  const password = 'bench';
  const development = developmentSmartBridge(database.dataDir, port, password);
  const standIn = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'devtools', 'smartbridge-main.ts')], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, DATA_DIR: database.dataDir, SMARTBRIDGE_PORT: String(port), SMARTBRIDGE_PASSWORD: password },
    stdio: 'ignore',
  });
  await waitForPort(port, 30_000);
  try {
    const baseline = await measure('database stand-in (baseline)', new DatabaseGateway(database.store), options.lookups);
    const settings = readSmartBridgeFile(development.file, { SMARTBRIDGE_PASSWORD: password });
    const soap = await measure('SmartBridge over SOAP + WS-Security', new SmartBridgeGateway(settings), options.lookups);
    console.log(`${options.lookups} look-ups each (3 registers per SmartBridge look-up, asked side by side)`);
    console.log('gateway                                  median ms   p95 ms   CPU ms/look-up   CPU ratio');
    for (const f of [baseline, soap]) {
      console.log(
        `${f.gateway.padEnd(40)} ${f.medianMs.toFixed(2).padStart(9)} ${f.p95Ms.toFixed(2).padStart(8)} ${f.cpuMs.toFixed(2).padStart(16)} ${(f.cpuMs / baseline.cpuMs).toFixed(1).padStart(10)}×`,
      );
    }
  } finally {
    await stopProcess(standIn);
    await database.stop();
  }
}

void main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
