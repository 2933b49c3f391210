import { createHash, createPublicKey, verify as cryptoVerify, X509Certificate } from 'node:crypto';
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { bundleFromJSON } from '@sigstore/bundle';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { toSignedEntity, toTrustMaterial, Verifier } from '@sigstore/verify';
import { ROOT } from './run-action.js';

// Independent checks of what the action wrote, using none of its code:
// plain registry reads, node:crypto, @sigstore/verify and the sigstore CLI.

const OCI_ACCEPT = [
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

export interface Layer {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
  artifactType?: string;
}
export interface RawManifest {
  mediaType?: string;
  artifactType?: string;
  config?: Layer;
  layers?: Layer[];
  manifests?: Layer[];
  subject?: Layer;
  annotations?: Record<string, string>;
}

// `name` is host:port/repo on a plain-HTTP loopback registry.
export async function getManifest(name: string, ref: string): Promise<RawManifest | undefined> {
  const [host, ...repo] = name.split('/');
  const res = await fetch(`http://${host}/v2/${repo.join('/')}/manifests/${ref}`, { headers: { accept: OCI_ACCEPT } });
  if (res.status === 404) return undefined;
  if (!res.ok) throw new Error(`GET manifest ${name}:${ref}: ${res.status}`);
  return (await res.json()) as RawManifest;
}

export async function getBlob(name: string, digest: string): Promise<Buffer> {
  const [host, ...repo] = name.split('/');
  const res = await fetch(`http://${host}/v2/${repo.join('/')}/blobs/${digest}`);
  if (!res.ok) throw new Error(`GET blob ${digest}: ${res.status}`);
  const bytes = Buffer.from(await res.arrayBuffer());
  if (sha256(bytes) !== digest.replace('sha256:', '')) throw new Error('blob digest mismatch');
  return bytes;
}

export const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

export function tagFor(digest: string, suffix = ''): string {
  return digest.replace(':', '-') + suffix;
}

// The referrers of an image through the tag-schema fallback, with their bundles.
export async function fallbackReferrers(name: string, digest: string): Promise<{ manifest: RawManifest; digest: string; bundle: unknown }[]> {
  const index = await getManifest(name, tagFor(digest));
  const out = [];
  for (const d of index?.manifests ?? []) {
    const manifest = (await getManifest(name, d.digest)) as RawManifest;
    const layer = manifest.layers?.[0] as Layer;
    out.push({ manifest, digest: d.digest, bundle: JSON.parse((await getBlob(name, layer.digest)).toString('utf8')) as unknown });
  }
  return out;
}

export interface Trust {
  root: unknown;
  logKey: ReturnType<typeof createPublicKey>;
}

export function loadTrust(path: string): Trust {
  const root = JSON.parse(readFileSync(path, 'utf8')) as { tlogs: { publicKey: { rawBytes: string } }[] };
  const der = Buffer.from(root.tlogs[0]?.publicKey.rawBytes ?? '', 'base64');
  return { root, logKey: createPublicKey({ key: der, format: 'der', type: 'spki' }) };
}

export function sigstoreVerify(trust: Trust, bundle: unknown, san: string, issuer: string, artifact?: Buffer): void {
  const verifier = new Verifier(toTrustMaterial(TrustedRoot.fromJSON(trust.root)), { tlogThreshold: 1, ctlogThreshold: 1 });
  verifier.verify(toSignedEntity(bundleFromJSON(bundle), artifact), { subjectAlternativeName: san, extensions: { issuer } });
}

// The SET is the log's ECDSA signature over the canonical JSON of these four
// fields, in this (sorted) key order.
export function verifySET(trust: Trust, p: { body: string; integratedTime: number; logID: string; logIndex: number }, set: string): boolean {
  const canonical = JSON.stringify({ body: p.body, integratedTime: p.integratedTime, logID: p.logID, logIndex: p.logIndex });
  return cryptoVerify('sha256', Buffer.from(canonical), trust.logKey, Buffer.from(set, 'base64'));
}

export function verifyWithCert(certPEM: string, data: Buffer, sigB64: string): boolean {
  return cryptoVerify('sha256', data, new X509Certificate(certPEM).publicKey, Buffer.from(sigB64, 'base64'));
}

export async function rekorEntry(rekorURL: string, logIndex: number): Promise<{ uuid: string; body: Record<string, any>; raw: Record<string, any> }> {
  const res = await fetch(`${rekorURL}/api/v1/log/entries?logIndex=${logIndex}`);
  if (!res.ok) throw new Error(`rekor GET ${logIndex}: ${res.status}`);
  const [uuid, raw] = Object.entries((await res.json()) as Record<string, Record<string, any>>)[0] as [string, Record<string, any>];
  return { uuid, raw, body: JSON.parse(Buffer.from(raw['body'] as string, 'base64').toString('utf8')) as Record<string, any> };
}

// The sigstore CLI (a separate implementation path: TUF mirror, high-level verify).
export async function sigstoreCLI(
  stack: { tufMirrorURL: string; tufRootPath: string; issuer: string },
  bundlePath: string,
  san: string,
  cache: string,
  blob?: string,
): Promise<{ code: number; out: string }> {
  const args = [
    'verify',
    bundlePath,
    ...(blob ? ['--blob-file', blob] : []),
    '--tuf-mirror-url',
    stack.tufMirrorURL,
    '--tuf-root-path',
    stack.tufRootPath,
    '--tuf-cache-path',
    cache,
    '--certificate-issuer',
    stack.issuer,
    '--certificate-identity-uri',
    san,
  ];
  try {
    const r = await promisify(execFile)(`${ROOT}/node_modules/.bin/sigstore`, args);
    return { code: 0, out: r.stdout + r.stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? 1, out: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

// Every file a repository holds in the registry's storage (distribution's
// filesystem driver under the stack's state dir), by content: two snapshots
// compare equal only when the run wrote nothing there, not even an upload.
export function registrySnapshot(stateDir: string, repo: string): Record<string, string> {
  const root = join(stateDir, 'registry', 'storage', 'docker', 'registry', 'v2', 'repositories', repo);
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    if (!existsSync(d)) return;
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(root, p)] = createHash('sha256').update(readFileSync(p)).digest('hex');
    }
  };
  walk(root);
  return out;
}

// The Rekor log's size: unchanged when nothing was logged.
export async function rekorTreeSize(rekorURL: string): Promise<number> {
  return ((await (await fetch(`${rekorURL}/api/v1/log`)).json()) as { treeSize: number }).treeSize;
}
