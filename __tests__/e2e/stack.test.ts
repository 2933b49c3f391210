// Proves the offline integration stack itself: fake GitHub OIDC, Fulcio, Rekor,
// TSA, TUF mirror and the OCI registries behave like the real services as far
// as our action and the sigstore-js clients can tell.
import { beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleFromJSON, bundleToJSON } from '@sigstore/bundle';
import { RFC3161Timestamp } from '@sigstore/core';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { DSSEBundleBuilder, FulcioSigner, MessageSignatureBundleBuilder, RekorWitness, TSAWitness } from '@sigstore/sign';
import { Verifier, toSignedEntity, toTrustMaterial } from '@sigstore/verify';
import * as jose from 'jose';
import { verify as sigstoreVerify } from 'sigstore';
import { useStack } from '../../test/harness/use-stack.js';
import type { Stack } from '../../test/stack/stack.mjs';
import { loadTrustMaterial, verifyBundle } from '../../src/verify.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const SIGSTORE_CLI = path.join(ROOT, 'node_modules/.bin/sigstore');
const SAN = 'https://github.com/octo-org/octo-repo/.github/workflows/release.yml@refs/heads/main';
const ISSUER = 'https://token.actions.githubusercontent.com';
const POLICY = { subjectAlternativeName: SAN, extensions: { issuer: ISSUER } };

const lib = await import('../../test/stack/stack.mjs');

type Json = Record<string, any>;

const sha256 = (data: Buffer | string) => crypto.createHash('sha256').update(data).digest('hex');

function newKey() {
  return crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
}

async function postJSON(url: string, body: unknown): Promise<{ status: number; json: Json; headers: Headers }> {
  const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Json, headers: res.headers };
}

async function getJSON(url: string): Promise<{ status: number; json: Json }> {
  const res = await fetch(url);
  return { status: res.status, json: (await res.json()) as Json };
}

/** Raw Fulcio v2 request; `popSubject` lets a test sign the wrong challenge. */
async function requestCert(stack: Stack, key: crypto.KeyPairKeyObjectResult, token: string, popSubject?: string) {
  const subject = popSubject ?? String(jose.decodeJwt(token).sub);
  return postJSON(`${stack.fulcioURL}/api/v2/signingCert`, {
    credentials: { oidcIdentityToken: token },
    publicKeyRequest: {
      publicKey: { algorithm: 'ECDSA', content: key.publicKey.export({ type: 'spki', format: 'pem' }) },
      proofOfPossession: crypto.sign('sha256', Buffer.from(subject), key.privateKey).toString('base64'),
    },
  });
}

async function leafCert(stack: Stack, key: crypto.KeyPairKeyObjectResult): Promise<string> {
  const { status, json } = await requestCert(stack, key, await lib.requestToken(stack));
  expect(status).toBe(200);
  return json.signedCertificateEmbeddedSct.chain.certificates[0];
}

function hashedrekord(artifact: Buffer, key: crypto.KeyPairKeyObjectResult, certPEM: string, signature?: Buffer) {
  return {
    apiVersion: '0.0.1',
    kind: 'hashedrekord',
    spec: {
      signature: {
        content: (signature ?? crypto.sign('sha256', artifact, key.privateKey)).toString('base64'),
        publicKey: { content: Buffer.from(certPEM).toString('base64') },
      },
      data: { hash: { algorithm: 'sha256', value: sha256(artifact) } },
    },
  };
}

function verifier(stack: Stack) {
  const root = TrustedRoot.fromJSON(JSON.parse(fs.readFileSync(stack.trustedRoot, 'utf8')));
  return new Verifier(toTrustMaterial(root), { tlogThreshold: 1, ctlogThreshold: 1 });
}

function signer(stack: Stack) {
  return new FulcioSigner({ fulcioBaseURL: stack.fulcioURL, identityProvider: { getToken: () => lib.requestToken(stack) } });
}

