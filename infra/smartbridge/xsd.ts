/**
 * Validation of a SyncChannel v10 operation element against the channel's schema (schema/sync-channel-v10.xsd),
 * by libxml2's validator (xmllint, compiled to WebAssembly: no native build, no tool to install).
 */
import fs from 'node:fs';
import path from 'node:path';
import { XMLSerializer, type Element } from '@xmldom/xmldom';
import { validateXML } from 'xmllint-wasm';

const SCHEMA_FILE = path.join(__dirname, 'schema', 'sync-channel-v10.xsd');
let schema: string | null = null;

/** The schema's complaints about the element (line and message), none when it is valid. */
export async function schemaErrors(operation: Element): Promise<string[]> {
  schema ??= fs.readFileSync(SCHEMA_FILE, 'utf8');
  const result = await validateXML({
    xml: { fileName: 'message.xml', contents: new XMLSerializer().serializeToString(operation) },
    schema: { fileName: 'sync-channel-v10.xsd', contents: schema },
  });
  return result.valid ? [] : result.errors.map((e) => e.message.trim());
}
