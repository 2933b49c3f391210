import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { ActionError } from '../errors.js';
import { BodyTooLargeError, errorText, formatBytes, type Http } from '../http.js';
import { resolveCredentials, type Credentials } from './credentials.js';
import { registryBaseURL } from './reference.js';

export const MEDIA = {
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  empty: 'application/vnd.oci.empty.v1+json',
} as const;

const BLOB_ATTEMPTS = 4;
// The OCI distribution spec has registries accept manifests of at least
// 4 MiB and lets them refuse larger ones (distribution, the reference
// registry, does), so no image, index, .sig/.att manifest or referrers index
// a registry stores for others is larger: nothing bigger is read.
export const MANIFEST_LIMIT = 4 * 1024 * 1024;
const MANIFEST_ACCEPT = [MEDIA.ociManifest, MEDIA.ociIndex, MEDIA.dockerManifest, MEDIA.dockerList].join(', ');

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  artifactType?: string;
  annotations?: Record<string, string>;
  platform?: { os: string; architecture: string; variant?: string };
}

export interface Manifest {
  schemaVersion: 2;
  mediaType?: string;
  artifactType?: string;
  config?: Descriptor;
  layers?: Descriptor[];
  manifests?: Descriptor[];
  subject?: Descriptor;
  annotations?: Record<string, string>;
}

export interface FetchedManifest {
  digest: string;
  mediaType: string;
  bytes: Buffer;
  manifest: Manifest;
}

export function sha256Digest(bytes: Uint8Array | string): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

// The one registry client: every call goes through `send`, which handles
// auth challenges (Basic, Bearer token flow) and maps refusals to errors
// that name the fix. It knows nothing of Sigstore.
export class RegistryClient {
  private readonly base: string;
  private readonly tokens = new Map<string, string>();
  private challenge?: Challenge;

  constructor(
    readonly registry: string,
    private readonly http: Http,
    private readonly creds: Credentials | undefined,
    private readonly mask: (secret: string) => void = () => undefined,
  ) {
    this.base = registryBaseURL(registry);
  }

  // Returns the manifest, or undefined when the registry says it does not exist.
  async getManifest(repo: string, ref: string): Promise<FetchedManifest | undefined> {
    const res = await this.send(repo, 'pull', 'GET', `/manifests/${ref}`, { accept: MANIFEST_ACCEPT, maxBytes: MANIFEST_LIMIT }).catch((err: unknown) => {
      throw this.manifestTooLarge(err, `${this.registry}/${repo}${ref.startsWith('sha256:') ? '@' : ':'}${ref}`);
    });
    if (res.status === 404) return discard(res);
    await this.expectOk(res, repo, `manifest ${ref}`);
    const bytes = Buffer.from(await res.arrayBuffer());
    const digest = sha256Digest(bytes);
    if (ref.startsWith('sha256:') && digest !== ref) {
      throw new ActionError('REGISTRY', `${this.registry}/${repo}: manifest ${ref} came back with digest ${digest}; the registry is serving wrong content`);
    }
    const manifest = parseManifest(bytes, `${this.registry}/${repo}@${ref}`);
    const mediaType = manifest.mediaType ?? res.headers.get('content-type')?.split(';')[0] ?? MEDIA.ociManifest;
    return { digest, mediaType, bytes, manifest };
  }

  // Returns the digest and whether the registry processed `subject` itself.
  // A manifest naming a blob that a concurrent upload is still linking can be
  // refused for a moment (distribution writes blob links non-atomically and
  // answers 400 MANIFEST_BLOB_UNKNOWN or DIGEST_INVALID); that is retried.
  async putManifest(repo: string, ref: string, bytes: Buffer, mediaType: string): Promise<{ digest: string; subjectAware: boolean }> {
    for (let attempt = 1; ; attempt++) {
      const res = await this.send(repo, 'push', 'PUT', `/manifests/${ref}`, {
        'content-type': mediaType,
        body: bytes,
      });
      if (res.status === 400 && attempt < BLOB_ATTEMPTS) {
        const text = await res.clone().text();
        if (/MANIFEST_BLOB_UNKNOWN|DIGEST_INVALID/.test(text)) {
          await new Promise((r) => setTimeout(r, 50 + Math.random() * 100 * attempt));
          continue;
        }
      }
      await this.expectOk(res, repo, `manifest ${ref}`);
      await discard(res);
      return { digest: sha256Digest(bytes), subjectAware: res.headers.has('oci-subject') };
    }
  }

