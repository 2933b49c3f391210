import { beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { createHash, generateKeyPairSync, sign, X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  fallbackReferrers,
  getBlob,
  getManifest,
  loadTrust,
  rekorEntry,
  sha256,
  sigstoreCLI,
  sigstoreVerify,
  tagFor,
  verifySET,
  type Trust,
} from '../../test/harness/checks.js';
import { bundleFromJSON, bundleToJSON } from '@sigstore/bundle';
import { TrustedRoot } from '@sigstore/protobuf-specs';
import { DSSEBundleBuilder, FulcioSigner, MessageSignatureBundleBuilder, RekorWitness, TSAWitness } from '@sigstore/sign';
import { toSignedEntity, toTrustMaterial, Verifier } from '@sigstore/verify';
import { Http } from '../../src/http.js';
import { requestCertificate } from '../../src/sigstore/fulcio.js';
import { createEntry, type ProposedEntry } from '../../src/sigstore/rekor.js';
import { summaryCommands } from '../../test/harness/consumers.js';
import { errorLines, ROOT, runAction, type ActionRun } from '../../test/harness/run-action.js';
import { stackInputs, stackLib, type PushedImage, type Stack } from '../../test/harness/stack.js';
import { useStack } from '../../test/harness/use-stack.js';

// The bundled action against the real Sigstore services (Fulcio with a CT log,
// Rekor v1 on Trillian + MariaDB, the timestamp authority), then checked with
// our own verifier, @sigstore/verify, the sigstore CLI and, when built, cosign.
// Skipped only when the services are not built (.ci/run builds them).

const execFileP = promisify(execFile);
const lib = await stackLib();
const missing = lib.missingRealTools();
const describeReal = missing.length === 0 ? describe : describe.skip;
if (missing.length > 0) {
  console.warn(`real-sigstore e2e skipped: not built/installed: ${missing.join(', ')} (scripts/install-tools.sh, scripts/install-deps.sh)`);
} else if (!lib.hasRekorV2()) {
  console.warn('real-sigstore e2e: Rekor v2 checks skipped: rekor-tiles not built (scripts/install-tools.sh rekor-tiles)');
}

// Fulcio's OIDs for the GitHub claims (docs/oid-info.md in Fulcio).
const OID = {
  issuerV2: '1.3.6.1.4.1.57264.1.8',
  sourceRepositoryURI: '1.3.6.1.4.1.57264.1.12',
  sourceRepositoryDigest: '1.3.6.1.4.1.57264.1.13',
  buildSignerURI: '1.3.6.1.4.1.57264.1.9',
  runnerEnvironment: '1.3.6.1.4.1.57264.1.11',
  sct: '1.3.6.1.4.1.11129.2.4.2',
};

let stack: Stack;
let trust: Trust;
let work: string;

function run(inputs: Record<string, string>): Promise<ActionRun> {
  return runAction({ inputs: { ...stackInputs(stack), ...inputs }, env: stack.env });
}

async function cli(args: string[]): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await execFileP(process.execPath, [join(ROOT, 'dist/cli/index.js'), ...args], { env: { ...process.env, HOME: work } });
    return { code: 0, out: stdout + stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: `${e.stdout}${e.stderr}` };
  }
}

/** Runs .tools/bin/NAME when it is built; undefined otherwise. */
async function tool(name: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string } | undefined> {
  const bin = join(ROOT, '.tools/bin', name);
  if (!existsSync(bin)) return undefined;
  try {
    const { stdout, stderr } = await execFileP(bin, args, { env: { ...process.env, HOME: work, SIGSTORE_NO_CACHE: '1', ...env }, timeout: 60_000 });
    return { code: 0, out: stdout + stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code ?? 1, out: `${e.stdout}${e.stderr}` };
  }
}

