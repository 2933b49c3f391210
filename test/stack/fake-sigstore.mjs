#!/usr/bin/env node
// Offline stand-in for GitHub's OIDC token endpoint, Fulcio, Rekor v1, a TSA
// and a TUF mirror, all on one 127.0.0.1 port. See test/stack/README.md.
//
//   node test/stack/fake-sigstore.mjs --state-dir DIR [--port 0]
//     [--issuer URL] [--claims FILE] [--request-token T] [--rekor-prefill N]
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import path from 'node:path';
import { parseArgs } from 'node:util';
import * as jose from 'jose';
import { fulcioHandler, initializeCA, initializeCTLog, initializeTSA, tsaHandler } from '@sigstore/mock';
import { HashAlgorithm, PublicKeyDetails, ServiceSelector, SigningConfig, TrustedRoot } from '@sigstore/protobuf-specs';
import { HttpError, RekorLog, verifyMessage } from './rekor.mjs';
import { buildTufRepo } from './tuf.mjs';
import { parseTimeStampReq } from './tsq.mjs';

const { values: args } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    'state-dir': { type: 'string' },
    issuer: { type: 'string', default: 'https://token.actions.githubusercontent.com' },
    claims: { type: 'string' },
    'request-token': { type: 'string', default: 'fake-request-token' },
    'rekor-prefill': { type: 'string', default: '0' },
    'issuer-tls-cert': { type: 'string' },
    'issuer-tls-key': { type: 'string' },
  },
});
if (!args['state-dir']) {
  console.error('usage: fake-sigstore.mjs --state-dir DIR [--port N] [--issuer URL] [--claims FILE] [--request-token T] [--rekor-prefill N]');
  process.exit(2);
}
const stateDir = path.resolve(args['state-dir']);
const issuer = args.issuer;
const requestToken = args['request-token'];

// Trust material must predate every signature it is asked to vouch for.
const VALID_FROM = new Date('2020-01-01T00:00:00Z');
const WORKFLOW_REF = 'octo-org/octo-repo/.github/workflows/release.yml@refs/heads/main';
const SHA = '5b3c1c7f0a9d4e2b8f6a1d3c5e7f9a0b2c4d6e8f';
const SAN_CLAIM = 'x_fulcio_san';

// GitHub's claim set for a push to main (all values are strings, as GitHub's are).
const DEFAULT_CLAIMS = {
  sub: 'repo:octo-org/octo-repo:ref:refs/heads/main',
  ref: 'refs/heads/main',
  ref_type: 'branch',
  ref_protected: 'true',
  sha: SHA,
  repository: 'octo-org/octo-repo',
  repository_owner: 'octo-org',
  repository_owner_id: '1000001',
  repository_id: '2000002',
  repository_visibility: 'public',
  run_id: '3000003',
  run_number: '7',
  run_attempt: '1',
  actor: 'octocat',
  actor_id: '583231',
  workflow: 'Release',
  workflow_ref: WORKFLOW_REF,
  workflow_sha: SHA,
  job_workflow_ref: WORKFLOW_REF,
  job_workflow_sha: SHA,
  event_name: 'push',
  runner_environment: 'github-hosted',
  head_ref: '',
  base_ref: '',
};
const baseClaims = { ...DEFAULT_CLAIMS, ...(args.claims ? JSON.parse(fs.readFileSync(args.claims, 'utf8')) : {}) };
let claims = { ...baseClaims };

// ---------- keys and mock building blocks ----------

const ecKey = () => crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const oidcKey = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const oidcJwk = { ...(await jose.exportJWK(oidcKey.publicKey)), alg: 'RS256', use: 'sig' };
oidcJwk.kid = await jose.calculateJwkThumbprint(oidcJwk);

