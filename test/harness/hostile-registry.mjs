// A registry that answers the OCI distribution endpoints with hostile
// content, for tests that prove every read of the client is bounded. Each
// scenario is a repository, `<scenario>/app`, whose image is a small valid
// manifest; what is hostile is what hangs off it:
//   huge-manifest          the image manifest itself is `big` bytes, chunked (no Content-Length)
//   huge-manifest-length   the same with an honest Content-Length
//   huge-sig               a .sig layer whose descriptor says 600 bytes; the blob streams `big` bytes
//   huge-sig-declared      a .sig layer whose descriptor declares `big` bytes (and the blob streams them)
//   huge-sig-tag           the .sig and .att tags are `big`-byte manifests (what a signer appends to)
//   huge-bundle            one bundle referrer whose bundle blob streams `big` bytes
//   huge-referrers         the referrers API answers with a `big`-byte index
//   huge-fallback          no referrers API; the sha256-<hex> fallback index tag is `big` bytes
//   many-sig               a .sig manifest with `count` distinct layers (each a small blob)
//   heavy-sig              a .sig manifest of 600 layers each declaring 1 MiB (no blob behind them)
//   many-referrers         the referrers API lists `count` bundle referrers (each listed twice)
//   many-platforms         the image is an index listing `count` platform images
//   redirect-loop          every manifest GET redirects to itself
// Uploads (monolithic blob POST+PUT, manifest PUT) are accepted and stored,
// so the signing side can be pointed at it too. Plain JS so both jest tests and ad-hoc measurement scripts can start it.
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const SIMPLE_SIGNING = 'application/vnd.dev.cosign.simplesigning.v1+json';
const BUNDLE = 'application/vnd.dev.sigstore.bundle.v0.3+json';

const sha256 = (bytes) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
const digestTag = (digest, suffix = '') => `${digest.replace(':', '-')}${suffix}`;

export const SCENARIOS = [
  'huge-manifest',
  'huge-manifest-length',
  'huge-sig',
  'huge-sig-declared',
  'huge-sig-tag',
  'huge-bundle',
  'huge-referrers',
  'huge-fallback',
  'many-sig',
  'heavy-sig',
  'many-referrers',
  'many-platforms',
  'redirect-loop',
];

