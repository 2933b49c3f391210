import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COSIGN } from '../../src/formats/cosign.js';
import { appendCosignLayers } from '../../src/writes/merge.js';
import { Http } from '../../src/http.js';
import { RegistryClient } from '../../src/oci/client.js';
import { requestCertificate } from '../../src/sigstore/fulcio.js';
import { createEntry } from '../../src/sigstore/rekor.js';
import { getManifest, tagFor } from '../../test/harness/checks.js';
import { stackLib, type PushedImage, type Stack } from '../../test/harness/stack.js';

// Retries must not duplicate anything: a Rekor 409 hands back the entry
// already logged, and writing an identical cosign layer twice keeps one.

let stack: Stack;
let lib: Awaited<ReturnType<typeof stackLib>>;
const http = new Http({ retryBudgetMs: 5000 });

beforeAll(async () => {
  lib = await stackLib();
  stack = await lib.startStack({ stateDir: mkdtempSync(join(tmpdir(), 'idem-')) });
});

afterAll(async () => {
  await stack?.stop();
});

describe('Rekor 409', () => {
  it('returns the existing entry when the same entry is posted twice', async () => {
    const token = await lib.requestToken(stack);
    const sub = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as { sub: string };
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const [leaf] = await requestCertificate(http, stack.fulcioURL, {
      token,
      publicKeyPEM: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      proofOfPossession: sign('sha256', Buffer.from(sub.sub), privateKey),
    });
    const payload = Buffer.from('idempotent payload');
    const { createHash } = await import('node:crypto');
    const entry = {
      apiVersion: '0.0.1' as const,
      kind: 'hashedrekord' as const,
      spec: {
        signature: { content: sign('sha256', payload, privateKey).toString('base64'), publicKey: { content: Buffer.from(leaf ?? '').toString('base64') } },
        data: { hash: { algorithm: 'sha256', value: createHash('sha256').update(payload).digest('hex') } },
      },
    };
    await lib.resetStats(stack);
    const first = await createEntry(http, stack.rekorURL, entry);
    const again = await createEntry(http, stack.rekorURL, entry);
    expect(again.uuid).toBe(first.uuid);
    expect(again.logIndex).toBe(first.logIndex);
    expect(again.verification?.signedEntryTimestamp).toBeDefined();
    const stats = await lib.getStats(stack);
    expect(stats.rekorPost).toBe(2);
    expect(stats.rekorGet).toBe(1); // the Location of the 409
  });
});

describe('cosign tag writes', () => {
  let img: PushedImage;
  beforeAll(async () => {
    img = await lib.pushFixtureImage(stack, 'octo-org/idem');
  });

  it('an identical signature layer is not added twice', async () => {
    const client = new RegistryClient(stack.registry, http, undefined);
    const layer = { mediaType: COSIGN.simpleSigning, bytes: Buffer.from('{"payload":1}'), annotations: { [COSIGN.signature]: 'c2ln' } };
    await appendCosignLayers(client, 'octo-org/idem', img.digest, '.sig', [layer]);
    await appendCosignLayers(client, 'octo-org/idem', img.digest, '.sig', [layer]);
    expect((await getManifest(img.name, tagFor(img.digest, '.sig')))?.layers).toHaveLength(1);
    const other = { ...layer, annotations: { [COSIGN.signature]: 'b3RoZXI=' } };
    await appendCosignLayers(client, 'octo-org/idem', img.digest, '.sig', [other]);
    expect((await getManifest(img.name, tagFor(img.digest, '.sig')))?.layers).toHaveLength(2);
  });
});
