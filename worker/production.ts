/** What the worker cannot run on in production (infra/production.ts): the development fallbacks of `npm start`. */
import { PAYLOAD_ENCRYPTED, TEMPORAL_OVER_TLS, httpsOnly, longSecret, type ProductionRequirement } from '../infra/production';
import { signingServicesOverHttp } from '../infra/signers';
import { DEVELOPMENT_SENDER, smartBridgeFileOf } from '../infra/smartbridge/gateway';

export const WORKER_REQUIREMENTS: readonly ProductionRequirement[] = [
  PAYLOAD_ENCRYPTED,
  TEMPORAL_OVER_TLS,
  {
    missing: (env) => /^http:/i.test(smartBridgeFileOf(env)?.endpoint ?? ''),
    why: "the e-government gateway's endpoint in SMARTBRIDGE_FILE is not https://: the IINs looked up and the sender's password would cross the network in the clear",
  },
  {
    missing: (env) => /^http:/i.test(smartBridgeFileOf(env)?.stageReports?.endpoint ?? ''),
    why: "the gateway's asynchronous endpoint in SMARTBRIDGE_FILE (stageReports.endpoint) is not https://: the stage reports and the sender's password would cross the network in the clear",
  },
  {
    missing: (env) => smartBridgeFileOf(env)?.senderId === DEVELOPMENT_SENDER,
    why: 'SMARTBRIDGE_FILE names the development stand-in (its sender): the state records would be fixtures, not the registers (R8)',
  },
  {
    missing: (env) => /^http:/i.test((smartBridgeFileOf(env)?.signing as { ncanode?: { url: string } } | undefined)?.ncanode?.url ?? ''),
    why: "the signing service in SMARTBRIDGE_FILE (signing.ncanode.url) is not https://: the information system's key container and its password would cross the network in the clear",
  },
  httpsOnly('NOTIFIER_URL', 'the notices'),
  httpsOnly('MONITORING_URL', 'the stage reports'),
  {
    missing: (env) => signingServicesOverHttp(env).length > 0,
    why: 'a signing service (ncanode.url in SIGNERS_FILE) is not https://: the key containers and their passwords would cross the network in the clear',
  },
  {
    missing: (env) => !env.SIGNERS_FILE,
    why: "SIGNERS_FILE is not set: documents would be signed with development keys, not the units' authorised persons' (R5)",
  },
  {
    missing: (env) => !env.SMARTBRIDGE_FILE,
    why: 'SMARTBRIDGE_FILE is not set: the database stand-in would answer that every state record exists (R8)',
  },
  longSecret('NOTIFIER_WEBHOOK_SECRET', (env) => env.NOTIFIER_WEBHOOK_SECRET, 'the notifier could not tell a real notice from a forged one'),
  longSecret('MONITORING_WEBHOOK_SECRET', (env) => env.MONITORING_WEBHOOK_SECRET, 'monitoring could not tell a real stage report from a forged one'),
];
