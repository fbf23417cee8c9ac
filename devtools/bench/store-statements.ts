/**
 * The store statements the service runs per case (issue 29), counted by PostgreSQL's pg_stat_statements: the
 * worker and the API connect as the database's owner, the bench itself as an observer role of its own, so the
 * bench's polling never counts. Counted over the closed loop only (reset when it starts).
 */
import pg from 'pg';

const OBSERVER = 'bench_observer';

/** The server settings that load the statement counter. */
// 'top': the statements the service sends, not those PostgreSQL runs inside them (foreign-key checks).
export const STATEMENT_COUNTER_SETTINGS = { shared_preload_libraries: 'pg_stat_statements', 'pg_stat_statements.track': 'top' };

/** Creates the extension and the observer role; answers the URL the bench reads the store with. */
export async function prepareStatementCounter(ownerUrl: string): Promise<string> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    await client.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    await client.query(
      `DO $$ BEGIN CREATE ROLE ${OBSERVER} LOGIN SUPERUSER PASSWORD '${OBSERVER}'; EXCEPTION WHEN duplicate_object THEN NULL; END $$`,
    );
  } finally {
    await client.end();
  }
  const url = new URL(ownerUrl);
  url.username = OBSERVER;
  url.password = OBSERVER;
  return url.toString();
}

export interface StatementCount {
  total: number;
  writes: number;
  /** the most called statements, for `--statements` */
  top: Array<{ calls: number; query: string }>;
}

async function withClient<T>(ownerUrl: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

/** Starts counting afresh. */
export function resetStatements(ownerUrl: string): Promise<void> {
  return withClient(ownerUrl, async (client) => void (await client.query('SELECT pg_stat_statements_reset()')));
}

/** The statements the database's owner (the service) ran since the reset, in this database. */
export function countStatements(ownerUrl: string): Promise<StatementCount> {
  return withClient(ownerUrl, async (client) => {
    const { rows } = await client.query<{ calls: string; query: string }>(
      `SELECT s.calls, s.query FROM pg_stat_statements s
         JOIN pg_roles r ON r.oid = s.userid JOIN pg_database d ON d.oid = s.dbid
        WHERE r.rolname = current_user AND d.datname = current_database() AND s.query NOT ILIKE '%pg_stat_statements%'
        ORDER BY s.calls DESC`,
    );
    const calls = rows.map((r) => ({ calls: Number(r.calls), query: r.query.replace(/\s+/g, ' ').slice(0, 160) }));
    const isWrite = (q: string) => /^\s*(INSERT|UPDATE|DELETE)\b/i.test(q);
    return {
      total: calls.reduce((a, r) => a + r.calls, 0),
      writes: calls.filter((r) => isWrite(r.query)).reduce((a, r) => a + r.calls, 0),
      top: calls.slice(0, 15),
    };
  });
}
