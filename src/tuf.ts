import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initTUF, type TUF } from '@sigstore/tuf';

// Targets of a Sigstore TUF repository (trusted_root.json,
// signing_config.v0.2.json): one client per repository and run, so the
// metadata is refreshed once however many targets are read.

export interface TufSource {
  mirrorURL: string;
  rootPath?: string; // initial root.json; the public-good one is built into @sigstore/tuf
}

export const PUBLIC_GOOD_TUF: TufSource = { mirrorURL: 'https://tuf-repo-cdn.sigstore.dev' };
export const isPublicGood = (source: TufSource) => source.mirrorURL === PUBLIC_GOOD_TUF.mirrorURL && !source.rootPath;

const TUF_TIMEOUT_MS = 5_000;
const clients = new Map<string, Promise<TUF>>();

export async function tufTarget(source: TufSource, name: string): Promise<string> {
  let client = clients.get(source.mirrorURL);
  if (!client) {
    const cachePath = join(process.env['RUNNER_TEMP'] ?? tmpdir(), 'sign-attest-tuf');
    client = initTUF({ mirrorURL: source.mirrorURL, rootPath: source.rootPath, cachePath, retry: 1, timeout: TUF_TIMEOUT_MS });
    clients.set(source.mirrorURL, client);
  }
  return (await client).getTarget(name);
}
