import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { ROOT } from './run-action.js';

// Validates documents against the official SPDX 2.3 JSON schema (spdx-spec
// v2.3.1), fetched once by scripts/spdx-schema.sh and checked by sha256.
// Returns the schema errors as short lines; none means valid.
let validator: ((doc: unknown) => string[]) | undefined;

export function spdxSchemaErrors(doc: unknown): string[] {
  if (!validator) {
    const path = execFileSync('bash', [join(ROOT, 'scripts/spdx-schema.sh')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim();
    const schema = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    if (schema['$id'] !== 'http://spdx.org/rdf/terms/2.3') throw new Error(`${path} is not the SPDX 2.3 schema`);
    const ajv = new Ajv2019({ allErrors: true, strict: false });
    const validate = ajv.compile(schema);
    validator = (d) => (validate(d) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`));
  }
  return validator(doc);
}
