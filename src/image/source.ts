import { createHash } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { arch } from 'node:os';
import { basename, join } from 'node:path';
import { Readable } from 'node:stream';
import { ActionError, errorLine } from '../errors.js';
import type { Http } from '../http.js';
import { registryClients, sha256Digest, type Descriptor, type Manifest } from '../oci/client.js';
import { isIndexMediaType, platformString } from '../oci/platforms.js';
import type { Credentials } from '../oci/credentials.js';
import { parseReference, repoName } from '../oci/reference.js';
import { TarArchive } from './archive.js';

// Where an image's bytes come from, named as syft and skopeo users know
// them: a registry reference, `oci-dir:PATH[:TAG]` (an OCI image layout),
// `oci-archive:PATH[:TAG]` (a tar of one) or `docker-archive:PATH[:NAME:TAG]`
// (`docker save` output). Every source ends as the same thing: a manifest's
// layer list and a function that opens a blob by digest, which is all the
// layer scan needs.

export interface LayerRef {
  digest: string;
  mediaType: string;
  size: number;
}

export interface OpenedImage {
  name: string; // what the SBOM calls the image
  digest: string; // manifest digest (docker-archive: the config digest, docker's image ID)
  platform?: string;
  layers: LayerRef[];
  openBlob(digest: string): Promise<Readable>;
}

export type SourceKind = 'registry' | 'oci-dir' | 'oci-archive' | 'docker-archive';

export interface SourceSpec {
  kind: SourceKind;
  target: string; // a path, or the registry reference
  ref?: string; // tag inside an OCI layout, or NAME:TAG inside a docker archive
}

export interface SourceOptions {
  platform?: string; // os/arch[/variant], for indexes
  http?: Http; // registry sources only
  credentials?: Credentials;
  mask?: (secret: string) => void;
}

// Image configs are a few KB; the bound keeps a hostile registry from
// making us hold an arbitrary blob.
const MAX_CONFIG_BYTES = 4 << 20;
const PREFIXES: SourceKind[] = ['oci-dir', 'oci-archive', 'docker-archive'];
const FIX = 'pass a registry reference (registry/repository:tag or @sha256:…), oci-dir:PATH[:TAG], oci-archive:PATH[:TAG] or docker-archive:PATH';

