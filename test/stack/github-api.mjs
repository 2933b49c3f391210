// A local stand-in for the two GitHub REST endpoints of the attestation
// store, strict about what a client sends:
//
//   POST /repos/{owner}/{repo}/attestations          body {"bundle": <v0.3 bundle>} -> 201 {"id": N}
//   GET  /repos/{owner}/{repo}/attestations/{digest} -> {"attestations": [{bundle, repository_id, bundle_url, initiator}]}
//
// The request shape follows GitHub's REST description of "Create an
// attestation" / "List attestations" (@octokit/openapi-types, operations
// repos/create-attestation and repos/list-attestations) and the reader in gh
// (pkg/cmd/attestation/api/client.go): gh takes bundle_url first, a snappy
// block of the bundle JSON, and falls back to the inline bundle.
//
// It answers both as an API base URL (GITHUB_API_URL=http://127.0.0.1:PORT)
// and as a plain HTTP proxy for gh: with GH_HOST=github.localhost gh sends
// its API requests to http://api.github.localhost/…, and HTTP_PROXY pointed
// here delivers them with the absolute URL as the request target.
import http from 'node:http';
import { bundleFromJSON } from '@sigstore/bundle';

export const API_VERSIONS = ['2022-11-28', '2026-03-10'];
export const BUNDLE_V03 = 'application/vnd.dev.sigstore.bundle.v0.3+json';
const DOCS = 'https://docs.github.com/rest/repos/attestations#create-an-attestation';
// GitHub refuses attestations over 16 MB (actions/attest#262).
export const MAX_BODY_BYTES = 16 * 1024 * 1024;
// The list endpoint's predicate_type short names.
const PREDICATE_ALIASES = { provenance: 'https://slsa.dev/provenance/v1', sbom: ['https://spdx.dev/Document', 'https://cyclonedx.org/bom'] };

/**
 * @param {object} [opts]
 * @param {Record<string, {id?: number, userPrivate?: boolean}>} [opts.repos] owner/repo -> repository
 * @param {Record<string, {attestations: 'write'|'read'|'none'}>} [opts.tokens] token -> its permissions
 */