// big: bytes of every hostile body; count: items in the many-* scenarios.
export async function startHostileRegistry({ big = 1024 ** 3, count = 5000 } = {}) {
  const manifests = new Map(); // `${repo}|${ref}` -> { bytes, type }
  const blobs = new Map(); // digest -> Buffer
  const huge = new Map(); // `${repo}|${kind}|${ref}` -> { type?, length? }
  const stats = { requests: 0, inFlight: 0, maxInFlight: 0, bytesSent: 0, byPath: new Map() };

  const putManifest = (repo, m, type, ...refs) => {
    const bytes = Buffer.from(JSON.stringify(m));
    const digest = sha256(bytes);
    for (const ref of [digest, ...refs]) manifests.set(`${repo}|${ref}`, { bytes, type });
    return { digest, size: bytes.length };
  };
  const putBlob = (bytes) => {
    const digest = sha256(bytes);
    blobs.set(digest, bytes);
    return { digest, size: bytes.length };
  };

  const config = putBlob(Buffer.from('{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}'));
  const images = {};
  for (const scenario of SCENARIOS) {
    const repo = `${scenario}/app`;
    const image = putManifest(
      repo,
      { schemaVersion: 2, mediaType: OCI_MANIFEST, config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config }, layers: [], annotations: { scenario } },
      OCI_MANIFEST,
      'latest',
    );
    images[scenario] = { repo, digest: image.digest, size: image.size };
  }
  const imageOf = (s) => images[s];
  {
    // Replaces the scenario's image by an index whose entries all name one platform image.
    const repo = 'many-platforms/app';
    const platform = { mediaType: OCI_MANIFEST, ...images['many-platforms'], platform: { os: 'linux', architecture: 'amd64' } };
    delete platform.repo;
    const index = putManifest(repo, { schemaVersion: 2, mediaType: OCI_INDEX, manifests: Array(count).fill(platform) }, OCI_INDEX, 'latest');
    images['many-platforms'] = { repo, ...index };
  }

  // Hostile bodies, by scenario.
  // The huge image manifests answer both the tag and the digest.
  for (const ref of ['latest', imageOf('huge-manifest').digest]) huge.set(`huge-manifest/app|manifests|${ref}`, { type: OCI_MANIFEST });
  for (const ref of ['latest', imageOf('huge-manifest-length').digest]) huge.set(`huge-manifest-length/app|manifests|${ref}`, { type: OCI_MANIFEST, length: big });

  const fakeDigest = (seed) => sha256(Buffer.from(`hostile ${seed}`));
  const sigLayer = (digest, size, i) => ({
    mediaType: SIMPLE_SIGNING,
    digest,
    size,
    annotations: { 'dev.cosignproject.cosign/signature': Buffer.from(`sig ${i}`).toString('base64') },
  });
  const sigManifest = (layers) => ({ schemaVersion: 2, mediaType: OCI_MANIFEST, config: { mediaType: 'application/vnd.oci.image.config.v1+json', ...config }, layers });

  for (const [scenario, declared] of [
    ['huge-sig', 600],
    ['huge-sig-declared', big],
  ]) {
    const { repo, digest } = imageOf(scenario);
    const layerDigest = fakeDigest(scenario);
    // The honest one also announces its length.
    huge.set(`${repo}|blobs|${layerDigest}`, declared === big ? { length: big } : {});
    putManifest(repo, sigManifest([sigLayer(layerDigest, declared, 0)]), OCI_MANIFEST, digestTag(digest, '.sig'));
  }

  {
    const { repo, digest } = imageOf('many-sig');
    const layers = [];
    for (let i = 0; i < count; i++) {
      const blob = putBlob(Buffer.from(`{"critical":{"image":{"docker-manifest-digest":"${digest}"}},"optional":{"n":${i}}}`));
      layers.push(sigLayer(blob.digest, blob.size, i));
    }
    putManifest(repo, sigManifest(layers), OCI_MANIFEST, digestTag(digest, '.sig'));
  }

  {
    const { repo, digest } = imageOf('heavy-sig');
    const layers = Array.from({ length: 600 }, (_, i) => sigLayer(fakeDigest(`heavy ${i}`), 1024 * 1024, i));
    putManifest(repo, sigManifest(layers), OCI_MANIFEST, digestTag(digest, '.sig'));
  }

  const emptyConfig = putBlob(Buffer.from('{}'));
  const referrer = (repo, subject, bundle, i) => {
    const m = {
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      artifactType: BUNDLE,
      config: { mediaType: 'application/vnd.oci.empty.v1+json', ...emptyConfig },
      layers: [{ mediaType: BUNDLE, ...bundle }],
      subject: { mediaType: OCI_MANIFEST, digest: subject.digest, size: subject.size },
      annotations: { 'dev.sigstore.bundle.predicateType': 'https://slsa.dev/provenance/v1', n: String(i) },
    };
    const put = putManifest(repo, m, OCI_MANIFEST);
    return { mediaType: OCI_MANIFEST, artifactType: BUNDLE, ...put, annotations: m.annotations };
  };
  const referrersIndex = new Map(); // `${repo}|${subject digest}` -> index bytes

  {
    const image = imageOf('huge-bundle');
    const bundleDigest = fakeDigest('huge-bundle');
    huge.set(`${image.repo}|blobs|${bundleDigest}`, {});
    const d = referrer(image.repo, image, { digest: bundleDigest, size: 2000 }, 0);
    referrersIndex.set(`${image.repo}|${image.digest}`, Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [d] })));
  }
  {
    const image = imageOf('many-referrers');
    const bundle = putBlob(Buffer.from('{"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json"}'));
    const listed = [];
    for (let i = 0; i < count; i++) {
      const d = referrer(image.repo, image, bundle, i);
      listed.push(d, d);
    }
    referrersIndex.set(`${image.repo}|${image.digest}`, Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: listed })));
  }
  for (const suffix of ['.sig', '.att']) huge.set(`huge-sig-tag/app|manifests|${digestTag(imageOf('huge-sig-tag').digest, suffix)}`, { type: OCI_MANIFEST });
  huge.set(`huge-referrers/app|referrers|${imageOf('huge-referrers').digest}`, { type: OCI_INDEX });
  huge.set(`huge-fallback/app|manifests|${digestTag(imageOf('huge-fallback').digest)}`, { type: OCI_INDEX });

  const server = createServer((req, res) => {
    stats.requests++;
    stats.inFlight++;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    let done = false;
    const finish = () => {
      if (!done) stats.inFlight--;
      done = true;
    };
    res.on('close', finish);
    const url = new URL(req.url ?? '/', 'http://registry');
    stats.byPath.set(url.pathname, (stats.byPath.get(url.pathname) ?? 0) + 1);
    // A small delay makes requests overlap, so a concurrency bound shows.
    setTimeout(() => answer(req, res, url), 2);
  });

  function answer(req, res, url) {
    if (url.pathname === '/v2/') return res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    if (req.method === 'POST' || req.method === 'PUT') return upload(req, res, url);
    const m = /^\/v2\/(.+)\/(manifests|blobs|referrers)\/([^/]+)$/.exec(url.pathname);
    if (!m) return notFound(res);
    const [, repo, kind, ref] = m;
    if (repo.startsWith('redirect-loop/') && kind === 'manifests') {
      return res.writeHead(302, { location: url.pathname }).end();
    }
    const hostile = huge.get(`${repo}|${kind}|${ref}`);
    if (hostile) return streamHuge(req, res, hostile);
    if (kind === 'manifests') {
      const found = manifests.get(`${repo}|${ref}`);
      if (!found) return notFound(res);
      res.writeHead(200, { 'content-type': found.type, 'docker-content-digest': sha256(found.bytes), 'content-length': found.bytes.length });
      return res.end(req.method === 'HEAD' ? undefined : found.bytes);
    }
    if (kind === 'blobs') {
      const bytes = blobs.get(ref);
      if (!bytes) return notFound(res);
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': bytes.length });
      return res.end(req.method === 'HEAD' ? undefined : bytes);
    }
    const index = referrersIndex.get(`${repo}|${ref}`) ?? Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [] }));
    // huge-fallback has no referrers API (distribution 2.8 answers 404).
    if (repo.startsWith('huge-fallback/')) return notFound(res);
    res.writeHead(200, { 'content-type': OCI_INDEX, 'content-length': index.length });
    return res.end(index);
  }

  function upload(req, res, url) {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const start = /^\/v2\/(.+)\/blobs\/uploads\/$/.exec(url.pathname);
      if (req.method === 'POST' && start) return res.writeHead(202, { location: `/v2/${start[1]}/blobs/uploads/${Math.random().toString(16).slice(2)}` }).end();
      if (/\/blobs\/uploads\/[^/]+$/.test(url.pathname)) {
        const blob = putBlob(body);
        if (blob.digest !== url.searchParams.get('digest')) return res.writeHead(400).end('{"errors":[{"code":"DIGEST_INVALID"}]}');
        return res.writeHead(201, { 'docker-content-digest': blob.digest }).end();
      }
      const put = /^\/v2\/(.+)\/manifests\/([^/]+)$/.exec(url.pathname);
      if (req.method === 'PUT' && put) {
        const digest = sha256(body);
        for (const ref of [digest, put[2]]) manifests.set(`${put[1]}|${ref}`, { bytes: body, type: req.headers['content-type'] ?? OCI_MANIFEST });
        return res.writeHead(201, { 'docker-content-digest': digest }).end();
      }
      notFound(res);
    });
  }

  // Streams `big` bytes of JSON-looking filler, honouring backpressure, and
  // stops as soon as the client goes away.
  function streamHuge(req, res, { type, length }) {
    const headers = { 'content-type': type ?? 'application/octet-stream' };
    if (length !== undefined) headers['content-length'] = String(length);
    res.writeHead(200, headers);
    if (req.method === 'HEAD') return res.end();
    // A JSON prefix whose string never closes: a parser must see it all.
    const filler = Buffer.alloc(64 * 1024, 0x78);
    const first = Buffer.from(filler);
    Buffer.from('{"schemaVersion":2,"annotations":{"x":"').copy(first);
    let sent = 0;
    const pump = () => {
      while (sent < big && !res.destroyed) {
        const chunk = sent === 0 ? first : filler;
        const n = Math.min(chunk.length, big - sent);
        sent += n;
        stats.bytesSent += n;
        if (!res.write(n === chunk.length ? chunk : chunk.subarray(0, n))) return res.once('drain', pump);
      }
      if (!res.destroyed) res.end();
    };
    res.on('close', () => res.removeAllListeners('drain'));
    pump();
  }

  const notFound = (res) => res.writeHead(404, { 'content-type': 'application/json' }).end('{"errors":[{"code":"MANIFEST_UNKNOWN","message":"not found"}]}');

  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const host = `127.0.0.1:${server.address().port}`;
  return {
    host,
    // `host/<scenario>/app@sha256:...` for each scenario.
    image: (scenario) => ({ ...images[scenario], ref: `${host}/${images[scenario].repo}@${images[scenario].digest}` }),
    stats: () => ({ ...stats, byPath: new Map(stats.byPath) }),
    resetStats: () => Object.assign(stats, { requests: 0, maxInFlight: stats.inFlight, bytesSent: 0, byPath: new Map() }),
    close: async () => {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}