// DER extension lookup by OID, enough to see that an extension is present and
// read its UTF8String/IA5String value.
function extension(cert: X509Certificate, oid: string): string | undefined {
  const der = cert.raw;
  const encoded = encodeOID(oid);
  const at = der.indexOf(encoded);
  if (at < 0) return undefined;
  let i = at + encoded.length;
  if (der[i] === 0x01) i += 3; // critical BOOLEAN
  if (der[i] !== 0x04) return undefined; // OCTET STRING
  const [len, off] = derLength(der, i + 1);
  const inner = der.subarray(off, off + len);
  if (inner[0] === 0x0c || inner[0] === 0x16) {
    const [l, o] = derLength(inner, 1);
    return inner.subarray(o, o + l).toString('utf8');
  }
  return inner.toString('utf8');
}

function encodeOID(oid: string): Buffer {
  const parts = oid.split('.').map(Number);
  const body = [40 * (parts[0] ?? 0) + (parts[1] ?? 0)];
  for (const p of parts.slice(2)) {
    const bytes = [p & 0x7f];
    for (let v = p >> 7; v > 0; v >>= 7) bytes.unshift((v & 0x7f) | 0x80);
    body.push(...bytes);
  }
  return Buffer.from([0x06, body.length, ...body]);
}

function derLength(buf: Buffer, i: number): [number, number] {
  const first = buf[i] ?? 0;
  if (first < 0x80) return [first, i + 1];
  const n = first & 0x7f;
  let len = 0;
  for (let k = 0; k < n; k++) len = (len << 8) | (buf[i + 1 + k] ?? 0);
  return [len, i + 1 + n];
}