const ctlog = await initializeCTLog(ecKey());
const ca = await initializeCA(ecKey(), ctlog);
// The mock CA takes the SAN from the claim we name; we set it from job_workflow_ref.
const fulcio = fulcioHandler(ca, { subjectClaim: SAN_CLAIM });
const tsa = await initializeTSA(ecKey());
// @sigstore/core parses genTime only with 0 or 3 fractional digits; DER-minimal
// fractions such as ".1Z" fail about one time in ten, so stamp whole seconds.
tsa.getCurrentTime = () => new Date(Math.floor(Date.now() / 1000) * 1000);
const tsaIssue = tsaHandler(tsa);
// The mock writes the nonce as a JS number (it only knows the JSON form's);
// echo a DER request's nonce byte for byte, whatever its size, or omit it.
const mockTstInfo = tsa.tstInfo.bind(tsa);
tsa.tstInfo = (req) => {
  if (!('nonceDER' in req)) return mockTstInfo(req);
  const info = mockTstInfo({ ...req, nonce: 0 });
  const Integer = info.serialNumber.constructor; // asn1js.Integer, reached without importing it
  info.nonce = req.nonceDER ? new Integer({ valueHex: req.nonceDER }) : undefined;
  return info;
};

// ---------- test hooks: stats and failure injection ----------

const STAT_KEYS = ['token', 'oidc', 'fulcio', 'rekorPost', 'rekorGet', 'rekorLog', 'tsa', 'trust', 'tuf'];
const FAMILY = { rekorPost: 'rekor', rekorGet: 'rekor', rekorLog: 'rekor', oidc: 'token' };
const zeroStats = () => Object.fromEntries(STAT_KEYS.map((k) => [k, 0]));
let stats = zeroStats();
const failures = new Map(); // service → {status?, mode?, remaining}

function setFailure({ service, status, count, mode = 'error' } = {}) {
  const services = new Set([...STAT_KEYS, ...Object.values(FAMILY)]);
  if (service === 'all' && mode === 'clear') return failures.clear();
  if (!services.has(service)) throw new HttpError(400, `service must be one of ${[...services].join(', ')} (or all with mode clear)`);
  if (mode === 'clear') return failures.delete(service);
  if (!['error', 'down', 'hang'].includes(mode)) throw new HttpError(400, 'mode must be error, down, hang or clear');
  if (mode === 'error' && !(status >= 400 && status <= 599)) throw new HttpError(400, 'mode error needs a 4xx/5xx status');
  failures.set(service, { status, mode, remaining: count ?? Infinity });
}

/** Consumes and returns the failure rule that applies to this request, if any. */
function takeFailure(stat) {
  const key = failures.has(stat) ? stat : (FAMILY[stat] ?? stat);
  const rule = failures.get(key);
  if (!rule) return undefined;
  if (--rule.remaining <= 0) failures.delete(key);
  return rule;
}

// ---------- services ----------

async function issueToken(req, url) {
  if (req.headers.authorization !== `Bearer ${requestToken}`) {
    throw new HttpError(401, 'invalid or missing request token');
  }
  const now = Math.floor(Date.now() / 1000);
  const audience = url.searchParams.get('audience') ?? `https://github.com/${claims.repository_owner}`;
  const payload = { jti: crypto.randomUUID(), iss: issuer, aud: audience, iat: now, nbf: now - 5, exp: now + 600, ...claims };
  const value = await new jose.SignJWT(payload).setProtectedHeader({ alg: 'RS256', kid: oidcJwk.kid, typ: 'JWT' }).sign(oidcKey.privateKey);
  return { json: { count: 1, value } };
}

const grpcError = (status, code, message) => Object.assign(new HttpError(status, message), { code });

// Like real Fulcio, the token comes from the request's credentials or, as
// sigstore-go (cosign v3) sends it, from an `Authorization: Bearer` header.
const bearer = (req) => /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];