  async deleteManifest(repo: string, digest: string): Promise<void> {
    const res = await this.send(repo, 'push', 'DELETE', `/manifests/${digest}`, {});
    await discard(res);
  }

  async hasBlob(repo: string, digest: string): Promise<boolean> {
    const res = await this.send(repo, 'pull', 'HEAD', `/blobs/${digest}`, {});
    await discard(res);
    if (res.status === 200) return true;
    if (res.status === 404) return false;
    await this.expectOk(res, repo, `blob ${digest}`);
    return false;
  }

  // Monolithic upload (POST then PUT ?digest=), skipped when the blob exists.
  // A failed PUT is checked against the registry before trying again: the
  // blob may have landed anyway (a lost response whose retry found the upload
  // session consumed, or a concurrent upload of the same bytes winning).
  // `resend`: the first attempt skips the existence check, for small blobs
  // that are most likely new, where sending them again costs less than asking.
  // `started`: told when the upload session is open (one request to go).
  async putBlob(repo: string, bytes: Buffer, opts: { resend?: boolean; started?: () => void } = {}): Promise<Descriptor & { mediaType: '' }> {
    const digest = sha256Digest(bytes);
    const desc = { mediaType: '' as const, digest, size: bytes.length };
    let failed: Response | undefined;
    for (let attempt = 0; attempt < BLOB_ATTEMPTS; attempt++) {
      if (!(attempt === 0 && opts.resend) && (await this.hasBlob(repo, digest))) return desc;
      const start = await this.send(repo, 'push', 'POST', '/blobs/uploads/', {});
      await this.expectOk(start, repo, 'blob upload');
      const location = start.headers.get('location');
      if (!location) throw new ActionError('REGISTRY', `${this.registry}/${repo}: blob upload returned no Location header`);
      const url = new URL(location, this.base);
      url.searchParams.set('digest', digest);
      opts.started?.();
      failed = await this.send(repo, 'push', 'PUT', url.toString(), {
        'content-type': 'application/octet-stream',
        body: bytes,
      });
      if (failed.ok) return desc;
      if (failed.status === 401 || failed.status === 403) break;
    }
    await this.expectOk(failed as Response, repo, `blob ${digest}`);
    return desc;
  }

  // Checks, before anything is signed or logged, that these credentials may
  // push to `repo`, without writing anything: a blob upload is started as a
  // mount of a blob the repository already has (`existingBlob`), which a
  // registry answers by re-linking what is there (201); one that cannot
  // mount opens an upload session instead (202), which is cancelled. A
  // refusal names the permission to grant instead of surfacing after the
  // Rekor entries exist.
  async probePush(repo: string, existingBlob?: string): Promise<void> {
    const mount = existingBlob ? `?mount=${encodeURIComponent(existingBlob)}&from=${encodeURIComponent(repo)}` : '';
    const res = await this.send(repo, 'push', 'POST', `/blobs/uploads/${mount}`, {});
    if (res.ok) {
      await discard(res);
      const location = res.headers.get('location');
      // Cancelling is a courtesy (unfinished uploads are purged anyway), so its answer is not checked.
      if (res.status === 202 && location) await this.send(repo, 'push', 'DELETE', new URL(location, this.base).toString(), {}).then(discard, () => undefined);
      return;
    }
    const detail = await errorText(res);
    const where = `${this.registry}/${repo}`;
    const status = `${res.status}${detail ? `: ${detail}` : ''}`;
    if (res.status === 401 || res.status === 403) {
      const login = this.creds ? 'the credentials in use may read but not push' : 'no registry credentials were found';
      throw new ActionError(
        'REGISTRY_AUTH',
        `${where}: the registry refuses pushes (${status}) and nothing was signed; ${login}: on GHCR give the job \`permissions: packages: write\` and log in with that GITHUB_TOKEN, elsewhere log in (docker/login-action or registry-username/registry-password) with a token whose scope allows push to ${repo}`,
      );
    }
    if (res.status === 405) {
      throw new ActionError(
        'REGISTRY',
        `${where}: the registry does not accept pushes to this repository (${status}) and nothing was signed; it may be a read-only mirror or cache: sign the image where it was pushed, or set attach: none to keep only Rekor entries and bundle files`,
      );
    }
    await this.expectOk(res, repo, 'push check (blob upload)');
  }