describeReal('the action against the real Sigstore services', () => {
  let img: PushedImage;
  let signed: ActionRun;
  let san: string;
  let issuer: string;

  const real = useStack({ name: 'real-sigstore-e2e', real: true });

  beforeAll(async () => {
    stack = real;
    work = real.work;
    trust = loadTrust(stack.trustedRoot);
    san = stack.identity.subjectAlternativeName;
    issuer = stack.identity.issuer;
    img = await lib.pushFixtureImage(stack, 'octo-org/real');
    signed = await run({ images: img.ref, 'tsa-url': stack.tsaURL });
  }, 300_000);

  it('signs and attests (SBOM + provenance) with no error', () => {
    expect(errorLines(signed)).toEqual([]);
    expect(signed.code).toBe(0);
    for (const k of ['signature-log-index', 'sbom-log-index', 'provenance-log-index']) expect(signed.outputs[k]).toMatch(/^\d+$/);
  });

  it('gets a real Fulcio certificate: GitHub extensions from the token, an SCT from the CT log', () => {
    const bundle = JSON.parse(readFileSync(signed.outputs['provenance-bundle'] ?? '', 'utf8')) as Record<string, any>;
    const cert = new X509Certificate(Buffer.from(bundle['verificationMaterial']['certificate']['rawBytes'], 'base64'));
    expect(cert.subjectAltName).toBe(`URI:${san}`);
    expect(extension(cert, OID.issuerV2)).toBe(issuer);
    expect(extension(cert, OID.sourceRepositoryURI)).toBe('https://github.com/octo-org/octo-repo');
    expect(extension(cert, OID.buildSignerURI)).toBe(san);
    expect(extension(cert, OID.runnerEnvironment)).toBe('github-hosted');
    expect(extension(cert, OID.sct)).toBeDefined();
    const root = JSON.parse(readFileSync(stack.trustedRoot, 'utf8')) as Record<string, any>;
    const caRoot = new X509Certificate(Buffer.from(root['certificateAuthorities'][0]['certChain']['certificates'].at(-1)['rawBytes'], 'base64'));
    expect(cert.checkIssued(caRoot)).toBe(true);
  });

  it('logs entries the real Rekor serves back, with SETs from its key', async () => {
    const sig = await getManifest(img.name, tagFor(img.digest, '.sig'));
    const layer = sig!.layers![0]!;
    const legacy = JSON.parse(layer.annotations?.['dev.sigstore.cosign/bundle'] ?? '{}') as {
      SignedEntryTimestamp: string;
      Payload: { body: string; integratedTime: number; logIndex: number; logID: string };
    };
    expect(verifySET(trust, legacy.Payload, legacy.SignedEntryTimestamp)).toBe(true);
    const entry = await rekorEntry(stack.rekorURL, legacy.Payload.logIndex);
    expect(entry.body['kind']).toBe('hashedrekord');
    expect(entry.body['spec']['data']['hash']['value']).toBe(sha256(await getBlob(img.name, layer.digest)));
    const prov = await rekorEntry(stack.rekorURL, Number(signed.outputs['provenance-log-index']));
    expect(prov.body['kind']).toBe('dsse');
  });

  // A retried upload whose first response was lost: real Rekor answers 409 with
  // a Location naming the 80-hex entry ID (tree ID + leaf hash), not the stand-in's 64-hex UUID.
  it('reuses the existing entry when the real Rekor reports a duplicate (409)', async () => {
    const http = new Http({ retryBudgetMs: 30_000 });
    const key = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const token = await lib.requestToken(stack);
    const sub = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString()) as { sub: string };
    const [leaf] = await requestCertificate(http, stack.fulcioURL, {
      token,
      publicKeyPEM: key.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      proofOfPossession: sign('sha256', Buffer.from(sub.sub), key.privateKey),
    });
    const data = Buffer.from('logged twice');
    const entry: ProposedEntry = {
      apiVersion: '0.0.1',
      kind: 'hashedrekord',
      spec: {
        signature: { content: sign('sha256', data, key.privateKey).toString('base64'), publicKey: { content: Buffer.from(leaf ?? '').toString('base64') } },
        data: { hash: { algorithm: 'sha256', value: sha256(data) } },
      },
    };
    const first = await createEntry(http, stack.rekorURL, entry);
    const again = await createEntry(http, stack.rekorURL, entry);
    expect(first.uuid).toMatch(/^[0-9a-f]{80}$/);
    expect(again.uuid).toBe(first.uuid);
    expect(again.logIndex).toBe(first.logIndex);
    expect(again.body).toBe(first.body);
  });

  it('writes bundles with RFC 3161 timestamps that verify with @sigstore/verify', async () => {
    const sig = await getManifest(img.name, tagFor(img.digest, '.sig'));
    const payload = await getBlob(img.name, sig!.layers![0]!.digest); // what the message signature signs
    for (const k of ['signature-bundle', 'sbom-bundle', 'provenance-bundle']) {
      const bundle = JSON.parse(readFileSync(signed.outputs[k] ?? '', 'utf8')) as Record<string, any>;
      expect(bundle['verificationMaterial']['timestampVerificationData']['rfc3161Timestamps']).toHaveLength(1);
      sigstoreVerify(trust, bundle, san, issuer, k === 'signature-bundle' ? payload : undefined);
    }
    const refs = await fallbackReferrers(img.name, img.digest);
    expect(refs).toHaveLength(3);
    for (const r of refs) sigstoreVerify(trust, r.bundle, san, issuer);
  });

  it('verifies with our CLI (cosign tags and referrers), and refuses another identity', async () => {
    const policy = ['--certificate-identity', san, '--certificate-oidc-issuer', issuer, '--trusted-root', stack.trustedRoot];
    const ok = await cli(['verify', img.ref, ...policy, '--type', 'slsaprovenance1']);
    expect(ok.out).toMatch(/^VERIFIED /);
    expect(ok.code).toBe(0);
    const other = await cli([
      'verify',
      img.ref,
      '--certificate-identity',
      'https://github.com/evil/repo/.github/workflows/x.yml@refs/heads/main',
      '--certificate-oidc-issuer',
      issuer,
      '--trusted-root',
      stack.trustedRoot,
    ]);
    expect(other.code).toBe(1);
    const bundle = await cli(['verify-bundle', '--bundle', signed.outputs['provenance-bundle'] ?? '', ...policy, img.digest]);
    expect(bundle).toMatchObject({ code: 0 });
  });

  it('verifies with the verify action', async () => {
    const v = await runAction({
      action: 'verify',
      inputs: { images: img.ref, 'certificate-identity': san, 'certificate-oidc-issuer': issuer, 'trusted-root': stack.trustedRoot },
    });
    expect(errorLines(v)).toEqual([]);
    expect(v.code).toBe(0);
  });

  it('verifies with the sigstore CLI through the TUF mirror of the real trusted root', async () => {
    const cache = mkdtempSync(join(work, 'tuf-'));
    const r = await sigstoreCLI(stack, signed.outputs['provenance-bundle'] ?? '', san, cache);
    expect(r).toMatchObject({ code: 0 });
  });

  // gh checks GitHub's Fulcio extensions (source repository, owner, workflow),
  // which only the real Fulcio sets from the token's claims.
  it('verifies with gh attestation verify and sigstore-python when they are built', async () => {
    const jsonl = join(work, 'trusted_root.jsonl');
    writeFileSync(jsonl, JSON.stringify(JSON.parse(readFileSync(stack.trustedRoot, 'utf8'))) + '\n');
    const gh = (repo: string) =>
      tool('gh', ['attestation', 'verify', `oci://${img.ref}`, '--bundle-from-oci', '--repo', repo, '--custom-trusted-root', jsonl], { GH_TOKEN: 'unused-offline' });
    const ghOK = await gh('octo-org/octo-repo');
    if (ghOK) {
      expect({ tool: 'gh', ...ghOK }).toMatchObject({ tool: 'gh', code: 0 });
      expect((await gh('evil-org/octo-repo'))?.code).toBe(1);
    }
    const conf = join(work, 'trust-config.json');
    const read = (p: string) => JSON.parse(readFileSync(p, 'utf8')) as unknown;
    writeFileSync(
      conf,
      JSON.stringify({
        mediaType: 'application/vnd.dev.sigstore.clienttrustconfig.v0.1+json',
        trustedRoot: read(stack.trustedRoot),
        signingConfig: read(stack.signingConfig),
      }),
    );
    const sig = await getManifest(img.name, tagFor(img.digest, '.sig'));
    const payload = join(work, 'payload.json');
    writeFileSync(payload, await getBlob(img.name, sig!.layers![0]!.digest));
    const py = (identity: string) =>
      tool('sigstore-python', [
        '--trust-config',
        conf,
        'verify',
        'identity',
        '--bundle',
        signed.outputs['signature-bundle'] ?? '',
        '--cert-identity',
        identity,
        '--cert-oidc-issuer',
        issuer,
        payload,
      ]);
    const pyOK = await py(san);
    if (pyOK) {
      if (pyOK.code !== 0) console.log(pyOK.out);
      expect({ tool: 'sigstore-python', ...pyOK }).toMatchObject({ tool: 'sigstore-python', code: 0 });
      expect((await py('https://github.com/evil-org/x/.github/workflows/x.yml@refs/heads/main'))?.code).not.toBe(0);
    }
  });

  it('verifies with cosign v3 and v2 when they are built', async () => {
    const args = ['verify', '--trusted-root', stack.trustedRoot, '--certificate-identity', san, '--certificate-oidc-issuer', issuer, '--allow-http-registry', img.ref];
    const results: Record<string, { code: number; out: string } | undefined> = {
      cosign3: await tool('cosign3', args),
      cosign2: await tool('cosign2', args),
      'cosign3 attestation': await tool('cosign3', ['verify-attestation', '--type', 'slsaprovenance1', ...args.slice(1)]),
    };
    for (const [name, r] of Object.entries(results)) {
      if (r === undefined) continue;
      console.log(`${name}: exit ${r.code}\n${r.out}`);
      expect({ name, ...r }).toMatchObject({ name, code: 0 });
    }
  });
});