async function signingCert(body, req) {
  const request = parseJSON(body);
  let verified;
  try {
    ({ payload: verified } = await jose.jwtVerify(request?.credentials?.oidcIdentityToken ?? bearer(req) ?? '', oidcKey.publicKey, {
      issuer,
      audience: 'sigstore',
      algorithms: ['RS256'],
    }));
  } catch (e) {
    throw grpcError(401, 16, `There was an error processing the identity token: ${e.message}`);
  }
  if (!verified.job_workflow_ref) throw grpcError(400, 3, 'token has no job_workflow_ref claim');
  const keyRequest = request.publicKeyRequest;
  if (keyRequest) {
    let ok = false;
    try {
      const key = crypto.createPublicKey(keyRequest.publicKey.content);
      ok = verifyMessage(key, Buffer.from(String(verified.sub)), Buffer.from(keyRequest.proofOfPossession, 'base64'));
    } catch {
      // fall through: malformed key or signature
    }
    if (!ok) throw grpcError(400, 3, 'The signature supplied in the request could not be verified');
  }
  // The mock only decodes the token, so hand it an unsigned one with our SAN.
  const enc = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const token = `${enc({ alg: 'none' })}.${enc({ ...verified, [SAN_CLAIM]: `https://github.com/${verified.job_workflow_ref}` })}.`;
  const out = await fulcio.fn(JSON.stringify({ ...request, credentials: { oidcIdentityToken: token } }));
  if (out.statusCode !== 201) throw grpcError(400, 3, String(out.response));
  // The mock writes each PEM on one line; real Fulcio uses Go's encoding/pem
  // (64-column lines), and clients pass that text on to Rekor and cosign.
  const response = JSON.parse(out.response);
  const chain = response.signedCertificateEmbeddedSct.chain;
  chain.certificates = chain.certificates.map((c) => new crypto.X509Certificate(c).toString());
  // Fulcio's v2 API answers 200 (only the legacy v1 API says 201); sigstore-go insists on 200.
  return { status: 200, json: response };
}

// Fulcio's legacy v1 API, which cosign v2 still calls: the same issuance with
// the key and proof under their old names (the key as base64 PEM), answered
// 201 with the chain as PEM text (an embedded SCT, so no SCT header).
async function legacySigningCert(body, req) {
  const legacy = parseJSON(body);
  const key = legacy?.certificateSigningRequest
    ? { certificateSigningRequest: legacy.certificateSigningRequest }
    : {
        publicKeyRequest: {
          publicKey: { algorithm: legacy?.publicKey?.algorithm, content: Buffer.from(String(legacy?.publicKey?.content ?? ''), 'base64').toString('utf8') },
          proofOfPossession: legacy?.signedEmailAddress,
        },
      };
  const out = await signingCert(Buffer.from(JSON.stringify(key)), req);
  const pems = out.json.signedCertificateEmbeddedSct.chain.certificates.map((c) => c.trim());
  return { status: 201, body: pems.join('\n'), type: 'application/pem-certificate-chain' };
}

async function timestamp(body, req) {
  // Like the real timestamp authority: a DER TimeStampReq or its JSON form.
  if (req.headers['content-type'] === 'application/timestamp-query') {
    let tsq;
    try {
      tsq = parseTimeStampReq(body);
    } catch (e) {
      throw new HttpError(400, `invalid timestamp request: ${e.message}`);
    }
    const { nonce, ...rest } = tsq;
    const reply = await tsa.timestamp({ policyOID: '1.3.6.1.4.1.57264.2', ...rest, nonceDER: nonce });
    return { status: 201, body: reply, type: 'application/timestamp-reply' };
  }
  const out = await tsaIssue.fn(body);
  if (out.statusCode !== 201) throw new HttpError(400, String(out.response));
  return { status: 201, body: out.response, type: 'application/timestamp-reply' };
}

function parseJSON(body) {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    throw new HttpError(400, 'request body is not valid JSON');
  }
}

const pemCert = (der) =>
  `-----BEGIN CERTIFICATE-----\n${der
    .toString('base64')
    .match(/.{1,64}/g)
    .join('\n')}\n-----END CERTIFICATE-----\n`;

// ---------- routing ----------

let rekor; // created once the port (the checkpoint signer name) is known
let trustedRootJSON;
let signingConfigJSON;
let tufFiles;

function entryResponse(entry, status = 200) {
  return {
    status,
    json: rekor.render(entry),
    headers: { ETag: entry.uuid, Location: `/api/v1/log/entries/${entry.uuid}` },
  };
}

