import { describe, expect, it } from '@jest/globals';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COSIGN } from '../../../src/formats/cosign.js';
import type { Target } from '../../../src/model.js';
import { attachAll, prepareAttach, type AttachOptions } from '../../../src/stages/attach.js';
import { signTarget } from '../../../src/stages/sign.js';
import { FakeRegistry, fakeImage } from '../helpers/fake-registry.js';
import { FakeSigner, provenance, sbom } from '../helpers/signed.js';

const REPO = 'org/app';

function target(reg: FakeRegistry): Target {
  const manifest = fakeImage(reg, REPO);
  return {
    kind: 'image',
    ref: { registry: reg.registry, repository: REPO, digest: manifest.digest },
    name: `${reg.registry}/${REPO}`,
    digest: manifest.digest,
    manifest,
  };
}

async function attach(reg: FakeRegistry, opts: AttachOptions, sign = true) {
  const t = target(reg);
  const signer = new FakeSigner();
  const predicates = [[provenance, sbom]];
  const registries = async () => reg;
  const prep = opts.attach === 'none' ? undefined : prepareAttach([t], predicates, sign, opts, registries);
  const st = await signTarget(signer, t, sign, opts.attach, predicates[0]!);
  const out = mkdtempSync(join(tmpdir(), 'attach-'));
  const [result] = await attachAll([st], prep, registries, signer.identity, out, opts);
  return { t, st, result: result! };
}

describe('attaching stage', () => {
  it('attach: both: cosign tags and referrers with a fallback index, one row per logged artifact saying where', async () => {
    const reg = new FakeRegistry();
    const { t, result } = await attach(reg, { attach: 'both', replace: false });
    const tag = `sha256-${t.digest.slice(7)}`;
    expect(result).toMatchObject({ name: t.name, digest: t.digest });
    expect(result.artifacts.map((a) => a.kind)).toEqual(['signature', 'signatureReferrer', 'provenance', 'sbom']);
    const [signature, signatureReferrer, prov, sb] = result.artifacts;
    expect(signature).toMatchObject({ tag: `${tag}.sig`, tagManifest: reg.tags.get(`${REPO}:${tag}.sig`) });
    expect(prov).toMatchObject({ tag: `${tag}.att`, tagManifest: reg.tags.get(`${REPO}:${tag}.att`), fallbackTag: tag, predicateType: provenance.predicateType });
    expect(sb).toMatchObject({ kind: 'sbom', format: 'cyclonedx', path: sbom.path, components: { npm: 1 } });
    const listed = reg.tagged(REPO, tag)?.manifests?.map((d) => d.digest);
    expect(listed?.sort()).toEqual([signatureReferrer!.referrer, prov!.referrer, sb!.referrer].sort());
    for (const a of result.artifacts) expect(a.bundle).toMatch(/\.sigstore\.json$/);
    // cosign's annotations, certificate and chain from the signer's identity
    expect(reg.tagged(REPO, `${tag}.sig`)?.layers?.[0]?.annotations).toMatchObject({ [COSIGN.certificate]: 'CERT', [COSIGN.chain]: 'CHAIN' });
  });

  it('reads the tags it will merge into and asks about the referrers API once, before anything is written', async () => {
    const reg = new FakeRegistry();
    await attach(reg, { attach: 'both', replace: false });
    const firstWrite = reg.calls.findIndex((c) => c.startsWith('POST') || c.startsWith('PUT'));
    const early = reg.calls.slice(0, firstWrite);
    expect(early.filter((c) => c.startsWith('GET referrers'))).toHaveLength(1);
    expect(early.filter((c) => /GET manifest .*\.(sig|att)$/.test(c))).toHaveLength(2);
    expect(reg.count('GET referrers')).toBe(1);
  });

  it('a registry with the referrers API gets no fallback index and rows carry no fallback tag', async () => {
    const reg = new FakeRegistry({ referrersAPI: true });
    const { result } = await attach(reg, { attach: 'referrers', replace: false });
    expect([...reg.tags.keys()]).toEqual([]);
    expect(result.artifacts.filter((a) => a.referrer)).toHaveLength(3);
    expect(result.artifacts.every((a) => a.fallbackTag === undefined && a.tag === undefined)).toBe(true);
  });

  it('attach: none writes nothing and still returns rows', async () => {
    const reg = new FakeRegistry();
    const { result } = await attach(reg, { attach: 'none', replace: false });
    expect(reg.calls.filter((c) => !c.startsWith('GET'))).toEqual([]);
    expect(result.artifacts.map((a) => a.kind)).toEqual(['signature', 'provenance', 'sbom']);
    expect(result.artifacts.every((a) => !a.tag && !a.referrer)).toBe(true);
  });

  it('with replace, an older .att layer of the same predicate type gives way', async () => {
    const reg = new FakeRegistry();
    await attach(reg, { attach: 'tags', replace: false });
    const { t } = await attach(reg, { attach: 'tags', replace: true });
    const layers = reg.tagged(REPO, `sha256-${t.digest.slice(7)}.att`)?.layers ?? [];
    expect(layers.map((l) => l.annotations?.['predicateType']).sort()).toEqual([provenance.predicateType, sbom.predicateType].sort());
  });
});
