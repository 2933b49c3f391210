import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

// The custom trusted root, next to the bundles, in the two shapes the printed
// verify commands read: cosign takes the JSON document, gh a JSONL file with
// one root per line.
export interface TrustFiles {
  json: string;
  jsonl: string;
}

export async function writeTrustFiles(dir: string, trustedRoot: string): Promise<TrustFiles> {
  const text = await readFile(trustedRoot, 'utf8');
  const files = { json: join(dir, 'trusted_root.json'), jsonl: join(dir, 'trusted_root.jsonl') };
  await writeFile(files.json, text.endsWith('\n') ? text : `${text}\n`);
  await writeFile(files.jsonl, JSON.stringify(JSON.parse(text)) + '\n');
  return files;
}