// [method, path (string or RegExp), stat key | null for hooks, handler(ctx)]
const ROUTES = [
  ['GET', '/_apis/actions/oidc/token', 'token', ({ req, url }) => issueToken(req, url)],
  [
    'GET',
    '/.well-known/openid-configuration',
    'oidc',
    ({ base }) => ({
      json: {
        issuer,
        jwks_uri: `${base}/.well-known/jwks`,
        subject_types_supported: ['public', 'pairwise'],
        response_types_supported: ['id_token'],
        id_token_signing_alg_values_supported: ['RS256'],
        claims_supported: ['sub', 'aud', 'exp', 'iat', 'iss', 'jti', 'nbf', ...Object.keys(DEFAULT_CLAIMS)],
        scopes_supported: ['openid'],
      },
    }),
  ],
  ['GET', '/.well-known/jwks', 'oidc', () => ({ json: { keys: [oidcJwk] } })],
  ['POST', '/api/v2/signingCert', 'fulcio', ({ body, req }) => signingCert(body, req)],
  ['POST', '/api/v1/signingCert', 'fulcio', ({ body, req }) => legacySigningCert(body, req)],
  ['GET', '/api/v2/trustBundle', 'fulcio', () => ({ json: { chains: [{ certificates: [pemCert(ca.rootCertificate)] }] } })],
  ['POST', '/api/v1/log/entries', 'rekorPost', ({ body }) => entryResponse(rekor.add(parseJSON(body)), 201)],
  [
    'GET',
    '/api/v1/log/entries',
    'rekorGet',
    ({ url }) => {
      const raw = url.searchParams.get('logIndex');
      if (raw === null || !/^\d+$/.test(raw)) throw new HttpError(400, 'logIndex query parameter is required');
      const entry = rekor.byIndex(Number(raw));
      if (!entry) throw new HttpError(404, `no entry at logIndex ${raw}`);
      return entryResponse(entry);
    },
  ],
  [
    'GET',
    /^\/api\/v1\/log\/entries\/([0-9a-fA-F]{64}|[0-9a-fA-F]{80})$/,
    'rekorGet',
    ({ match }) => {
      const entry = rekor.byUUID(match[1]);
      if (!entry) throw new HttpError(404, `no entry with UUID ${match[1]}`);
      return entryResponse(entry);
    },
  ],
  ['GET', '/api/v1/log', 'rekorLog', () => ({ json: rekor.info() })],
  ['GET', '/api/v1/log/publicKey', 'rekorLog', () => ({ body: rekor.publicKeyPEM, type: 'application/x-pem-file' })],
  ['POST', '/api/v1/timestamp', 'tsa', ({ body, req }) => timestamp(body, req)],
  [
    'GET',
    '/api/v1/timestamp/certchain',
    'tsa',
    () => ({
      body: pemCert(tsa.intCertificate) + pemCert(tsa.rootCertificate),
      type: 'application/pem-certificate-chain',
    }),
  ],
  ['GET', '/trusted_root.json', 'trust', () => ({ body: trustedRootJSON, type: 'application/json' })],
  ['GET', '/signing_config.json', 'trust', () => ({ body: signingConfigJSON, type: 'application/json' })],
  [
    'GET',
    /^\/tuf\/(.+)$/,
    'tuf',
    ({ match }) => {
      const file = tufFiles.get(match[1]);
      if (!file) throw new HttpError(404, 'not found');
      return { body: file, type: 'application/json' };
    },
  ],
  ['GET', '/__stats', null, () => ({ json: stats })],
  [
    'POST',
    '/__stats/reset',
    null,
    () => {
      stats = zeroStats();
      return { json: stats };
    },
  ],
  [
    'POST',
    '/__fail',
    null,
    ({ body }) => {
      setFailure(parseJSON(body));
      return { json: Object.fromEntries(failures) };
    },
  ],
  // Merged into the current claims; a null value removes that claim.
  [
    'POST',
    '/__claims',
    null,
    ({ body }) => {
      for (const [k, v] of Object.entries(parseJSON(body))) {
        if (v === null) delete claims[k];
        else claims[k] = v;
      }
      return { json: claims };
    },
  ],
  // The real-services launcher hands over the real trusted root: serve it, and a
  // new TUF repository for it (a new TUF root, rewritten to tuf-root.json).
  [
    'POST',
    '/__trusted-root',
    null,
    ({ body }) => {
      parseJSON(body);
      trustedRootJSON = body;
      tufFiles = buildTufRepo({ 'trusted_root.json': trustedRootJSON, 'signing_config.v0.2.json': signingConfigJSON });
      fs.writeFileSync(config.trustedRoot, trustedRootJSON);
      fs.writeFileSync(config.tufRootPath, tufFiles.get('root.json'));
      return { json: { trustedRoot: config.trustedRoot, tufRootPath: config.tufRootPath } };
    },
  ],
  // ... and the real signing config, served from the next TUF repository built.
  [
    'POST',
    '/__signing-config',
    null,
    ({ body }) => {
      parseJSON(body);
      signingConfigJSON = body;
      return { json: {} };
    },
  ],
  [
    'POST',
    '/__claims/reset',
    null,
    () => {
      claims = { ...baseClaims };
      return { json: claims };
    },
  ],
];

