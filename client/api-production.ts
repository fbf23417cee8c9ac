/** What the API cannot run on in production (infra/production.ts): the development fallbacks of `npm start`. */
import { longSecret, PAYLOAD_ENCRYPTED, TEMPORAL_OVER_TLS, type ProductionRequirement } from '../infra/production';
import { signingKeysReadable } from '../infra/signers';

export const API_REQUIREMENTS: readonly ProductionRequirement[] = [
  PAYLOAD_ENCRYPTED,
  TEMPORAL_OVER_TLS,
  {
    // issue 32: the internet-facing API publishes the trust anchors and reads certificates; it signs nothing
    missing: (env) => signingKeysReadable(env).length > 0,
    why: 'the API can read signing keys listed in SIGNERS_FILE: mount only signers.json, the trust anchors and the certificates into the API, the keys into the worker alone',
  },
  longSecret('IDENTITY_SECRET', (env) => env.IDENTITY_SECRET, 'it keys the hashes that make application and cabinet ids'),
  longSecret(
    'CODEC_SESSION_SECRET',
    (env) => env.CODEC_SESSION_SECRET,
    "it signs the codec server's browser sessions, apart from the identity secret",
  ),
  {
    // issue 32: one secret's leak must not give the other
    missing: (env) => Boolean(env.IDENTITY_SECRET) && env.IDENTITY_SECRET === env.CODEC_SESSION_SECRET,
    why: 'IDENTITY_SECRET and CODEC_SESSION_SECRET are the same: give each a secret of its own',
  },
  {
    missing: (env) => !env.CAMPAIGN_WINDOWS,
    why: 'CAMPAIGN_WINDOWS is not set: applications are taken only within the periods the authorised body set (R10)',
  },
  {
    missing: (env) => !env.SIGNERS_FILE,
    why: "SIGNERS_FILE is not set: the API publishes the trust anchors of the documents' signatures from it (R5)",
  },
  {
    // issue 31: the shipped registry holds fictitious development persons
    missing: (env) => !env.AUTHORISED_PERSONS_FILE,
    why: "AUTHORISED_PERSONS_FILE is not set: decisions would be accepted from the shipped registry's fictitious development persons (issue 31)",
  },
  {
    missing: (env) => Boolean(env.NCANODE_VERIFY_URL) && !/^https:\/\//i.test(env.NCANODE_VERIFY_URL!),
    why: "NCANODE_VERIFY_URL is not https://: the officials' signatures and documents would travel in clear (issue 31)",
  },
  { missing: (env) => !env.API_KEYS && !env.API_KEYS_FILE, why: 'API_KEYS or API_KEYS_FILE is not set: no one could call the API' },
];