  // Reads a small blob whole: at most `limit` bytes, and never more than its
  // descriptor declares (a blob longer than its descriptor is wrong content,
  // so it is not read past that). `what` names it in errors.
  async getBlob(repo: string, desc: { digest: string; size?: number }, limit: number, what = 'blob'): Promise<Buffer> {
    const { digest } = desc;
    const where = `${this.registry}/${repo}: ${what} ${digest}`;
    const size = Number.isSafeInteger(desc.size) && (desc.size as number) >= 0 ? (desc.size as number) : undefined;
    if (size !== undefined && size > limit) {
      throw new ActionError('REGISTRY', `${where} declares ${formatBytes(size)}, over the ${formatBytes(limit)} limit for a ${what}; it was not downloaded`);
    }
    const res = await this.send(repo, 'pull', 'GET', `/blobs/${digest}`, { maxBytes: size ?? limit }).catch((err: unknown) => {
      if (!(err instanceof BodyTooLargeError)) throw err;
      if (size !== undefined)
        throw new ActionError('REGISTRY', `${where}: the registry served more than the ${size} bytes its descriptor declares; the registry is serving wrong content`);
      throw new ActionError('REGISTRY', `${where} is larger than the ${formatBytes(limit)} limit for a ${what}; reading stopped there`);
    });
    await this.expectOk(res, repo, `blob ${digest}`);
    const bytes = Buffer.from(await res.arrayBuffer());
    if (sha256Digest(bytes) !== digest) throw new ActionError('REGISTRY', `${this.registry}/${repo}: blob ${digest} failed its digest check`);
    return bytes;
  }