export async function startGitHubApi(opts = {}) {
  const repos = new Map(Object.entries(opts.repos ?? {}).map(([k, v], i) => [k.toLowerCase(), { id: v.id ?? 1000 + i, ...v, name: k }]));
  const tokens = new Map(Object.entries(opts.tokens ?? {}));
  /** @type {{method: string, path: string, headers: Record<string, string|string[]|undefined>, status: number, body?: unknown}[]} */
  const requests = [];
  /** @type {{id: number, repo: string, bundle: any, digests: string[], predicateType: string}[]} */
  const stored = [];
  /** @type {{method?: string, status: number, times: number, headers?: Record<string, string>, body?: unknown}[]} */
  const faults = [];
  let nextId = 4711;

  const server = http.createServer((req, res) => {
    const chunks = [];
    let size = 0;
    req.on('data', (c) => {
      size += c.length;
      if (size <= MAX_BODY_BYTES + 1024) chunks.push(c);
    });
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://api.github.localhost');
      const answer = (status, body, headers = {}) => {
        requests.push({ method: req.method ?? '', path: url.pathname + url.search, headers: req.headers, status, body: parsed });
        const text = typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
        res.writeHead(status, { 'content-type': Buffer.isBuffer(body) ? 'application/octet-stream' : 'application/json; charset=utf-8', ...headers });
        res.end(text);
      };
      const error = (status, message, extra = {}) => answer(status, { message, documentation_url: DOCS, status: String(status), ...extra.body }, extra.headers);
      let parsed;
      const raw = Buffer.concat(chunks);

      const fault = faults.find((f) => f.times > 0 && (!f.method || f.method === req.method));
      if (fault) {
        fault.times--;
        return answer(fault.status, fault.body ?? { message: `injected ${fault.status}` }, fault.headers);
      }

      // Bundles behind bundle_url are plain downloads (blob storage), no API headers.
      const blob = /^\/_bundles\/(\d+)$/.exec(url.pathname);
      if (req.method === 'GET' && blob) {
        const a = stored.find((s) => s.id === Number(blob[1]));
        return a ? answer(200, snappyLiteral(Buffer.from(JSON.stringify(a.bundle)))) : error(404, 'Not Found');
      }

      // Authentication: GitHub takes `token X` and `Bearer X`.
      const auth = /^(token|bearer) (\S+)$/i.exec(req.headers.authorization ?? '');
      if (!req.headers.authorization) return error(401, 'Requires authentication');
      if (!auth || !tokens.has(auth[2])) return error(401, 'Bad credentials');
      const perms = tokens.get(auth[2]);

      const accept = String(req.headers.accept ?? '');
      if (!/application\/vnd\.github(\.v3)?(\.[\w-]+)?\+json|application\/json/.test(accept)) {
        return error(415, `Unsupported 'Accept' header: '${accept}'. Use application/vnd.github+json`);
      }
      const version = req.headers['x-github-api-version'];
      if (!version) return error(400, "Missing 'X-GitHub-Api-Version' header (the stand-in insists on a pinned API version)");
      if (!API_VERSIONS.includes(String(version))) return error(400, `Unsupported 'X-GitHub-Api-Version' header: '${version}'. Supported: ${API_VERSIONS.join(', ')}`);

      const route = /^\/repos\/([^/]+)\/([^/]+)\/attestations(?:\/([^/]+))?$/.exec(url.pathname);
      if (!route) return error(404, 'Not Found');
      const repo = repos.get(`${route[1]}/${route[2]}`.toLowerCase());
      if (!repo) return error(404, 'Not Found');

      if (req.method === 'GET' && route[3]) {
        if (perms.attestations === 'none') return error(403, 'Resource not accessible by integration');
        const digest = decodeURIComponent(route[3]);
        const wanted = url.searchParams.get('predicate_type');
        const types = wanted ? [PREDICATE_ALIASES[wanted] ?? wanted].flat() : undefined;
        const perPage = Math.min(Number(url.searchParams.get('per_page') ?? 30), 100);
        const base = `http://${req.headers.host}`;
        const found = stored
          .filter((s) => s.repo === repo.name && s.digests.includes(digest))
          .filter((s) => !types || types.some((t) => s.predicateType === t || s.predicateType.startsWith(`${t}/`)))
          .slice(0, perPage);
        // `initiator: user` marks attestations made through this API (gh keeps only those).
        return answer(200, {
          attestations: found.map((s) => ({ bundle: s.bundle, repository_id: repo.id, bundle_url: `${base}/_bundles/${s.id}`, initiator: 'user' })),
        });
      }
      if (req.method !== 'POST' || route[3]) return error(404, 'Not Found');

      if (perms.attestations !== 'write') {
        return error(403, 'Resource not accessible by integration', { headers: { 'x-accepted-github-permissions': 'attestations=write' } });
      }
      if (repo.userPrivate) return error(422, 'Feature not available for user-owned private repositories. To enable this feature, please make this repository public.');
      if (!/^application\/json\b/.test(String(req.headers['content-type'] ?? ''))) return error(415, 'Unsupported Media Type: send application/json');
      if (size > MAX_BODY_BYTES) return error(413, `Request body over ${MAX_BODY_BYTES} bytes`);
      try {
        parsed = JSON.parse(raw.toString('utf8'));
      } catch {
        return error(400, 'Problems parsing JSON');
      }
      const problem = bundleProblem(parsed);
      if (problem)
        return error(422, 'Validation Failed', { body: { errors: [{ resource: 'Attestation', field: 'bundle', code: 'invalid', message: problem.message }] } });
      const id = nextId++;
      stored.push({ id, repo: repo.name, bundle: parsed.bundle, digests: subjectDigests(parsed.bundle), predicateType: statementOf(parsed.bundle).predicateType });
      return answer(201, { id });
    });
  });
  await new Promise((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    stored,
    /** The next `times` requests (of `method`, if given) get `status`. */
    fail(status, { times = 1, method, headers, body } = {}) {
      faults.push({ status, times, method, headers, body });
    },
    clearFaults() {
      faults.length = 0;
    },
    setToken(token, perms) {
      tokens.set(token, perms);
    },
    /** Lets the process exit while the server is still open (a shared default instance). */
    unref() {
      server.unref();
    },
    close: () => new Promise((resolve) => server.close(() => resolve(undefined))),
  };
}