function route(method, pathname) {
  for (const [m, p, stat, handler] of ROUTES) {
    const match = typeof p === 'string' ? pathname === p && [p] : pathname.match(p);
    if (match && m === method) return { stat, handler, match };
  }
  return undefined;
}

function send(res, status, body, type, headers = {}) {
  res.writeHead(status, { 'Content-Type': type, ...headers });
  res.end(body);
}

async function handle(req, res) {
  const url = new URL(req.url, base);
  const found = route(req.method, url.pathname);
  if (!found) return send(res, 404, JSON.stringify({ code: 404, message: 'not found' }), 'application/json');
  if (found.stat) {
    stats[found.stat]++;
    const failure = takeFailure(found.stat);
    if (failure?.mode === 'down') return req.socket.destroy();
    if (failure?.mode === 'hang') return;
    if (failure) {
      return send(res, failure.status, JSON.stringify({ code: failure.status, message: 'injected failure' }), 'application/json');
    }
  }
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  try {
    const out = await found.handler({ req, url, base, match: found.match, body: Buffer.concat(chunks) });
    if (out.json !== undefined) send(res, out.status ?? 200, JSON.stringify(out.json), 'application/json', out.headers);
    else send(res, out.status ?? 200, out.body, out.type, out.headers);
  } catch (e) {
    if (!(e instanceof HttpError)) {
      console.error(e);
      return send(res, 500, JSON.stringify({ code: 500, message: String(e?.message ?? e) }), 'application/json');
    }
    send(res, e.status, JSON.stringify({ code: e.code ?? e.status, message: e.message }), 'application/json', e.headers);
  }
}

// ---------- startup ----------

const server = http.createServer((req, res) => {
  handle(req, res).catch((e) => {
    console.error(e);
    res.destroy();
  });
});
// Node closes idle keep-alive sockets after 5 s, about when fetch clients
// (told "timeout=5") stop reusing them; on a loaded machine a request then
// meets a socket closing under it ("other side closed"). Test runs rarely
// leave a client idle for 30 s, so that race all but disappears.
server.keepAliveTimeout = 30_000;
await new Promise((resolve, reject) => {
  server.once('error', reject);
  server.listen(Number(args.port), '127.0.0.1', resolve);
});
const host = `127.0.0.1:${server.address().port}`;
const base = `http://${host}`;