  // Streams a blob (layers can be large). A stream cut off mid-way resumes
  // from the last byte received (HTTP Range) within the run's retry budget,
  // and the bytes are checked against the digest once the stream ends.
  // With `size` (the descriptor's), a blob that announces or streams more is
  // cut off there as wrong content rather than read without end.
  async openBlob(repo: string, digest: string, declaredSize?: number): Promise<Readable> {
    const size = Number.isSafeInteger(declaredSize) && (declaredSize as number) >= 0 ? declaredSize : undefined;
    const url = `${this.base}/v2/${repo}/blobs/${digest}`;
    const first = await this.send(repo, 'pull', 'GET', `/blobs/${digest}`, { stream: true });
    await this.expectOk(first, repo, `blob ${digest}`);
    const overrun = () =>
      new ActionError(
        'REGISTRY',
        `${this.registry}/${repo}: blob ${digest} is longer than the ${size} bytes its descriptor declares; the registry is serving wrong content`,
      );
    const declared = Number(first.headers.get('content-length') ?? NaN);
    if (size !== undefined && Number.isFinite(declared) && declared > size) {
      await discard(first);
      throw overrun();
    }
    const hash = createHash('sha256');
    let offset = 0;
    const chunks = async function* (this: RegistryClient): AsyncGenerator<Buffer> {
      let res = first;
      for (let attempt = 1; ; attempt++) {
        const started = Date.now();
        try {
          for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
            offset += chunk.length;
            if (size !== undefined && offset > size) throw overrun();
            hash.update(chunk);
            // a view, not a copy: the chunk is ours once read (a copy cost 1 byte of garbage per byte pulled)
            yield Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
          }
          break;
        } catch (err) {
          if (err instanceof ActionError) throw err;
          const failure = `stream cut off after ${offset} bytes (${(err as Error).message})`;
          await this.http.backoff({ service: 'registry', url, what: `GET blob ${digest}`, failure, attempt, started });
        }
        res = await this.send(repo, 'pull', 'GET', `/blobs/${digest}`, { stream: true, range: `bytes=${offset}-` });
        if (res.status !== 206) {
          await discard(res);
          throw new ActionError(
            'REGISTRY',
            `${this.registry}/${repo}: blob ${digest} was cut off after ${offset} bytes and the registry cannot resume it (HTTP ${res.status}); re-run the job`,
          );
        }
      }
      if (`sha256:${hash.digest('hex')}` !== digest) {
        throw new ActionError('REGISTRY', `${this.registry}/${repo}: blob ${digest} failed its digest check; the registry is serving wrong content`);
      }
    };
    return Readable.from(chunks.call(this), { objectMode: false });
  }

  // The OCI 1.1 referrers API, or undefined when the registry lacks it
  // (distribution 2.8 answers 404 with a text body; others 400 or 406).
  async referrers(repo: string, digest: string): Promise<Manifest | undefined> {
    const res = await this.send(repo, 'pull', 'GET', `/referrers/${digest}`, { accept: MEDIA.ociIndex, maxBytes: MANIFEST_LIMIT }).catch((err: unknown) => {
      throw this.manifestTooLarge(err, `${this.registry}/${repo}: the referrers index of ${digest}`);
    });
    const type = res.headers.get('content-type') ?? '';
    if (res.status !== 200 || !type.includes(MEDIA.ociIndex)) return discard(res);
    return parseManifest(Buffer.from(await res.arrayBuffer()), `${this.registry}/${repo} referrers`);
  }

  private manifestTooLarge(err: unknown, what: string): unknown {
    if (!(err instanceof BodyTooLargeError)) return err;
    const size = err.declared === undefined ? 'is larger than' : `is ${formatBytes(err.declared)}, over`;
    return new ActionError(
      'REGISTRY',
      `${what} ${size} the ${formatBytes(MANIFEST_LIMIT)} limit for manifests (the OCI distribution spec's; reading stopped there); no registry stores a larger manifest for a real image: check the reference and the registry`,
    );
  }

  private async expectOk(res: Response, repo: string, what: string): Promise<void> {
    if (res.ok) return;
    const detail = await errorText(res);
    const where = `${this.registry}/${repo}`;
    if (res.status === 401 || res.status === 403) {
      throw new ActionError(
        'REGISTRY_AUTH',
        `${where}: the registry refused access (${res.status}${detail ? `: ${detail}` : ''}); ${this.creds ? 'check registry-username/registry-password (or docker login) and that the token may push to this repository' : 'log in first (docker/login-action) or set registry-username and registry-password'}`,
      );
    }
    if (res.status === 404) {
      throw new ActionError(
        'REGISTRY_NOT_FOUND',
        `${where}: ${what} not found (${detail || '404'}); check the image name and that the image was pushed before this step`,
      );
    }
    throw new ActionError('REGISTRY', `${where}: ${what} failed with HTTP ${res.status}${detail ? ` (${detail})` : ''}`);
  }

  private async send(
    repo: string,
    action: 'pull' | 'push',
    method: string,
    pathOrURL: string,
    opts: { accept?: string; 'content-type'?: string; body?: Buffer; stream?: boolean; range?: string; maxBytes?: number },
  ): Promise<Response> {
    const url = pathOrURL.startsWith('http') ? pathOrURL : `${this.base}/v2/${repo}${pathOrURL}`;
    const scope = `repository:${repo}:${action === 'push' ? 'pull,push' : 'pull'}`;
    const headers: Record<string, string> = {};
    if (opts.accept) headers['accept'] = opts.accept;
    if (opts['content-type']) headers['content-type'] = opts['content-type'];
    if (opts.range) headers['range'] = opts.range;
    const call = async () => {
      const auth = await this.authorization(scope);
      return this.http.request(url, {
        method,
        service: 'registry',
        headers: auth ? { ...headers, authorization: auth } : headers,
        body: opts.body,
        stream: opts.stream,
        maxBytes: opts.maxBytes,
      });
    };
    let res = await call();
    if (res.status !== 401) return res;
    const challenge = parseChallenge(res.headers.get('www-authenticate'));
    const known = this.challenge;
    this.challenge = challenge;
    // A 401 right after authenticating for this scope is a refusal, not a challenge.
    if (!challenge || (known && this.tokens.has(scope))) return res;
    await discard(res);
    this.tokens.delete(scope);
    res = await call();
    return res;
  }

  private async authorization(scope: string): Promise<string | undefined> {
    const ch = this.challenge;
    if (!ch) return undefined;
    if (ch.scheme === 'basic') {
      if (!this.creds?.username && !this.creds?.password) return undefined;
      const basic = Buffer.from(`${this.creds.username ?? ''}:${this.creds.password ?? ''}`).toString('base64');
      this.mask(basic);
      return `Basic ${basic}`;
    }
    if (ch.scheme !== 'bearer') return undefined;
    const cached = this.tokens.get(scope);
    if (cached) return `Bearer ${cached}`;
    const token = await this.fetchToken(ch.params, scope);
    if (!token) return undefined;
    this.mask(token);
    this.tokens.set(scope, token);
    return `Bearer ${token}`;
  }

  // The distribution token flow: GET with basic credentials (or anonymous),
  // or POST an OAuth2 refresh token when docker config holds an identity token.
  private async fetchToken(params: Record<string, string>, scope: string): Promise<string | undefined> {
    const realm = params['realm'];
    if (!realm) return undefined;
    const url = new URL(realm);
    let res: Response;
    if (this.creds?.identityToken) {
      const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: this.creds.identityToken, service: params['service'] ?? '', scope });
      res = await this.http.request(url.toString(), {
        method: 'POST',
        service: 'registry',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form.toString(),
      });
    } else {
      if (params['service']) url.searchParams.set('service', params['service']);
      url.searchParams.set('scope', scope);
      const headers: Record<string, string> = {};
      if (this.creds?.username || this.creds?.password) {
        headers['authorization'] = `Basic ${Buffer.from(`${this.creds.username ?? ''}:${this.creds.password ?? ''}`).toString('base64')}`;
      }
      res = await this.http.request(url.toString(), { service: 'registry', headers });
    }
    if (!res.ok) {
      await discard(res);
      return undefined;
    }
    const body = (await res.json()) as { token?: string; access_token?: string };
    return body.token ?? body.access_token;
  }
}