export function parseSource(arg: string): SourceSpec {
  const colon = arg.indexOf(':');
  const prefix = colon > 0 ? arg.slice(0, colon) : '';
  if ((PREFIXES as string[]).includes(prefix)) {
    const rest = arg.slice(colon + 1);
    if (!rest) throw new ActionError('INPUT', `${prefix}: no path given; ${FIX}`);
    const [target, ref] = splitPath(rest);
    return { kind: prefix as SourceKind, target, ref };
  }
  // `registry:` (syft) and `docker://` (skopeo) name a registry reference,
  // unless what follows is a port: `registry:5000/app` is a host.
  const rest = arg.slice(colon + 1);
  const scheme = (prefix === 'registry' || prefix === 'docker') && !/^\d+(\/|$)/.test(rest);
  return { kind: 'registry', target: scheme ? rest.replace(/^\/\//, '') : arg };
}

// PATH[:REF], where PATH may itself hold colons: the longest prefix that
// exists is the path.
function splitPath(rest: string): [string, string | undefined] {
  if (existsSync(rest)) return [rest, undefined];
  for (let i = rest.indexOf(':'); i >= 0; i = rest.indexOf(':', i + 1)) {
    if (existsSync(rest.slice(0, i))) return [rest.slice(0, i), rest.slice(i + 1) || undefined];
  }
  return [rest, undefined];
}

export async function openImage(spec: SourceSpec, opts: SourceOptions = {}): Promise<OpenedImage> {
  switch (spec.kind) {
    case 'registry':
      return openRegistry(spec.target, opts);
    case 'oci-dir':
      if (!existsSync(join(spec.target, 'index.json')) || !statSync(spec.target).isDirectory()) {
        throw new ActionError(
          'INPUT',
          `oci-dir: ${spec.target} is not an OCI image layout (no index.json); pass a directory written by skopeo copy … oci:DIR or docker buildx --output type=oci,tar=false`,
        );
      }
      return openLayout(dirStore(spec.target), spec, opts);
    case 'oci-archive': {
      const tar = await TarArchive.open(spec.target, 'oci-archive');
      if (!tar.has('index.json'))
        throw new ActionError(
          'INPUT',
          `oci-archive: ${spec.target} holds no index.json, so it is not an OCI layout archive; for docker save output use docker-archive:${spec.target}`,
        );
      return openLayout(archiveStore(tar), spec, opts);
    }
    case 'docker-archive':
      return openDockerArchive(await TarArchive.open(spec.target, 'docker-archive'), spec);
  }
}

// Blobs of an OCI layout, read from a directory or an archive, each
// checked against its digest.
interface BlobStore {
  read(digest: string, size?: number): Promise<Buffer | undefined>;
  open(digest: string): Promise<Readable>;
  readIndex(): Promise<Buffer | undefined>;
}

function blobPath(digest: string): string {
  const [alg, hex] = digest.split(':');
  if (!alg || !hex || !/^[a-z0-9]+$/.test(alg) || !/^[a-f0-9]+$/.test(hex)) throw new ActionError('INPUT', `the image names a malformed digest "${digest}"`);
  return `blobs/${alg}/${hex}`;
}

function dirStore(dir: string): BlobStore {
  return {
    readIndex: () => readFile(join(dir, 'index.json')).catch(() => undefined),
    read: async (digest) => checked(await readFile(join(dir, blobPath(digest))).catch(() => undefined), digest, dir),
    open: async (digest) => {
      const path = join(dir, blobPath(digest));
      if (!existsSync(path)) throw missingBlob(digest, dir);
      return verifying(createReadStream(path, { highWaterMark: 1 << 20 }), digest, dir);
    },
  };
}

function archiveStore(tar: TarArchive): BlobStore {
  return {
    readIndex: () => tar.read('index.json'),
    read: async (digest) => checked(await tar.read(blobPath(digest)), digest, tar.path),
    open: async (digest) => {
      const s = tar.stream(blobPath(digest));
      if (!s) throw missingBlob(digest, tar.path);
      return verifying(s, digest, tar.path);
    },
  };
}

const missingBlob = (digest: string, where: string) => new ActionError('INPUT', `${where}: blob ${digest} is missing; the layout is incomplete: copy the image again`);

function checked(bytes: Buffer | undefined, digest: string, where: string): Buffer | undefined {
  if (bytes && digest.startsWith('sha256:') && sha256Digest(bytes) !== digest) {
    throw new ActionError('INPUT', `${where}: blob ${digest} does not match its digest; the layout is corrupt: copy the image again`);
  }
  return bytes;
}

// Streams a blob and checks its sha256 once the last byte is through.
function verifying(stream: Readable, digest: string, where: string): Readable {
  if (!digest.startsWith('sha256:')) return stream;
  const hash = createHash('sha256');
  return Readable.from(
    (async function* () {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        hash.update(chunk);
        yield chunk;
      }
      if (`sha256:${hash.digest('hex')}` !== digest) {
        throw new ActionError('INPUT', `${where}: blob ${digest} does not match its digest; the layout is corrupt: copy the image again`);
      }
    })(),
    { objectMode: false },
  );
}

function parseJSON<T>(bytes: Buffer, what: string): T {
  try {
    return JSON.parse(bytes.toString('utf8')) as T;
  } catch (err) {
    throw new ActionError('INPUT', `${what} is not valid JSON (${errorLine(err)}); the image is damaged: copy it again`);
  }
}

// The layout's index.json, narrowed to one manifest: by tag (the
// org.opencontainers.image.ref.name skopeo and buildx write), or the only
// one; an index in turn is narrowed by platform.
async function openLayout(store: BlobStore, spec: SourceSpec, opts: SourceOptions): Promise<OpenedImage> {
  const where = `${spec.kind}:${spec.target}`;
  const indexBytes = await store.readIndex();
  if (!indexBytes) throw new ActionError('INPUT', `${where}: no index.json; not an OCI image layout`);
  const index = parseJSON<Manifest>(indexBytes, `${where} index.json`);
  const all = index.manifests ?? [];
  const refName = (d: Descriptor) => d.annotations?.['org.opencontainers.image.ref.name'];
  let chosen: Descriptor | undefined;
  if (spec.ref) {
    chosen = all.find((d) => refName(d) === spec.ref);
    if (!chosen) {
      const names = all.map(refName).filter(Boolean);
      throw new ActionError(
        'INPUT',
        `${where}: no image tagged "${spec.ref}"; the layout has ${names.length ? names.join(', ') : 'no tagged images'}: pass one of them after the path`,
      );
    }
  } else if (all.length === 1) {
    chosen = all[0];
  } else {
    const names = all.map(refName).filter(Boolean);
    // Several entries may be the platform images of one untagged index.
    if (all.length > 1 && names.length === 0 && all.every((d) => d.platform)) return fromManifestList(store, where, index, opts, layoutName(spec));
    throw new ActionError(
      'INPUT',
      `${where}: the layout holds ${all.length} images; name one: ${spec.kind}:${spec.target}:TAG with TAG one of ${names.join(', ') || '(none tagged)'}`,
    );
  }
  if (!chosen) throw new ActionError('INPUT', `${where}: index.json lists no image`);
  const name = chosen.annotations?.['io.containerd.image.name'] ?? layoutName(spec);
  if (isIndexMediaType(chosen.mediaType)) {
    const bytes = await store.read(chosen.digest);
    if (!bytes) throw missingBlob(chosen.digest, where);
    return fromManifestList(store, where, parseJSON<Manifest>(bytes, `${where} index ${chosen.digest}`), opts, name);
  }
  return fromManifest(store, where, chosen.digest, name, chosen.platform ? platformString(chosen.platform) : undefined);
}

function layoutName(spec: SourceSpec): string {
  const base = basename(spec.target.replace(/\/+$/, '')).replace(/\.(tar|oci)$/, '') || 'image';
  return spec.ref ? `${base}:${spec.ref}` : base;
}

async function fromManifestList(store: BlobStore, where: string, list: Manifest, opts: SourceOptions, name: string): Promise<OpenedImage> {
  const d = choosePlatform(list.manifests ?? [], opts.platform, where);
  return fromManifest(store, where, d.digest, name, d.platform ? platformString(d.platform) : undefined);
}

async function fromManifest(store: BlobStore, where: string, digest: string, name: string, platform: string | undefined): Promise<OpenedImage> {
  const bytes = await store.read(digest);
  if (!bytes) throw missingBlob(digest, where);
  const manifest = parseJSON<Manifest>(bytes, `${where} manifest ${digest}`);
  if (isIndexMediaType(manifest.mediaType))
    throw new ActionError('INPUT', `${where}: nested index ${digest} is not supported; copy one platform image out with skopeo copy --override-arch`);
  return {
    name,
    digest,
    platform: platform ?? (await configPlatform(store, manifest)),
    layers: (manifest.layers ?? []).map((l) => ({ digest: l.digest, mediaType: l.mediaType, size: l.size })),
    openBlob: (d) => store.open(d),
  };
}

async function configPlatform(store: BlobStore, manifest: Manifest): Promise<string | undefined> {
  if (!manifest.config?.digest) return undefined;
  const bytes = await store.read(manifest.config.digest, manifest.config.size).catch(() => undefined);
  if (!bytes) return undefined;
  const c = parseJSON<{ os?: string; architecture?: string; variant?: string }>(bytes, 'image config');
  return c.os && c.architecture ? platformString({ os: c.os, architecture: c.architecture, variant: c.variant }) : undefined;
}

// The host's platform as OCI names it, the default for an index (as docker
// pull and syft choose).
export function hostPlatform(): string {
  const names: Record<string, string> = { x64: 'amd64', ia32: '386', arm64: 'arm64', arm: 'arm', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64' };
  return `linux/${names[arch()] ?? arch()}`;
}

// One platform image of an index: the one asked for, else the only one,
// else the host's.
export function choosePlatform(manifests: Descriptor[], wanted: string | undefined, where: string): Descriptor {
  const images = manifests.filter((d) => d.platform && d.platform.os !== 'unknown');
  const list = images.map((d) => platformString(d.platform!)).join(', ');
  const matches = (want: string) => {
    const [os, architecture, variant] = want.split('/');
    return images.filter((d) => d.platform!.os === os && d.platform!.architecture === architecture && (!variant || d.platform!.variant === variant));
  };
  if (wanted) {
    const found = matches(wanted);
    if (found.length === 0) throw new ActionError('INPUT', `--platform ${wanted}: ${where} has no such image; it has ${list || 'no platform images'}`);
    return found[0]!;
  }
  if (images.length === 1) return images[0]!;
  const host = matches(hostPlatform());
  if (host.length > 0) return host[0]!;
  throw new ActionError('INPUT', `${where} is a multi-platform index without an image for this host (${hostPlatform()}); pass --platform with one of ${list}`);
}

async function openRegistry(reference: string, opts: SourceOptions): Promise<OpenedImage> {
  if (!opts.http) throw new Error('openImage: a registry source needs an Http');
  const ref = parseReference(reference);
  const client = await registryClients(opts.http, opts.credentials, opts.mask ?? (() => undefined))(ref.registry);
  const name = repoName(ref);
  const wanted = ref.digest ?? ref.tag ?? 'latest';
  const top = await client.getManifest(ref.repository, wanted);
  if (!top) throw new ActionError('REGISTRY_NOT_FOUND', `${name}:${wanted} was not found in the registry; check the reference and that it was pushed`);
  let fetched = top;
  let platform: string | undefined;
  if (isIndexMediaType(top.mediaType)) {
    const d = choosePlatform(top.manifest.manifests ?? [], opts.platform, `${name}@${top.digest}`);
    const m = await client.getManifest(ref.repository, d.digest);
    if (!m) throw new ActionError('REGISTRY_NOT_FOUND', `${name}@${d.digest}: platform manifest listed in the index is missing from the registry`);
    fetched = m;
    platform = d.platform ? platformString(d.platform) : undefined;
  }
  const manifest = fetched.manifest;
  const store: BlobStore = {
    readIndex: async () => undefined,
    read: async (digest, size) => client.getBlob(ref.repository, { digest, size }, MAX_CONFIG_BYTES, 'image config'),
    // The descriptor's size bounds each layer read (a longer blob is wrong content).
    open: (digest) => client.openBlob(ref.repository, digest, manifest.layers?.find((l) => l.digest === digest)?.size),
  };
  return {
    name,
    digest: fetched.digest,
    platform: platform ?? (await configPlatform(store, manifest)),
    layers: (manifest.layers ?? []).map((l) => ({ digest: l.digest, mediaType: l.mediaType, size: l.size })),
    openBlob: store.open,
  };
}

interface DockerArchiveEntry {
  Config?: string;
  RepoTags?: string[] | null;
  Layers?: string[];
}

// `docker save` / skopeo docker-archive: manifest.json lists each image's
// config file and layer tars. There is no registry manifest, so the image
// is identified by its config digest (docker's image ID) and each layer by
// its diff_id.
async function openDockerArchive(tar: TarArchive, spec: SourceSpec): Promise<OpenedImage> {
  const where = `docker-archive:${spec.target}`;
  const raw = await tar.read('manifest.json');
  if (!raw) throw new ActionError('INPUT', `${where}: no manifest.json, so it is not docker save output; for an OCI layout archive use oci-archive:${spec.target}`);
  const entries = parseJSON<DockerArchiveEntry[]>(raw, `${where} manifest.json`);
  if (!Array.isArray(entries) || entries.length === 0) throw new ActionError('INPUT', `${where}: manifest.json lists no image`);
  const tags = entries.flatMap((e) => e.RepoTags ?? []);
  let entry: DockerArchiveEntry | undefined;
  if (spec.ref) {
    const want = spec.ref;
    entry = entries.find((e) => (e.RepoTags ?? []).some((t) => t === want || t.replace(/^docker\.io\/(library\/)?/, '') === want));
    if (!entry) throw new ActionError('INPUT', `${where}: no image tagged ${want}; it has ${tags.join(', ') || 'no tags'}`);
  } else if (entries.length === 1) {
    entry = entries[0];
  } else {
    throw new ActionError('INPUT', `${where} holds ${entries.length} images; name one: docker-archive:${spec.target}:NAME:TAG with one of ${tags.join(', ')}`);
  }
  const configBytes = entry?.Config ? await tar.read(entry.Config) : undefined;
  if (!entry || !configBytes) throw new ActionError('INPUT', `${where}: the image's config file ${entry?.Config ?? '(none)'} is missing; save the image again`);
  const config = parseJSON<{ os?: string; architecture?: string; variant?: string; rootfs?: { diff_ids?: string[] } }>(configBytes, `${where} config`);
  const diffIds = config.rootfs?.diff_ids ?? [];
  const paths = new Map<string, string>();
  const layers: LayerRef[] = (entry.Layers ?? []).map((path, i) => {
    const fromPath = /([a-f0-9]{64})/.exec(path)?.[1];
    const digest = diffIds[i] ?? (fromPath ? `sha256:${fromPath}` : `sha256:${createHash('sha256').update(path).digest('hex')}`);
    if (!tar.has(path)) throw new ActionError('INPUT', `${where}: layer ${path} listed in manifest.json is missing; save the image again`);
    paths.set(digest, path);
    return { digest, mediaType: 'application/vnd.docker.image.rootfs.diff.tar', size: tar.size(path) };
  });
  return {
    name: entry.RepoTags?.[0] ?? basename(spec.target).replace(/\.tar$/, ''),
    digest: sha256Digest(configBytes),
    platform: config.os && config.architecture ? platformString({ os: config.os, architecture: config.architecture, variant: config.variant }) : undefined,
    layers,
    openBlob: async (digest) => {
      const path = paths.get(digest);
      const s = path ? tar.stream(path) : undefined;
      if (!s) throw new ActionError('INPUT', `${where}: layer ${digest} is missing`);
      return s;
    },
  };
}