async function dsseBundle(stack: Stack, predicate: object): Promise<Json> {
  const statement = {
    _type: 'https://in-toto.io/Statement/v1',
    subject: [{ name: 'fixture', digest: { sha256: sha256('fixture') } }],
    predicateType: 'https://example.com/test/v1',
    predicate,
  };
  const builder = new DSSEBundleBuilder({
    signer: signer(stack),
    witnesses: [new RekorWitness({ rekorBaseURL: stack.rekorURL, entryType: 'dsse' }), new TSAWitness({ tsaBaseURL: stack.tsaURL })],
  });
  const bundle = await builder.create({ data: Buffer.from(JSON.stringify(statement)), type: 'application/vnd.in-toto+json' });
  return bundleToJSON(bundle);
}

/** Runs `sigstore verify` through the stack's TUF mirror; returns the exit code. */
function cliVerify(stack: Stack, bundleFile: string, identity: string, blobFile?: string): number {
  const args = [
    SIGSTORE_CLI,
    'verify',
    bundleFile,
    '--tuf-mirror-url',
    stack.tufMirrorURL,
    '--tuf-root-path',
    stack.tufRootPath,
    '--tuf-cache-path',
    fs.mkdtempSync(path.join(stack.stateDir, 'tuf-cache-')),
    '--certificate-issuer',
    ISSUER,
    '--certificate-identity-uri',
    identity,
    ...(blobFile ? ['--blob-file', blobFile] : []),
  ];
  const out = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 60_000 });
  return out.status ?? -1;
}