// The stack's Rekor v2 (rekor-tiles on local tiles) and its entry in the
// trusted root, proven with sigstore-js's own v2 client.
const describeV2 = missing.length === 0 && lib.hasRekorV2() ? describe : describe.skip;
describeV2('Rekor v2 (rekor-tiles) in the real stack', () => {
  const v2 = useStack({ name: 'real-sigstore-v2', real: true });

  beforeAll(() => {
    stack = v2;
    work = v2.work;
  });

  const witnesses = () => [new RekorWitness({ rekorBaseURL: stack.rekorV2URL ?? '', majorApiVersion: 2 }), new TSAWitness({ tsaBaseURL: stack.tsaURL })];
  const signer = () => new FulcioSigner({ fulcioBaseURL: stack.fulcioURL, identityProvider: { getToken: () => lib.requestToken(stack) } });

  it('logs hashedrekord v0.0.2 entries whose bundles (proof + checkpoint, no SET) verify against the trusted root', async () => {
    const config = JSON.parse(readFileSync(stack.signingConfigRekorV2 ?? '', 'utf8')) as Record<string, any>;
    expect(config['rekorTlogUrls']).toEqual([expect.objectContaining({ url: stack.rekorV2URL, majorApiVersion: 2 })]);
    const data = Buffer.from('rekor v2 from the real stack');
    const bundle = bundleToJSON(await new MessageSignatureBundleBuilder({ signer: signer(), witnesses: witnesses() }).create({ data })) as Record<string, any>;
    const entry = bundle['verificationMaterial']['tlogEntries'][0];
    expect(entry['kindVersion']).toEqual({ kind: 'hashedrekord', version: '0.0.2' });
    expect(entry['inclusionPromise']).toBeUndefined();
    expect(entry['inclusionProof']['checkpoint']['envelope']).toContain(new URL(stack.rekorV2URL ?? '').hostname);
    const root = TrustedRoot.fromJSON(JSON.parse(readFileSync(stack.trustedRoot, 'utf8')));
    const verifier = new Verifier(toTrustMaterial(root), { tlogThreshold: 1, ctlogThreshold: 1, tsaThreshold: 1 });
    verifier.verify(toSignedEntity(bundleFromJSON(bundle), data), {
      subjectAlternativeName: stack.identity.subjectAlternativeName,
      extensions: { issuer: stack.identity.issuer },
    });
    expect(() =>
      verifier.verify(toSignedEntity(bundleFromJSON(bundle), Buffer.from('other')), { subjectAlternativeName: stack.identity.subjectAlternativeName }),
    ).toThrow();
  });

  // Real cosign v3 reads the stack's signing config, logs to rekor-tiles
  // (attestations as hashedrekord over the DSSE PAE) and our verifier reads it back.
  it('what cosign v3 signs and attests through the Rekor v2 signing config verifies with our CLI', async () => {
    if (!existsSync(join(ROOT, '.tools/bin/cosign3'))) return console.warn('cosign3 not built: cosign v3 on Rekor v2 not checked');
    const img = await lib.pushFixtureImage(stack, 'octo-org/cosign-v2-log');
    const predicate = join(work, 'predicate.json');
    writeFileSync(predicate, JSON.stringify({ buildDefinition: { buildType: 'https://example.com/build/v1' } }));
    const common = [
      '--yes',
      '--signing-config',
      stack.signingConfigRekorV2 ?? '',
      '--trusted-root',
      stack.trustedRoot,
      '--identity-token',
      await lib.requestToken(stack),
      '--allow-http-registry',
    ];
    expect(await tool('cosign3', ['sign', ...common, img.ref])).toMatchObject({ code: 0 });
    expect(await tool('cosign3', ['attest', ...common, '--type', 'slsaprovenance1', '--predicate', predicate, img.ref])).toMatchObject({ code: 0 });
    const kinds = (await fallbackReferrers(img.name, img.digest)).map((r) => (r.bundle as Record<string, any>)['verificationMaterial']['tlogEntries'][0]['kindVersion']);
    expect(kinds).toEqual([
      { kind: 'hashedrekord', version: '0.0.2' },
      { kind: 'hashedrekord', version: '0.0.2' },
    ]);
    const policy = lib.identityFlags(stack);
    const ok = await cli(['verify', img.ref, ...policy, '--type', 'slsaprovenance1']);
    expect(ok.out).toMatch(/^VERIFIED /);
    expect(ok.out).toMatch(/ok +referrer attestation https:\/\/slsa\.dev\/provenance\/v1/);
    expect(ok.code).toBe(0);
  });

  // Issue 10 §3: the action on Rekor v2: hashedrekord v0.0.2 for the signature and
  // (over the DSSE PAE) every attestation, TSA timestamps, referrers only.
  it('the action signs and attests on Rekor v2: proofs and checkpoints, timestamps, referrers only, said once', async () => {
    const img = await lib.pushFixtureImage(stack, 'octo-org/action-on-v2');
    const r = await runAction({
      inputs: { ...stackInputs(stack), images: img.ref, 'rekor-url': stack.rekorV2URL ?? '', 'rekor-version': '2', 'tsa-url': stack.tsaURL },
      env: stack.env,
    });
    expect(errorLines(r)).toEqual([]);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n').filter((l) => l.startsWith('::notice::') && /Rekor v2/.test(l))).toHaveLength(1);
    expect(r.summary).toContain('attached as OCI referrers (Sigstore bundles) only');
    expect(await getManifest(img.name, tagFor(img.digest, '.sig'))).toBeUndefined();
    expect(await getManifest(img.name, tagFor(img.digest, '.att'))).toBeUndefined();
    const refs = await fallbackReferrers(img.name, img.digest);
    expect(refs).toHaveLength(3);
    for (const ref of refs) {
      const vm = (ref.bundle as Record<string, any>)['verificationMaterial'];
      expect(vm['tlogEntries'][0]['kindVersion']).toEqual({ kind: 'hashedrekord', version: '0.0.2' });
      expect(vm['tlogEntries'][0]['inclusionPromise']).toBeUndefined();
      expect(vm['tlogEntries'][0]['inclusionProof']['checkpoint']['envelope']).toBeDefined();
      expect(vm['timestampVerificationData']['rfc3161Timestamps']).toHaveLength(1);
    }
    const policy = lib.identityFlags(stack);
    const ok = await cli(['verify', img.ref, ...policy, '--type', 'slsaprovenance1']);
    expect(ok.out).toMatch(/^VERIFIED /);
    expect(ok.code).toBe(0);
    // The bundle file verifies on its own; with its checkpoint, proof index or TSA timestamp altered it does not.
    const provenance = JSON.parse(readFileSync(r.outputs['provenance-bundle'] ?? '', 'utf8')) as Record<string, any>;
    expect(await cli(['verify-bundle', '--bundle', r.outputs['provenance-bundle'] ?? '', ...policy, img.digest])).toMatchObject({ code: 0 });
    const tampered = (edit: (b: Record<string, any>) => void) => {
      const b = JSON.parse(JSON.stringify(provenance)) as Record<string, any>;
      edit(b);
      const file = join(work, `tampered-${Math.random().toString(36).slice(2)}.json`);
      writeFileSync(file, JSON.stringify(b));
      return cli(['verify-bundle', '--bundle', file, ...policy, img.digest]);
    };
    const flip = (b64: string) => {
      const raw = Buffer.from(b64, 'base64');
      raw[raw.length - 1] = (raw[raw.length - 1] ?? 0) ^ 1;
      return raw.toString('base64');
    };
    const proof = (b: Record<string, any>) => b['verificationMaterial']['tlogEntries'][0]['inclusionProof'];
    const outcomes = {
      // (verifiers check the proof against the signed checkpoint's root, not the rootHash field)
      checkpointRoot: await tampered((b) => {
        const [origin, size, root, ...rest] = String(proof(b)['checkpoint']['envelope']).split('\n');
        proof(b)['checkpoint']['envelope'] = [origin, size, flip(root ?? ''), ...rest].join('\n');
      }),
      leafIndex: await tampered((b) => (proof(b)['logIndex'] = String(Number(proof(b)['logIndex'] ?? 0) + 1))),
      timestamp: await tampered((b) => {
        const ts = b['verificationMaterial']['timestampVerificationData']['rfc3161Timestamps'][0];
        ts['signedTimestamp'] = flip(ts['signedTimestamp']);
      }),
      noTimestamp: await tampered((b) => delete b['verificationMaterial']['timestampVerificationData']),
    };
    for (const [what, o] of Object.entries(outcomes)) expect({ what, code: o.code, out: o.out }).toMatchObject({ what, code: 1 });
    const args = [
      '--trusted-root',
      stack.trustedRoot,
      '--certificate-identity',
      stack.identity.subjectAlternativeName,
      '--certificate-oidc-issuer',
      stack.identity.issuer,
      '--allow-http-registry',
      img.ref,
    ];
    for (const [what, r2] of [
      ['cosign3 verify', await tool('cosign3', ['verify', ...args])],
      ['cosign3 verify-attestation', await tool('cosign3', ['verify-attestation', '--type', 'slsaprovenance1', ...args])],
    ] as const) {
      if (r2) expect({ what, ...r2 }).toMatchObject({ what, code: 0 });
    }
    // The step summary's cosign commands, run verbatim with cosign 2 and 3: a Rekor v2
    // entry has no integrated time, so cosign 2 needs the TSA's (--use-signed-timestamps).
    const commands = summaryCommands(r.summary).filter((c) => c.startsWith('cosign '));
    expect(commands.length).toBeGreaterThanOrEqual(3);
    for (const name of ['cosign2', 'cosign3']) {
      const bin = join(ROOT, '.tools/bin', name);
      if (!existsSync(bin)) continue;
      for (const c of commands) {
        const run = await execFileP('/bin/sh', ['-c', c.replace(/^cosign /, `${bin} `)], {
          env: { ...process.env, HOME: work, SIGSTORE_NO_CACHE: '1' },
          timeout: 60_000,
        }).then(
          () => ({ code: 0, out: '' }),
          (e: { code?: number; stdout?: string; stderr?: string }) => ({ code: e.code ?? 1, out: `${e.stdout ?? ''}${e.stderr ?? ''}` }),
        );
        expect({ name, c, ...run }).toMatchObject({ name, c, code: 0 });
      }
    }
  });

  // Issue 10 §2: the services come from the instance's signing config alone.
  for (const [name, log] of [
    ['signing_config.v0.2.json', 'v1'],
    ['signing_config.rekor-v2.v0.2.json', 'v2'],
  ] as const) {
    it(`takes Fulcio, Rekor ${log} and the TSA from ${name}, timestamping every signature`, async () => {
      const img = await lib.pushFixtureImage(stack, `octo-org/config-${log}`);
      const config = log === 'v1' ? stack.signingConfig : stack.signingConfigRekorV2;
      const r = await runAction({ inputs: { images: img.ref, 'trusted-root': stack.trustedRoot, 'signing-config': config ?? '', sbom: 'false' }, env: stack.env });
      expect(errorLines(r)).toEqual([]);
      expect(r.code).toBe(0);
      const bundles = ['signature-bundle', 'provenance-bundle'].map((k) => JSON.parse(readFileSync(r.outputs[k] ?? '', 'utf8')) as Record<string, any>);
      for (const b of bundles) {
        expect(b['verificationMaterial']['timestampVerificationData']['rfc3161Timestamps']).toHaveLength(1);
        expect(b['verificationMaterial']['tlogEntries'][0]['kindVersion']['version']).toBe(log === 'v1' ? '0.0.1' : '0.0.2');
      }
      expect(Boolean(await getManifest(img.name, tagFor(img.digest, '.sig')))).toBe(log === 'v1');
    });
  }

  // With no service input, the instance's TUF repository: trusted root and signing config.
  it('takes the trusted root and the services from the TUF mirror (signing_config.v0.2.json), timestamping every signature', async () => {
    const img = await lib.pushFixtureImage(stack, 'octo-org/config-tuf');
    const r = await runAction({ inputs: { images: img.ref, sbom: 'false', 'tuf-mirror-url': stack.tufMirrorURL, 'tuf-root': stack.tufRootPath }, env: stack.env });
    expect(errorLines(r)).toEqual([]);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('::warning::');
    expect(r.stdout).toContain(
      `Sigstore services from the signing config of ${stack.tufMirrorURL}: Fulcio ${stack.fulcioURL}, Rekor ${stack.rekorURL}, TSA ${stack.tsaTimestampURL}`,
    );
    for (const k of ['signature-bundle', 'provenance-bundle']) {
      const b = JSON.parse(readFileSync(r.outputs[k] ?? '', 'utf8')) as Record<string, any>;
      expect(b['verificationMaterial']['timestampVerificationData']['rfc3161Timestamps']).toHaveLength(1);
      expect(b['verificationMaterial']['tlogEntries'][0]['kindVersion']['version']).toBe('0.0.1');
    }
  });

  it('the action refuses Rekor v2 without a TSA before signing anything', async () => {
    const img = await lib.pushFixtureImage(stack, 'octo-org/v2-no-tsa');
    const r = await runAction({ inputs: { ...stackInputs(stack), images: img.ref, 'rekor-url': stack.rekorV2URL ?? '', 'rekor-version': '2' }, env: stack.env });
    expect(r.code).toBe(1);
    expect(errorLines(r)).toEqual([expect.stringMatching(/rekor-version: 2 needs tsa-url/)]);
    expect(await fallbackReferrers(img.name, img.digest)).toEqual([]);
  });

  it('refuses DSSE entries: rekor-tiles logs only hashedrekord', async () => {
    const statement = {
      _type: 'https://in-toto.io/Statement/v1',
      subject: [{ name: 'x', digest: { sha256: createHash('sha256').update('x').digest('hex') } }],
      predicateType: 'https://example.com/v1',
      predicate: {},
    };
    const builder = new DSSEBundleBuilder({ signer: signer(), witnesses: witnesses() });
    await expect(builder.create({ data: Buffer.from(JSON.stringify(statement)), type: 'application/vnd.in-toto+json' })).rejects.toThrow(/400.*must be hashedrekord/);
  });
});

