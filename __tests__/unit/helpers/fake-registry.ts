import { Readable } from 'node:stream';
import { ActionError } from '../../../src/errors.js';
import type { Registry } from '../../../src/model.js';
import { MEDIA, sha256Digest, type Descriptor, type FetchedManifest, type Manifest } from '../../../src/oci/client.js';

// An in-memory registry behind the client interface the stages use (the
// seam is the client, not HTTP). Like distribution, it refuses a manifest
// that names a blob or child manifest it does not have, and it counts every
// call so tests can assert what a plan costs.

export interface FakeOptions {
  registry?: string;
  referrersAPI?: boolean; // serves GET /referrers and answers OCI-Subject
  refusePush?: boolean;
}

export class FakeRegistry implements Registry {
  readonly registry: string;
  readonly blobs = new Map<string, Buffer>(); // repo@digest
  readonly manifests = new Map<string, { bytes: Buffer; mediaType: string }>(); // repo@digest
  readonly tags = new Map<string, string>(); // repo:tag → digest
  readonly calls: string[] = [];
  // Runs before a tag is read or written: tests race other writers here.
  onTag?: (op: 'get' | 'put', repo: string, tag: string) => Promise<void> | void;

  constructor(private readonly opts: FakeOptions = {}) {
    this.registry = opts.registry ?? 'registry.test';
  }

  count(prefix: string): number {
    return this.calls.filter((c) => c.startsWith(prefix)).length;
  }

  pushImage(repo: string, manifest: Manifest): FetchedManifest {
    const bytes = Buffer.from(JSON.stringify(manifest));
    const digest = sha256Digest(bytes);
    this.manifests.set(`${repo}@${digest}`, { bytes, mediaType: manifest.mediaType ?? MEDIA.ociManifest });
    return { digest, mediaType: manifest.mediaType ?? MEDIA.ociManifest, bytes, manifest };
  }

  tagged(repo: string, tag: string): Manifest | undefined {
    const digest = this.tags.get(`${repo}:${tag}`);
    const m = digest && this.manifests.get(`${repo}@${digest}`);
    return m ? (JSON.parse(m.bytes.toString('utf8')) as Manifest) : undefined;
  }

  async getManifest(repo: string, ref: string): Promise<FetchedManifest | undefined> {
    this.calls.push(`GET manifest ${repo}:${ref}`);
    if (!ref.startsWith('sha256:')) await this.onTag?.('get', repo, ref);
    const digest = ref.startsWith('sha256:') ? ref : this.tags.get(`${repo}:${ref}`);
    const m = digest && this.manifests.get(`${repo}@${digest}`);
    if (!m || !digest) return undefined;
    return { digest, mediaType: m.mediaType, bytes: m.bytes, manifest: JSON.parse(m.bytes.toString('utf8')) as Manifest };
  }

  async putManifest(repo: string, ref: string, bytes: Buffer, mediaType: string): Promise<{ digest: string; subjectAware: boolean }> {
    this.calls.push(`PUT manifest ${repo}:${ref}`);
    if (this.opts.refusePush) throw new ActionError('REGISTRY_AUTH', 'refused');
    if (!ref.startsWith('sha256:')) await this.onTag?.('put', repo, ref);
    const m = JSON.parse(bytes.toString('utf8')) as Manifest;
    for (const d of [...(m.layers ?? []), ...(m.config ? [m.config] : [])]) {
      if (!this.blobs.has(`${repo}@${d.digest}`)) throw new ActionError('REGISTRY', `MANIFEST_BLOB_UNKNOWN ${d.digest}`);
    }
    for (const d of m.manifests ?? []) {
      if (!this.manifests.has(`${repo}@${d.digest}`)) throw new ActionError('REGISTRY', `MANIFEST_BLOB_UNKNOWN ${d.digest}`);
    }
    const digest = sha256Digest(bytes);
    this.manifests.set(`${repo}@${digest}`, { bytes, mediaType });
    if (!ref.startsWith('sha256:')) this.tags.set(`${repo}:${ref}`, digest);
    return { digest, subjectAware: Boolean(this.opts.referrersAPI && m.subject) };
  }

  async hasBlob(repo: string, digest: string): Promise<boolean> {
    this.calls.push(`HEAD blob ${repo}@${digest}`);
    return this.blobs.has(`${repo}@${digest}`);
  }

  async putBlob(repo: string, bytes: Buffer, opts: { resend?: boolean; started?: () => void } = {}): Promise<Descriptor & { mediaType: '' }> {
    const digest = sha256Digest(bytes);
    if (!opts.resend && (await this.hasBlob(repo, digest))) return { mediaType: '', digest, size: bytes.length };
    this.calls.push(`POST upload ${repo}`);
    if (this.opts.refusePush) throw new ActionError('REGISTRY_AUTH', 'refused');
    opts.started?.();
    this.calls.push(`PUT blob ${repo}@${digest}`);
    this.blobs.set(`${repo}@${digest}`, bytes);
    return { mediaType: '', digest, size: bytes.length };
  }

  async openBlob(repo: string, digest: string): Promise<Readable> {
    this.calls.push(`GET blob ${repo}@${digest}`);
    const b = this.blobs.get(`${repo}@${digest}`);
    if (!b) throw new ActionError('REGISTRY_NOT_FOUND', `blob ${digest} not found`);
    return Readable.from([b]);
  }

  async referrers(repo: string, digest: string): Promise<Manifest | undefined> {
    this.calls.push(`GET referrers ${repo}@${digest}`);
    if (!this.opts.referrersAPI) return undefined;
    const manifests = [...this.manifests.entries()]
      .filter(([k]) => k.startsWith(`${repo}@`))
      .map(([k, v]) => ({ digest: k.slice(repo.length + 1), m: JSON.parse(v.bytes.toString('utf8')) as Manifest, size: v.bytes.length }))
      .filter((x) => x.m.subject?.digest === digest)
      .map((x): Descriptor => ({ mediaType: MEDIA.ociManifest, digest: x.digest, size: x.size, artifactType: x.m.artifactType }));
    return { schemaVersion: 2, mediaType: MEDIA.ociIndex, manifests };
  }

  async probePush(repo: string): Promise<void> {
    this.calls.push(`POST probe ${repo}`);
    if (this.opts.refusePush) throw new ActionError('REGISTRY_AUTH', `${this.registry}/${repo}: the registry refuses pushes`);
  }
}

// A one-layer image in `repo`, its layer blob stored.
export function fakeImage(reg: FakeRegistry, repo: string, layer = Buffer.from('layer')): FetchedManifest {
  const config = Buffer.from('{"architecture":"amd64","os":"linux"}');
  reg.blobs.set(`${repo}@${sha256Digest(layer)}`, layer);
  reg.blobs.set(`${repo}@${sha256Digest(config)}`, config);
  return reg.pushImage(repo, {
    schemaVersion: 2,
    mediaType: MEDIA.ociManifest,
    config: { mediaType: MEDIA.ociConfig, digest: sha256Digest(config), size: config.length },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar', digest: sha256Digest(layer), size: layer.length }],
  });
}
