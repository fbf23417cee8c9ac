/**
 * Validation of a channel's operation element against its schema (schema/sync-channel-v10.xsd,
 * schema/async-channel-v10.xsd, by the element's namespace), by libxml2's validator (xmllint, compiled to
 * WebAssembly: no native build, no tool to install).
 */
import fs from 'node:fs';
import path from 'node:path';
import { XMLSerializer, type Element } from '@xmldom/xmldom';
import { validateXML } from 'xmllint-wasm';

/** Each channel's schema, by its namespace. */
const SCHEMA_FILES: Record<string, string> = {
  'http://bip.bee.kz/SyncChannel/v10/Types': 'sync-channel-v10.xsd',
  'http://bip.bee.kz/AsyncChannel/v10/Types': 'async-channel-v10.xsd',
};
const schemas = new Map<string, string>();

/** The schema's complaints about the element (line and message), none when it is valid. */
export async function schemaErrors(operation: Element): Promise<string[]> {
  const fileName = SCHEMA_FILES[operation.namespaceURI ?? ''];
  if (!fileName) return [`no channel's schema has the namespace ${operation.namespaceURI ?? '(none)'}`];
  if (!schemas.has(fileName)) schemas.set(fileName, fs.readFileSync(path.join(__dirname, 'schema', fileName), 'utf8'));
  const result = await validateXML({
    xml: { fileName: 'message.xml', contents: new XMLSerializer().serializeToString(operation) },
    schema: { fileName, contents: schemas.get(fileName)! },
  });
  return result.valid ? [] : result.errors.map((e) => e.message.trim());
}
