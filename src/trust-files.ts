import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

// The custom trusted root, next to the bundles, in the shapes the printed
// verify commands read: cosign takes the JSON document, gh a JSONL file with
// one root per line, and cosign 2 reading .sig/.att tags only PEM files named
// by environment variables (its --trusted-root works for bundles only).
export interface TrustFiles {
  json: string;
  jsonl: string;
  legacy?: LegacyTrustFiles;
}

export interface LegacyTrustFiles {
  roots: string; // SIGSTORE_ROOT_FILE: every CA certificate
  rekorKey: string; // SIGSTORE_REKOR_PUBLIC_KEY: the log the run wrote to
  ctlogKey?: string; // SIGSTORE_CT_LOG_PUBLIC_KEY_FILE
}

interface KeyEntry {
  baseUrl?: string;
  publicKey?: { rawBytes?: string; validFor?: { end?: string } };
}
interface RootJSON {
  tlogs?: KeyEntry[];
  ctlogs?: KeyEntry[];
  certificateAuthorities?: { certChain?: { certificates?: { rawBytes?: string }[] } }[];
}

export async function writeTrustFiles(dir: string, trustedRoot: string, opts: { legacy: boolean; rekorURL: string }): Promise<TrustFiles> {
  const text = await readFile(trustedRoot, 'utf8');
  const root = JSON.parse(text) as RootJSON;
  const files: TrustFiles = { json: join(dir, 'trusted_root.json'), jsonl: join(dir, 'trusted_root.jsonl') };
  await writeFile(files.json, text.endsWith('\n') ? text : `${text}\n`);
  await writeFile(files.jsonl, JSON.stringify(root) + '\n');
  if (opts.legacy) files.legacy = await writeLegacy(dir, root, opts.rekorURL);
  return files;
}

async function writeLegacy(dir: string, root: RootJSON, rekorURL: string): Promise<LegacyTrustFiles | undefined> {
  const certs = (root.certificateAuthorities ?? []).flatMap((ca) => ca.certChain?.certificates ?? []).map((c) => c.rawBytes ?? '');
  // cosign takes one key per variable: the open shard of the log this run
  // wrote to, and the CT log that is still open.
  const tlog = current((root.tlogs ?? []).filter((t) => sameURL(t.baseUrl, rekorURL))) ?? current(root.tlogs);
  const ctlog = current(root.ctlogs);
  if (!tlog?.publicKey?.rawBytes || certs.length === 0) return undefined;
  const out: LegacyTrustFiles = { roots: join(dir, 'fulcio_roots.pem'), rekorKey: join(dir, 'rekor.pub') };
  await writeFile(out.roots, certs.map((c) => pem('CERTIFICATE', c)).join(''));
  await writeFile(out.rekorKey, pem('PUBLIC KEY', tlog.publicKey.rawBytes));
  if (ctlog?.publicKey?.rawBytes) {
    out.ctlogKey = join(dir, 'ctlog.pub');
    await writeFile(out.ctlogKey, pem('PUBLIC KEY', ctlog.publicKey.rawBytes));
  }
  return out;
}

const current = (entries: KeyEntry[] | undefined) =>
  [...(entries ?? [])].reverse().find((e) => !e.publicKey?.validFor?.end || Date.parse(e.publicKey.validFor.end) > Date.now());

const sameURL = (a: string | undefined, b: string) => a !== undefined && a.replace(/\/+$/, '') === b.replace(/\/+$/, '');

function pem(label: string, b64: string): string {
  return `-----BEGIN ${label}-----\n${(b64.match(/.{1,64}/g) ?? []).join('\n')}\n-----END ${label}-----\n`;
}