describe('offline integration stack', () => {
  const stack = useStack({ name: 'stack-e2e', auth: true });
  let stateDir: string;
  let startMs: number;

  beforeAll(() => {
    stateDir = stack.stateDir;
    startMs = stack.startMs;
  });

  it('runs on Node 24 and starts quickly', () => {
    expect(process.version.startsWith('v24')).toBe(true);
    expect(startMs).toBeLessThan(10_000);
    const onDisk = JSON.parse(fs.readFileSync(path.join(stateDir, 'stack.json'), 'utf8'));
    expect(onDisk.registry).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(onDisk.tokenURL).toMatch(/\/_apis\/actions\/oidc\/token\?api-version=2\.0$/);
    expect(Object.keys(JSON.parse(fs.readFileSync(path.join(stateDir, 'pids.json'), 'utf8')))).toEqual(['registry', 'auth-registry', 'fake-sigstore']);
  });

  describe('GitHub OIDC token endpoint', () => {
    it('requires the request token', async () => {
      expect((await fetch(lib.tokenURL(stack))).status).toBe(401);
      const wrong = await fetch(lib.tokenURL(stack), { headers: { Authorization: 'Bearer nope' } });
      expect(wrong.status).toBe(401);
    });

    it('returns an RS256 JWT with GitHub claims that verifies against the JWKS', async () => {
      const token = await lib.requestToken(stack, 'sigstore');
      const discovery = (await getJSON(`${stack.url}/.well-known/openid-configuration`)).json;
      expect(discovery.issuer).toBe(ISSUER);
      const jwks = jose.createLocalJWKSet((await getJSON(discovery.jwks_uri)).json as jose.JSONWebKeySet);
      const { payload, protectedHeader } = await jose.jwtVerify(token, jwks, { issuer: ISSUER, audience: 'sigstore' });
      expect(protectedHeader.alg).toBe('RS256');
      expect(payload).toMatchObject({
        sub: 'repo:octo-org/octo-repo:ref:refs/heads/main',
        repository: 'octo-org/octo-repo',
        repository_owner: 'octo-org',
        job_workflow_ref: 'octo-org/octo-repo/.github/workflows/release.yml@refs/heads/main',
        workflow_ref: 'octo-org/octo-repo/.github/workflows/release.yml@refs/heads/main',
        event_name: 'push',
        runner_environment: 'github-hosted',
      });
      for (const claim of [
        'ref',
        'sha',
        'repository_id',
        'repository_owner_id',
        'repository_visibility',
        'run_id',
        'run_number',
        'run_attempt',
        'actor',
        'actor_id',
        'workflow',
        'workflow_sha',
        'job_workflow_sha',
        'ref_type',
        'head_ref',
        'base_ref',
        'iat',
        'nbf',
        'exp',
      ]) {
        expect(payload).toHaveProperty(claim);
      }
    });
  });

  describe('Fulcio', () => {
    it('rejects a token for the wrong audience with 401', async () => {
      const { status, json } = await requestCert(stack, newKey(), await lib.requestToken(stack, 'not-sigstore'));
      expect(status).toBe(401);
      expect(json.code).toBe(16);
    });

    it('rejects an expired token with 401 and a bad proof of possession with 400', async () => {
      await lib.setClaims(stack, { exp: Math.floor(Date.now() / 1000) - 60 });
      try {
        expect((await requestCert(stack, newKey(), await lib.requestToken(stack))).status).toBe(401);
      } finally {
        await lib.resetClaims(stack);
      }
      const bad = await requestCert(stack, newKey(), await lib.requestToken(stack), 'someone-else');
      expect(bad.status).toBe(400);
    });

    it('serves the legacy v1 API cosign v2 calls: base64 PEM key in, 201 and a PEM chain out', async () => {
      const certFor = async (token: string) => {
        const key = newKey();
        const pemKey = key.publicKey.export({ type: 'spki', format: 'pem' }) as string;
        const res = await fetch(`${stack.fulcioURL}/api/v1/signingCert`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
          body: JSON.stringify({
            publicKey: { content: Buffer.from(pemKey).toString('base64') },
            signedEmailAddress: crypto.sign('sha256', Buffer.from(String(jose.decodeJwt(token).sub)), key.privateKey).toString('base64'),
          }),
        });
        return { status: res.status, type: res.headers.get('content-type'), text: await res.text(), pemKey };
      };
      const ok = await certFor(await lib.requestToken(stack));
      expect([ok.status, ok.type]).toEqual([201, 'application/pem-certificate-chain']);
      const [leaf, ...chain] = ok.text.split(/(?<=-----END CERTIFICATE-----)\n/);
      expect(chain.length).toBeGreaterThanOrEqual(1);
      const cert = new crypto.X509Certificate(leaf as string);
      expect(cert.publicKey.export({ type: 'spki', format: 'pem' })).toBe(ok.pemKey);
      expect(cert.subjectAltName).toBe(`URI:${SAN}`);
      expect((await certFor(await lib.requestToken(stack, 'not-sigstore'))).status).toBe(401);
    });

    it('takes the token from an Authorization header, as sigstore-go (cosign v3) sends it', async () => {
      const certFor = async (token: string) => {
        const key = newKey();
        const res = await fetch(`${stack.fulcioURL}/api/v2/signingCert`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
          body: JSON.stringify({
            publicKeyRequest: {
              publicKey: { algorithm: 'ECDSA', content: key.publicKey.export({ type: 'spki', format: 'pem' }) },
              proofOfPossession: crypto.sign('sha256', Buffer.from(String(jose.decodeJwt(token).sub)), key.privateKey).toString('base64'),
            },
          }),
        });
        await res.arrayBuffer();
        return res.status;
      };
      expect(await certFor(await lib.requestToken(stack))).toBe(200);
      expect(await certFor(await lib.requestToken(stack, 'not-sigstore'))).toBe(401);
    });

    it('issues a GitHub-style certificate for a good token', async () => {
      const { status, json } = await requestCert(stack, newKey(), await lib.requestToken(stack));
      expect(status).toBe(200);
      const chain: string[] = json.signedCertificateEmbeddedSct.chain.certificates;
      expect(chain.length).toBeGreaterThanOrEqual(2);
      const leaf = new crypto.X509Certificate(chain[0]!);
      expect(leaf.subjectAltName).toBe(`URI:${SAN}`);
      expect(leaf.verify(new crypto.X509Certificate(chain[chain.length - 1]!).publicKey)).toBe(true);
      // Issuer (1.3.6.1.4.1.57264.1.8) and source repository URI (.1.12) are DER UTF8Strings.
      expect(leaf.raw.includes(Buffer.from(ISSUER))).toBe(true);
      expect(leaf.raw.includes(Buffer.from('https://github.com/octo-org/octo-repo'))).toBe(true);
    });

    it('writes each certificate as real Fulcio does: PEM in 64-column lines', async () => {
      const { json } = await requestCert(stack, newKey(), await lib.requestToken(stack));
      for (const pem of json.signedCertificateEmbeddedSct.chain.certificates as string[]) {
        const body = pem.trim().split('\n').slice(1, -1);
        expect(body.slice(0, -1).every((l) => l.length === 64)).toBe(true);
        expect(pem).toBe(new crypto.X509Certificate(pem).toString());
      }
    });

    it('follows per-test claim overrides', async () => {
      const other = 'octo-org/octo-repo/.github/workflows/other.yml@refs/tags/v1';
      await lib.setClaims(stack, { job_workflow_ref: other });
      try {
        const leaf = new crypto.X509Certificate(await leafCert(stack, newKey()));
        expect(leaf.subjectAltName).toBe(`URI:https://github.com/${other}`);
      } finally {
        await lib.resetClaims(stack);
      }
    });
  });

  describe('signing and verifying with sigstore-js', () => {
    // Must be the stack's first Rekor write: it covers logIndex 0, which
    // proto3 JSON drops from the bundle.
    it('verifies a DSSE bundle logged at index 0 (with TSA) offline', async () => {
      const json = await dsseBundle(stack, { run: 1 });
      const tlog = json.verificationMaterial.tlogEntries[0];
      expect(tlog.logIndex).toBeUndefined();
      expect(tlog.kindVersion).toEqual({ kind: 'dsse', version: '0.0.1' });
      expect(json.verificationMaterial.timestampVerificationData.rfc3161Timestamps).toHaveLength(1);
      verifier(stack).verify(toSignedEntity(bundleFromJSON(json)), POLICY);

      const file = path.join(stateDir, 'dsse-bundle.json');
      fs.writeFileSync(file, JSON.stringify(json));
      expect(cliVerify(stack, file, SAN)).toBe(0);
      expect(cliVerify(stack, file, 'https://github.com/evil-org/evil/.github/workflows/x.yml@refs/heads/main')).not.toBe(0);
    });

    // src/verify.ts keeps a certificate's chain and SCT check per trusted root
    // and times (a run's bundles share one certificate); every bundle's own
    // signature and log entry are still checked.
    it('our verifier reuses a certificate check only within one trusted root, and still checks each signature', async () => {
      const good = await dsseBundle(stack, { run: 'reuse' });
      const trust = await loadTrustMaterial(stack.trustedRoot);
      const policy = { san: SAN, issuer: ISSUER };
      expect(verifyBundle(trust, good, policy).signer.san).toBe(SAN);
      const forged = structuredClone(good);
      forged.dsseEnvelope.payload = Buffer.from('{"_type":"https://in-toto.io/Statement/v1"}').toString('base64');
      expect(() => verifyBundle(trust, forged, policy)).toThrow();
      // Another trusted root (one without the CA) checks the certificate anew and refuses it.
      const noCA = { ...trust, certificateAuthorities: [] };
      expect(() => verifyBundle(noCA, good, policy)).toThrow(/certificate/i);
      // The same root reuses its check: with its CA list emptied afterwards, the certificate seen before still passes.
      trust.certificateAuthorities.length = 0;
      expect(verifyBundle(trust, good, policy).signer.san).toBe(SAN);
    });

    it('verifies a later DSSE bundle with a multi-hash inclusion proof', async () => {
      await dsseBundle(stack, { run: 2 });
      const json = await dsseBundle(stack, { run: 3 });
      const proof = json.verificationMaterial.tlogEntries[0].inclusionProof;
      expect(proof.hashes.length).toBeGreaterThan(0);
      expect(() => verifier(stack).verify(toSignedEntity(bundleFromJSON(json)), POLICY)).not.toThrow();
      expect(() => verifier(stack).verify(toSignedEntity(bundleFromJSON(json)), { ...POLICY, subjectAlternativeName: 'https://github.com/x' })).toThrow();
    });

    it('verifies a message-signature (hashedrekord) bundle, also via sigstore.verify and the CLI', async () => {
      const artifact = Buffer.from('artifact bytes\n');
      const builder = new MessageSignatureBundleBuilder({
        signer: signer(stack),
        witnesses: [new RekorWitness({ rekorBaseURL: stack.rekorURL })],
      });
      const json = bundleToJSON(await builder.create({ data: artifact })) as Json;
      expect(json.verificationMaterial.tlogEntries[0].kindVersion.kind).toBe('hashedrekord');
      verifier(stack).verify(toSignedEntity(bundleFromJSON(json), artifact), POLICY);
      expect(() => verifier(stack).verify(toSignedEntity(bundleFromJSON(json), Buffer.from('tampered')), POLICY)).toThrow();

      await sigstoreVerify(json as Parameters<typeof sigstoreVerify>[0], artifact, {
        tufMirrorURL: stack.tufMirrorURL,
        tufRootPath: stack.tufRootPath,
        tufCachePath: fs.mkdtempSync(path.join(stateDir, 'tuf-cache-')),
        certificateIssuer: ISSUER,
        certificateIdentityURI: SAN,
      });

      const bundleFile = path.join(stateDir, 'message-bundle.json');
      const blobFile = path.join(stateDir, 'artifact.txt');
      fs.writeFileSync(bundleFile, JSON.stringify(json));
      fs.writeFileSync(blobFile, artifact);
      expect(cliVerify(stack, bundleFile, SAN, blobFile)).toBe(0);
    });
  });

  describe('TSA', () => {
    it('answers a DER TimeStampReq (as cosign and sigstore-go send it), echoing a 20-byte nonce', async () => {
      const der = (tag: number, body: Buffer) => Buffer.concat([Buffer.from([tag, body.length]), body]);
      const hash = crypto.createHash('sha256').update('signature bytes').digest();
      const nonce = Buffer.concat([Buffer.from([0x5a]), crypto.randomBytes(19)]);
      const sha256OID = Buffer.from('608648016503040201', 'hex');
      const tsq = der(
        0x30,
        Buffer.concat([
          der(0x02, Buffer.from([1])),
          der(0x30, Buffer.concat([der(0x30, Buffer.concat([der(0x06, sha256OID), Buffer.from([0x05, 0])])), der(0x04, hash)])),
          der(0x02, nonce),
          der(0x01, Buffer.from([0xff])),
        ]),
      );
      const res = await fetch(stack.tsaTimestampURL, { method: 'POST', headers: { 'Content-Type': 'application/timestamp-query' }, body: tsq });
      expect(res.status).toBe(201);
      expect(res.headers.get('content-type')).toBe('application/timestamp-reply');
      const reply = RFC3161Timestamp.parse(Buffer.from(await res.arrayBuffer()));
      expect(reply.status).toBe(0n);
      expect(reply.tstInfo.messageImprintHashedMessage.equals(hash)).toBe(true);
      expect(reply.tstInfo.raw.includes(der(0x02, nonce))).toBe(true);
      const garbage = await fetch(stack.tsaTimestampURL, {
        method: 'POST',
        headers: { 'Content-Type': 'application/timestamp-query' },
        body: Buffer.from([0x30, 0x05, 1]),
      });
      expect(garbage.status).toBe(400);
    });
  });

  describe('Rekor v1 API', () => {
    // Real Rekor parses the key material and stores it re-encoded
    // (pkg/pki/x509 CanonicalValue); sigstore-python compares a dsse entry's
    // verifier with the PEM it rebuilds from the bundle, byte for byte.
    it('stores certificates re-encoded as Go writes PEM, whatever line layout was sent', async () => {
      const key = newKey();
      const cert = await leafCert(stack, key);
      const oneLine = `-----BEGIN CERTIFICATE-----\n${new crypto.X509Certificate(cert).raw.toString('base64')}\n-----END CERTIFICATE-----\n`;
      const hr = await postJSON(`${stack.rekorURL}/api/v1/log/entries`, hashedrekord(Buffer.from('pem layout'), key, oneLine));
      const envelope = { payloadType: 'application/vnd.in-toto+json', payload: Buffer.from('{}').toString('base64'), signatures: [] as { sig: string }[] };
      const pae = Buffer.from(`DSSEv1 ${envelope.payloadType.length} ${envelope.payloadType} 2 {}`);
      envelope.signatures.push({ sig: crypto.sign('sha256', pae, key.privateKey).toString('base64') });
      const ds = await postJSON(`${stack.rekorURL}/api/v1/log/entries`, {
        apiVersion: '0.0.1',
        kind: 'dsse',
        spec: { proposedContent: { envelope: JSON.stringify(envelope), verifiers: [Buffer.from(oneLine).toString('base64')] } },
      });
      expect([hr.status, ds.status]).toEqual([201, 201]);
      const body = (r: { json: Json }) => JSON.parse(Buffer.from((Object.values(r.json)[0] as Json).body, 'base64').toString('utf8'));
      const canonical = Buffer.from(new crypto.X509Certificate(cert).toString()).toString('base64');
      expect(body(hr).spec.signature.publicKey.content).toBe(canonical);
      expect(body(ds).spec.signatures[0].verifier).toBe(canonical);
    });

    it('logs hashedrekord entries sequentially, with SETs, 409 on duplicates and lookups', async () => {
      const key = newKey();
      const cert = await leafCert(stack, key);
      const proposed = hashedrekord(Buffer.from('one'), key, cert);
      const first = await postJSON(`${stack.rekorURL}/api/v1/log/entries`, proposed);
      const second = await postJSON(`${stack.rekorURL}/api/v1/log/entries`, hashedrekord(Buffer.from('two'), key, cert));
      expect([first.status, second.status]).toEqual([201, 201]);

      const [uuid, entry] = Object.entries(first.json)[0] as [string, Json];
      const [, next] = Object.entries(second.json)[0] as [string, Json];
      expect(uuid).toMatch(/^[0-9a-f]{80}$/);
      expect(next.logIndex).toBe(entry.logIndex + 1);
      expect(first.headers.get('etag')).toBe(uuid);
      expect(first.headers.get('location')).toBe(`/api/v1/log/entries/${uuid}`);
      // The UUID's last 64 hex digits are the RFC 6962 leaf hash of the body.
      expect(uuid.slice(16)).toBe(sha256(Buffer.concat([Buffer.from([0]), Buffer.from(entry.body, 'base64')])));

      const rekorKey = crypto.createPublicKey(fs.readFileSync(stack.rekorPublicKey));
      const { body, integratedTime, logID, logIndex } = entry;
      const setPayload = JSON.stringify({ body, integratedTime, logID, logIndex });
      expect(crypto.verify('sha256', Buffer.from(setPayload), rekorKey, Buffer.from(entry.verification.signedEntryTimestamp, 'base64'))).toBe(true);

      // ECDSA signatures are randomised, so only a byte-identical proposal is a duplicate.
      const dup = await postJSON(`${stack.rekorURL}/api/v1/log/entries`, proposed);
      expect(dup.status).toBe(409);
      expect(dup.json.code).toBe(409);
      expect(dup.headers.get('location')).toBe(`/api/v1/log/entries/${uuid}`);

      const byIndex = await getJSON(`${stack.rekorURL}/api/v1/log/entries?logIndex=${entry.logIndex}`);
      const byUUID = await getJSON(`${stack.rekorURL}/api/v1/log/entries/${uuid}`);
      expect(byIndex.json[uuid].body).toBe(entry.body);
      expect(byUUID.json[uuid].logIndex).toBe(entry.logIndex);
      const log = (await getJSON(`${stack.rekorURL}/api/v1/log`)).json;
      expect(byUUID.json[uuid].verification.inclusionProof.rootHash).toBe(log.rootHash);
      expect(log.treeSize).toBe(next.logIndex + 1);
      expect((await getJSON(`${stack.rekorURL}/api/v1/log/entries?logIndex=999999`)).status).toBe(404);
    });

    it('rejects a hashedrekord whose signature does not match the hash', async () => {
      const key = newKey();
      const cert = await leafCert(stack, key);
      const wrongSig = crypto.sign('sha256', Buffer.from('something else'), key.privateKey);
      const res = await postJSON(`${stack.rekorURL}/api/v1/log/entries`, hashedrekord(Buffer.from('x'), key, cert, wrongSig));
      expect(res.status).toBe(400);
    });
  });

  describe('test hooks', () => {
    it('counts requests per service', async () => {
      await lib.resetStats(stack);
      await lib.requestToken(stack);
      await fetch(`${stack.rekorURL}/api/v1/log/entries?logIndex=0`);
      expect(await lib.getStats(stack)).toMatchObject({ token: 1, rekorGet: 1, rekorPost: 0, fulcio: 0 });
    });

    it('injects failures and recovers', async () => {
      await lib.failService(stack, 'rekor', { status: 503, count: 1 });
      expect((await fetch(`${stack.rekorURL}/api/v1/log`)).status).toBe(503);
      expect((await fetch(`${stack.rekorURL}/api/v1/log`)).status).toBe(200);

      await lib.failService(stack, 'fulcio', { mode: 'down' });
      await expect(requestCert(stack, newKey(), await lib.requestToken(stack))).rejects.toThrow();
      await lib.clearFailures(stack);
      expect((await requestCert(stack, newKey(), await lib.requestToken(stack))).status).toBe(200);
    });
  });

  describe('registry and fixture image', () => {
    it('builds the fixture with the same digest every time', async () => {
      const a = await lib.buildFixtureLayout(path.join(stateDir, 'layout-a'));
      const b = await lib.buildFixtureLayout(path.join(stateDir, 'layout-b'));
      expect(a).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(b).toBe(a);
    });

    it('pushes the fixture to the anonymous and the htpasswd registry', async () => {
      const expected = await lib.buildFixtureLayout(path.join(stateDir, 'layout-c'));
      const anon = await lib.pushFixtureImage(stack, 'octo-org/app', 'v1');
      expect(anon).toMatchObject({ digest: expected, name: `${stack.registry}/octo-org/app`, ref: `${stack.registry}/octo-org/app@${expected}` });
      const manifest = await fetch(`${stack.registryURL}/v2/octo-org/app/manifests/${expected}`, {
        headers: { Accept: 'application/vnd.oci.image.manifest.v1+json' },
      });
      expect(manifest.status).toBe(200);
      expect(((await manifest.json()) as Json).layers).toHaveLength(2);

      expect((await fetch(`${stack.authRegistryURL}/v2/`)).status).toBe(401);
      const authed = await lib.pushFixtureImage(stack, 'octo-org/app', 'v1', { auth: true });
      expect(authed.digest).toBe(expected);
    });
  });

  describe('Rekor prefill (separate stack)', () => {
    const other = useStack({ name: 'stack-prefill', rekorPrefill: 1000 });

    it('starts the log at the given index with shard-local proof indexes, and bundles still verify', async () => {
      const json = await dsseBundle(other, { prefill: true });
      const tlog = json.verificationMaterial.tlogEntries[0];
      expect(tlog.logIndex).toBe('1000');
      expect(tlog.inclusionProof.logIndex).toBeUndefined(); // shard-local 0, dropped by proto3 JSON
      verifier(other).verify(toSignedEntity(bundleFromJSON(json)), POLICY);
    });
  });

  it('stop() terminates every process it started', async () => {
    const pids = Object.values(stack.pids);
    await stack.stop();
    for (const pid of pids) {
      expect(() => process.kill(pid, 0)).toThrow();
    }
    expect(fs.existsSync(path.join(stateDir, 'pids.json'))).toBe(false);
  });
});