// One client per registry for a run, credentials resolved once per registry
// (explicit ones, else docker config, else anonymous).
export function registryClients(http: Http, explicit: Credentials | undefined, mask: (secret: string) => void): (registry: string) => Promise<RegistryClient> {
  const clients = new Map<string, Promise<RegistryClient>>();
  return (registry) => {
    let c = clients.get(registry);
    if (!c) {
      c = resolveCredentials(registry, explicit, mask).then((creds) => new RegistryClient(registry, http, creds, mask));
      clients.set(registry, c);
    }
    return c;
  };
}

export function parseChallenge(header: string | null): Challenge | undefined {
  if (!header) return undefined;
  const m = /^(\w+)\s*(.*)$/.exec(header.trim());
  if (!m) return undefined;
  const params: Record<string, string> = {};
  for (const p of (m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)) params[(p[1] ?? '').toLowerCase()] = p[2] ?? '';
  return { scheme: (m[1] ?? '').toLowerCase(), params };
}

function parseManifest(bytes: Buffer, where: string): Manifest {
  try {
    const m = JSON.parse(bytes.toString('utf8')) as Manifest;
    if (m.schemaVersion !== 2) throw new Error(`schemaVersion ${String(m.schemaVersion)}`);
    return m;
  } catch (err) {
    throw new ActionError('REGISTRY', `${where}: unsupported manifest (${(err as Error).message}); only schema 2 OCI and Docker manifests are supported`);
  }
}

async function discard(res: Response): Promise<undefined> {
  await res.body?.cancel().catch(() => undefined);
  return undefined;
}
