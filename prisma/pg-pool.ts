import pg from 'pg';

// Prisma's WASM schema engine cannot decode PostgreSQL's catalog types `name` (oid 19) and `"char"` (oid 18)
// (prisma/orm issue 27403), which `migrate deploy` reads. Reporting those columns as `text` (oid 25) to the
// driver adapter is exact: both are plain strings on the wire.
const CATALOG_TEXT_OIDS = new Set([18, 19]);
const TEXT_OID = 25;

function asText<T>(result: T): T {
  const fields = (result as { fields?: { dataTypeID: number }[] } | undefined)?.fields;
  for (const field of fields ?? []) {
    if (CATALOG_TEXT_OIDS.has(field.dataTypeID)) field.dataTypeID = TEXT_OID;
  }
  return result;
}

function reportCatalogTypesAsText(client: pg.PoolClient): pg.PoolClient {
  const marked = client as pg.PoolClient & { catalogTypesAsText?: true };
  if (marked.catalogTypesAsText) return client;
  const query = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>;
  (client as unknown as { query: unknown }).query = async (...args: unknown[]) => asText(await query(...args));
  marked.catalogTypesAsText = true;
  return client;
}

/** A `pg.Pool` whose results report catalog `name`/`"char"` columns as `text`, for Prisma's WASM schema engine. */
export class CatalogTextPool extends pg.Pool {
  override async query(...args: unknown[]): Promise<never> {
    return asText(await (super.query as (...a: unknown[]) => Promise<never>)(...args));
  }

  // pg-pool calls connect() with a callback itself (from query()); both forms must keep working.
  override connect(): Promise<pg.PoolClient>;
  override connect(callback: (err: Error | undefined, client: pg.PoolClient | undefined, done: (release?: unknown) => void) => void): void;
  override connect(
    callback?: (err: Error | undefined, client: pg.PoolClient | undefined, done: (release?: unknown) => void) => void,
  ): Promise<pg.PoolClient> | void {
    if (callback) {
      super.connect((err, client, done) => callback(err, client && reportCatalogTypesAsText(client), done));
      return;
    }
    return super.connect().then(reportCatalogTypesAsText);
  }
}