// With --issuer-tls-cert/--issuer-tls-key: the issuer's own https origin (e.g.
// GitHub's), served here and reached through an HTTP CONNECT proxy, so a real
// Fulcio (HTTPS_PROXY=issuerProxyURL) fetches discovery from the issuer URL itself.
let issuerProxyURL = null;
if (args['issuer-tls-cert'] && args['issuer-tls-key']) {
  const tlsServer = https.createServer({ cert: fs.readFileSync(args['issuer-tls-cert']), key: fs.readFileSync(args['issuer-tls-key']) }, (req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  const issuerURL = new URL(issuer);
  const authority = `${issuerURL.hostname}:${issuerURL.port || 443}`;
  const proxy = http.createServer((_req, res) => res.writeHead(405).end());
  proxy.on('connect', (req, socket, head) => {
    if (req.url !== authority) return socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
    const upstream = net.connect(tlsServer.address().port, '127.0.0.1', () => {
      socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(socket);
      socket.pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  for (const srv of [tlsServer, proxy]) await new Promise((resolve) => srv.listen(0, '127.0.0.1', resolve));
  issuerProxyURL = `http://127.0.0.1:${proxy.address().port}`;
}

rekor = new RekorLog({ host, keyPair: ecKey(), prefill: Number(args['rekor-prefill']) });

function trustedRoot() {
  const logKey = (rawBytes) => ({
    rawBytes,
    keyDetails: PublicKeyDetails.PKIX_ECDSA_P256_SHA_256,
    validFor: { start: VALID_FROM },
  });
  const sha = (buf) => crypto.createHash('sha256').update(buf).digest();
  const json = TrustedRoot.toJSON({
    mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
    tlogs: [{ baseUrl: base, hashAlgorithm: HashAlgorithm.SHA2_256, publicKey: logKey(rekor.spki), logId: { keyId: sha(rekor.spki) } }],
    ctlogs: [{ baseUrl: base, hashAlgorithm: HashAlgorithm.SHA2_256, publicKey: logKey(ctlog.publicKey), logId: { keyId: ctlog.logID } }],
    certificateAuthorities: [
      {
        subject: { organization: 'sigstore.mock', commonName: 'sigstore' },
        uri: base,
        certChain: { certificates: [{ rawBytes: ca.rootCertificate }] },
        validFor: { start: VALID_FROM },
      },
    ],
    timestampAuthorities: [
      {
        subject: { organization: 'sigstore.mock', commonName: 'tsa' },
        uri: `${base}/api/v1/timestamp`,
        certChain: { certificates: [{ rawBytes: tsa.intCertificate }, { rawBytes: tsa.rootCertificate }] },
        validFor: { start: VALID_FROM },
      },
    ],
  });
  return Buffer.from(JSON.stringify(json, null, 2) + '\n');
}

// Where a signing client (cosign v3's --signing-config) finds each service:
// base URLs for Fulcio and Rekor v1, the full URL for the TSA.
function signingConfig() {
  const service = (url) => ({ url, majorApiVersion: 1, validFor: { start: VALID_FROM }, operator: 'sigstore.mock' });
  const json = SigningConfig.toJSON({
    mediaType: 'application/vnd.dev.sigstore.signingconfig.v0.2+json',
    caUrls: [service(base)],
    oidcUrls: [service(base)],
    rekorTlogUrls: [service(base)],
    rekorTlogConfig: { selector: ServiceSelector.ANY, count: 0 },
    tsaUrls: [service(`${base}/api/v1/timestamp`)],
    tsaConfig: { selector: ServiceSelector.ANY, count: 0 },
  });
  return Buffer.from(JSON.stringify(json, null, 2) + '\n');
}

trustedRootJSON = trustedRoot();
signingConfigJSON = signingConfig();
tufFiles = buildTufRepo({ 'trusted_root.json': trustedRootJSON, 'signing_config.v0.2.json': signingConfigJSON });

fs.mkdirSync(stateDir, { recursive: true });
const config = {
  url: base,
  fulcioURL: base,
  rekorURL: base,
  tsaURL: base,
  tsaTimestampURL: `${base}/api/v1/timestamp`,
  tokenURL: `${base}/_apis/actions/oidc/token?api-version=2.0`,
  issuerProxyURL,
  requestToken,
  issuer,
  trustedRoot: path.join(stateDir, 'trusted_root.json'),
  trustedRootURL: `${base}/trusted_root.json`,
  signingConfig: path.join(stateDir, 'signing_config.v0.2.json'),
  signingConfigURL: `${base}/signing_config.json`,
  tufMirrorURL: `${base}/tuf`,
  tufRootPath: path.join(stateDir, 'tuf-root.json'),
  rekorPublicKey: path.join(stateDir, 'rekor.pub'),
  // What a verifier should expect from certificates issued for the base claims.
  identity: { subjectAlternativeName: `https://github.com/${baseClaims.job_workflow_ref}`, issuer },
  pid: process.pid,
};
fs.writeFileSync(config.trustedRoot, trustedRootJSON);
fs.writeFileSync(config.signingConfig, signingConfigJSON);
fs.writeFileSync(config.tufRootPath, tufFiles.get('root.json'));
fs.writeFileSync(config.rekorPublicKey, rekor.publicKeyPEM);
fs.writeFileSync(path.join(stateDir, 'sigstore.json'), JSON.stringify(config, null, 2) + '\n');

const shutdown = () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);

console.log(JSON.stringify({ ready: true, ...config }));