// Why a create request's body is not what the store takes, or undefined.
// The REST description names bundle.{mediaType, verificationMaterial,
// dsseEnvelope}; GitHub indexes attestations by the subjects of the in-toto
// statement, so a bundle without a DSSE statement is refused.
export function bundleProblem(body) {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { message: 'the body must be a JSON object' };
  const b = body.bundle;
  if (typeof b !== 'object' || b === null || Array.isArray(b)) return { message: 'bundle is required and must be an object' };
  if (b.mediaType !== BUNDLE_V03) return { message: `bundle.mediaType must be ${BUNDLE_V03}, got ${JSON.stringify(b.mediaType)}` };
  try {
    bundleFromJSON(b);
  } catch (err) {
    return { message: `not a Sigstore bundle: ${err instanceof Error ? err.message : String(err)}${Array.isArray(err?.fields) ? ` (${err.fields.join(', ')})` : ''}` };
  }
  const vm = b.verificationMaterial;
  if (!vm?.certificate?.rawBytes && !vm?.publicKey) return { message: 'a v0.3 bundle carries verificationMaterial.certificate (or publicKey)' };
  if (!(vm.tlogEntries?.length > 0) && !(vm.timestampVerificationData?.rfc3161Timestamps?.length > 0)) {
    return { message: 'verificationMaterial has neither a transparency log entry nor a signed timestamp' };
  }
  if (b.messageSignature) return { message: 'bundle.messageSignature has no statement to index: the store takes DSSE bundles (bundle.dsseEnvelope)' };
  const env = b.dsseEnvelope;
  if (!env) return { message: 'bundle.dsseEnvelope is required' };
  if (env.payloadType !== 'application/vnd.in-toto+json')
    return { message: `dsseEnvelope.payloadType must be application/vnd.in-toto+json, got ${JSON.stringify(env.payloadType)}` };
  if (!Array.isArray(env.signatures) || env.signatures.length === 0 || !env.signatures.every((s) => typeof s.sig === 'string' && s.sig)) {
    return { message: 'dsseEnvelope.signatures must hold at least one signature' };
  }
  let stmt;
  try {
    stmt = statementOf(b);
  } catch {
    return { message: 'dsseEnvelope.payload is not a base64 in-toto statement' };
  }
  if (stmt._type !== 'https://in-toto.io/Statement/v1') return { message: `statement _type must be https://in-toto.io/Statement/v1, got ${JSON.stringify(stmt._type)}` };
  if (typeof stmt.predicateType !== 'string' || !stmt.predicateType) return { message: 'statement has no predicateType' };
  if (subjectDigests(b).length === 0) return { message: 'statement has no subject with a sha256 digest' };
  return undefined;
}

function statementOf(bundle) {
  return JSON.parse(Buffer.from(bundle.dsseEnvelope.payload, 'base64').toString('utf8'));
}

function subjectDigests(bundle) {
  const stmt = statementOf(bundle);
  return (Array.isArray(stmt.subject) ? stmt.subject : [])
    .map((s) => s?.digest?.sha256)
    .filter((h) => /^[0-9a-f]{64}$/.test(h ?? ''))
    .map((h) => `sha256:${h}`);
}

// Snappy block format with literals only (a valid, uncompressed encoding):
// the varint length, then literal chunks of at most 64 KiB, each tagged 0b00
// with its length - 1 in the next 2 bytes (tag 61 << 2).
export function snappyLiteral(data) {
  const parts = [];
  const head = [];
  let n = data.length;
  do {
    head.push((n & 0x7f) | (n > 0x7f ? 0x80 : 0));
    n >>>= 7;
  } while (n > 0);
  parts.push(Buffer.from(head));
  for (let i = 0; i < data.length; i += 65536) {
    const chunk = data.subarray(i, i + 65536);
    const len = chunk.length - 1;
    parts.push(Buffer.from([61 << 2, len & 0xff, len >> 8]), chunk);
  }
  return Buffer.concat(parts);
}