describeReal('Rekor v1 refusing a body larger than --max_request_body_size', () => {
  const small = useStack({ name: 'real-sigstore-limit', real: true, rekorMaxBodySize: 8 * 1024 });

  it('ends with one error naming the size, the limit and the ways out, and attaches nothing', async () => {
    const img = await lib.pushFixtureImage(small, 'octo-org/big-sbom');
    const sbom = join(small.work, 'big.cdx.json');
    const components = Array.from({ length: 400 }, (_, i) => ({ type: 'library', name: `pkg-${i}`, version: '1.0.0', purl: `pkg:npm/pkg-${i}@1.0.0` }));
    writeFileSync(sbom, JSON.stringify({ bomFormat: 'CycloneDX', specVersion: '1.6', version: 1, components }));
    const r = await runAction({ inputs: { ...stackInputs(small), images: img.ref, sbom, provenance: 'false', sign: 'false' }, env: small.env });
    expect(r.code).toBe(1);
    const errors = errorLines(r);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/8192 bytes|8 KiB/);
    expect(errors[0]).toMatch(/sbom: false/);
    expect(await getManifest(img.name, tagFor(img.digest, '.att'))).toBeUndefined();
    expect(await fallbackReferrers(img.name, img.digest)).toEqual([]);
  });
});
