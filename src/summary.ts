import { rekorEntryURL } from './sigstore/bundle.js';
import type { ArtifactResult, ImageResult, RunContext } from './results.js';

// Pure: results in, step-summary markdown out. Every value that came from a
// user or a registry is escaped before it lands in HTML or a code span.

const LABELS: Record<ArtifactResult['kind'], string> = {
  signature: 'Signature',
  signatureReferrer: 'Signature (Sigstore bundle)',
  sbom: 'SBOM attestation',
  provenance: 'SLSA provenance attestation',
};

export function renderSummary(images: ImageResult[], ctx: RunContext): string {
  const out: string[] = ['## Signed and attested images', ''];
  for (const img of images) {
    const ref = `${img.name}@${img.digest}`;
    out.push(`### \`${code(ref)}\`${img.platform ? ` (${html(img.platform)})` : ''}`, '');
    out.push('| Artifact | Rekor log index | Attached at |', '| --- | --- | --- |');
    for (const a of img.artifacts) {
      const link = `<a href="${html(rekorEntryURL(ctx.rekorURL, a.logIndex))}">${a.logIndex}</a>`;
      out.push(`| ${LABELS[a.kind]}${a.predicateType ? ` <br><sub>${html(a.predicateType)}</sub>` : ''} | ${link} | ${where(a)} |`);
    }
    out.push('');
  }
  out.push(...verifyCommands(images, ctx));
  return out.join('\n') + '\n';
}

function where(a: ArtifactResult): string {
  const places: string[] = [];
  if (a.tag) places.push(`tag <code>${html(a.tag)}</code>`);
  if (a.referrer) places.push(`referrer <code>${html(a.referrer.slice(0, 19))}…</code>${a.fallbackTag ? ' (tag fallback)' : ''}`);
  return places.length ? places.join('<br>') : 'not attached (bundle file only)';
}

function verifyCommands(images: ImageResult[], ctx: RunContext): string[] {
  const first = images[0];
  if (!first) return [];
  const ref = sh(`${first.name}@${first.digest}`);
  const identity = `--certificate-identity ${sh(ctx.san)} \\\n  --certificate-oidc-issuer ${sh(ctx.issuer)}`;
  const cosign = cosignCommand(ref, identity, ctx);
  const kinds = new Set(first.artifacts.map((a) => a.kind));
  const lines = ['### Verify', ''];
  if (ctx.attach === 'none') lines.push('Nothing was attached to the registry (`attach: none`); verify the bundle files from the `results` output.', '');
  lines.push('```sh');
  if (kinds.has('signature')) lines.push(cosign('verify'), '');
  if (kinds.has('provenance')) lines.push(cosign('verify-attestation --type slsaprovenance1'), '');
  if (kinds.has('sbom')) {
    const sbom = first.artifacts.find((a) => a.kind === 'sbom');
    const type = sbom?.predicateType === 'https://cyclonedx.org/bom' ? 'cyclonedx' : sh(sbom?.predicateType ?? '');
    lines.push(cosign(`verify-attestation --type ${type}`), '');
  }
  if (ctx.repository && (kinds.has('provenance') || kinds.has('sbom')) && ctx.attach !== 'tags' && ctx.attach !== 'none') {
    const custom = ctx.trustFiles ? ` \\\n  --custom-trusted-root ${sh(ctx.trustFiles.jsonl)}` : '';
    if (kinds.has('provenance')) lines.push(`gh attestation verify oci://${ref} --bundle-from-oci \\\n  --repo ${sh(ctx.repository)}${custom}`, '');
    if (kinds.has('sbom')) {
      const type = first.artifacts.find((a) => a.kind === 'sbom')?.predicateType ?? '';
      lines.push(`gh attestation verify oci://${ref} --bundle-from-oci \\\n  --repo ${sh(ctx.repository)} --predicate-type ${sh(type)}${custom}`, '');
    }
  }
  if (lines[lines.length - 1] === '') lines.pop();
  lines.push('```', '');
  if (images.length > 1) lines.push(`The same commands apply to the other ${images.length - 1} image(s) with their own digests (see the \`results\` output).`, '');
  return lines;
}

// A custom root goes to cosign as --trusted-root, except where only tags are
// written: cosign 2 reads .sig/.att against a custom instance only from
// PEM files named by environment variables (cosign 3 reads those as well).
function cosignCommand(ref: string, identity: string, ctx: RunContext): (cmd: string) => string {
  const legacy = ctx.attach === 'tags' ? ctx.trustFiles?.legacy : undefined;
  if (legacy) {
    const vars = [
      `SIGSTORE_ROOT_FILE=${sh(legacy.roots)}`,
      `SIGSTORE_REKOR_PUBLIC_KEY=${sh(legacy.rekorKey)}`,
      ...(legacy.ctlogKey ? [`SIGSTORE_CT_LOG_PUBLIC_KEY_FILE=${sh(legacy.ctlogKey)}`] : []),
    ];
    return (cmd) => `${vars.join(' \\\n  ')} \\\n  cosign ${cmd} ${ref} \\\n  ${identity}`;
  }
  const root = ctx.trustFiles ? ` \\\n  --trusted-root ${sh(ctx.trustFiles.json)}` : '';
  return (cmd) => `cosign ${cmd} ${ref} \\\n  ${identity}${root}`;
}

// HTML-escapes text placed in table cells and headings.
export function html(s: string): string {
  return s.replace(/[&<>"'|`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

// Inside a code span only backticks and line breaks can break out.
function code(s: string): string {
  return s.replace(/[`\r\n]/g, '');
}

// Single-quotes a shell argument when it needs quoting.
export function sh(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
