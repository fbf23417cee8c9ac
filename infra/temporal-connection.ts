/**
 * How the worker and the API reach Temporal's frontend: `TEMPORAL_ADDRESS`, and TLS when the frontend asks for it
 * (production: the frontend is on the internal network only and speaks TLS, or mTLS so that only the service's
 * own processes may call it). `TEMPORAL_TLS_CA` (the CA certificate that verifies the server, PEM),
 * `TEMPORAL_TLS_CERT` and `TEMPORAL_TLS_KEY` (this process's client certificate and key, for mTLS, both or
 * neither), `TEMPORAL_TLS_SERVER_NAME` (the name the server's certificate carries, when not the address's host);
 * `TEMPORAL_TLS=true` turns TLS on with the system's CAs.
 */
import fs from 'node:fs';

export interface TemporalConnectionSettings {
  address: string;
  tls?: {
    serverNameOverride?: string;
    serverRootCACertificate?: Buffer;
    clientCertPair?: { crt: Buffer; key: Buffer };
  };
}

/** The frontend's address and TLS settings from the environment, each file read and named when it cannot be. */
export function temporalConnectionFromEnvironment(env: NodeJS.ProcessEnv = process.env): TemporalConnectionSettings {
  const address = env.TEMPORAL_ADDRESS ?? 'localhost:7233';
  const read = (name: string) => {
    const file = env[name]!;
    try {
      return fs.readFileSync(file);
    } catch (error) {
      throw new Error(`${name}: ${file} could not be read (${(error as Error).message})`, { cause: error });
    }
  };
  const wanted =
    env.TEMPORAL_TLS === 'true' || Boolean(env.TEMPORAL_TLS_CA || env.TEMPORAL_TLS_CERT || env.TEMPORAL_TLS_KEY || env.TEMPORAL_TLS_SERVER_NAME);
  if (!wanted) return { address };
  if (Boolean(env.TEMPORAL_TLS_CERT) !== Boolean(env.TEMPORAL_TLS_KEY)) {
    throw new Error('set both TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY (mTLS), or neither');
  }
  return {
    address,
    tls: {
      ...(env.TEMPORAL_TLS_SERVER_NAME && { serverNameOverride: env.TEMPORAL_TLS_SERVER_NAME }),
      ...(env.TEMPORAL_TLS_CA && { serverRootCACertificate: read('TEMPORAL_TLS_CA') }),
      ...(env.TEMPORAL_TLS_CERT && { clientCertPair: { crt: read('TEMPORAL_TLS_CERT'), key: read('TEMPORAL_TLS_KEY') } }),
    },
  };
}
