import { PREDICATE_TYPES } from './formats/predicates.js';
import { rekorEntryURL } from './sigstore/bundle.js';
import type { ArtifactResult, ImageResult, RunContext } from './results.js';

// Pure: results in, step-summary markdown out. A verdict line, then per image
// a table of what was logged and where it was attached, and its verify
// commands folded in a <details> block. Every value that came from a user or
// a registry lands in a code span, a shell-quoted argument or escaped text;
// the only raw HTML is <details>/<summary>.

const CYCLONEDX = PREDICATE_TYPES.cyclonedx;
const VERIFY_ACTION_PLACEHOLDER = 'OWNER/sign-attest-action/verify@v1';

const LABELS: Record<ArtifactResult['kind'], string> = {
  signature: 'Signature (cosign)',
  signatureReferrer: 'Signature (bundle)',
  sbom: 'SBOM',
  provenance: 'SLSA provenance',
};

export function renderSummary(images: ImageResult[], ctx: RunContext): string {
  const out = verdict(images, ctx);
  if (ctx.note) out.push(`> ${html(ctx.note)}`, '');
  const explained = new Set<string>();
  for (const img of images) out.push(...imageSection(img, ctx, explained));
  return out.join('\n') + '\n';
}

// The page at a glance: what happened, who signed, that it all verified.
function verdict(images: ImageResult[], ctx: RunContext): string[] {
  const kinds = new Set(images.flatMap((i) => i.artifacts.map((a) => a.kind)));
  const signed = kinds.has('signature') || kinds.has('signatureReferrer');
  const attested = kinds.has('sbom') || kinds.has('provenance');
  const what = signed && attested ? 'Signed and attested' : signed ? 'Signed' : 'Attested';
  const platforms = images.filter((i) => i.platform).length;
  const indexes = images.filter((i) => i.platforms).length;
  const count = platforms && indexes ? `${n(images.length, 'image')} (${n(indexes, 'index', 'indexes')} and ${n(platforms, 'platform image')})` : n(images.length, 'image');
  const time = ctx.elapsedMs === undefined ? '' : ` in ${duration(ctx.elapsedMs)}`;
  const entries = images.reduce((sum, i) => sum + i.artifacts.length, 0);
  const root = ctx.trustFiles ? 'the custom trusted root' : 'the Sigstore public-good trusted root';
  const attached = ctx.attach === 'none' ? ' Nothing was attached to the registry (`attach: none`): the bundle files are listed in the `results` output.' : '';
  return [
    `## ✅ ${what} ${count}${time}`,
    '',
    `Signed by ${codeSpan(ctx.san)} (issuer ${codeSpan(ctx.issuer)}). All ${n(entries, 'Rekor entry', 'Rekor entries')} were self-verified against ${root} before anything was written to the registry.${attached}`,
    '',
  ];
}

function imageSection(img: ImageResult, ctx: RunContext, explained: Set<string>): string[] {
  const what = img.platform ? ` (${text(img.platform)})` : img.platforms ? ` (multi-platform index${img.platforms.length ? `: ${text(img.platforms.join(', '))}` : ''})` : '';
  return [
    `### ${codeSpan(img.name)}${what}`,
    '',
    codeSpan(`${img.name}@${img.digest}`),
    '',
    ...artifactTable(img, ctx),
    ...notes(img, explained),
    ...verifyDetails(img, ctx),
  ];
}

// One row per Rekor entry, three columns so that a full referrer digest
// fits the page. cosign tags are named after the image digest, so a cell
// shows only their suffix and the note below names them once.
function artifactTable(img: ImageResult, ctx: RunContext): string[] {
  const rows = img.artifacts.map((a) => {
    const where = [...(a.tag ? [`tag ${codeSpan(tagSuffix(a.tag, img.digest), true)}`] : []), ...(a.referrer ? [`referrer ${codeSpan(a.referrer, true)}`] : [])];
    return [label(a), (ctx.rekorVersion === 2 ? String(a.logIndex) : rekorLink(ctx.rekorURL, a.logIndex)), where.length ? where.join(', ') : 'not attached (bundle file only)'];
  });
  return [['Artifact', 'Rekor entry', 'Attached as'], ['---', '---', '---'], ...rows].map((cells) => `| ${cells.join(' | ')} |`).concat('');
}

// Predicate type URIs are listed under the table: in a cell they widen it
// past the page next to a full digest.
function label(a: ArtifactResult): string {
  if (a.kind !== 'sbom') return LABELS[a.kind];
  const format = a.predicateType === CYCLONEDX ? 'CycloneDX' : a.predicateType?.startsWith('https://spdx.dev/') ? 'SPDX' : undefined;
  return format ? `SBOM (${format})` : LABELS.sbom;
}

// What a maintainer may wonder about the table, in words: each explanation
// in full under the first image it concerns, in short under the next ones.
function notes(img: ImageResult, explained: Set<string>): string[] {
  const once = (key: string, full: string, short: string) => (explained.has(key) ? short : (explained.add(key), full));
  const out: string[] = [];
  const base = img.digest.replace(':', '-');
  const suffixes = [...new Set(img.artifacts.flatMap((a) => (a.tag ? [tagSuffix(a.tag, img.digest)] : [])))];
  const fallback = img.artifacts.some((a) => a.fallbackTag);
  const referrers = img.artifacts.some((a) => a.referrer);
  if (suffixes.length || fallback) {
    const parts = [
      ...(suffixes.length ? [`${suffixes.map((t) => codeSpan(t)).join(' and ')} hold the cosign format`] : []),
      ...(fallback
        ? [once('fallback', 'the bare tag lists the OCI referrers, as this registry has no referrers API (the OCI fallback that cosign, gh and oras read)', 'the bare tag lists the OCI referrers')]
        : []),
    ];
    out.push(`- **Tags**, named after the digest ${codeSpan(base)}: ${parts.join('; ')}.`);
  }
  if (referrers && !fallback) out.push('- **Referrers:** listed by the registry’s referrers API.');
  const sig = img.artifacts.find((a) => a.kind === 'signature');
  if (sig && img.artifacts.some((a) => a.kind === 'signatureReferrer') && !explained.has('two signatures')) {
    explained.add('two signatures');
    out.push(
      `- **Why two signatures:** one per format verifiers read, each with its own Rekor entry: cosign’s classic signature${sig.tag ? ' (the `.sig` tag, read by cosign 2)' : ' (not attached with `attach: referrers`; its bundle file is in the `results` output)'} and a Sigstore bundle (the referrer, read by cosign 3).`,
    );
  }
  const attestations = img.artifacts.filter((a) => a.kind === 'sbom' || a.kind === 'provenance');
  if (attestations.length) {
    const described = attestations.map((a) => {
      const figures = a.kind === 'sbom' && a.components ? ` with ${sbomFigures(img, a.components)}` : '';
      return `${a.kind === 'sbom' ? 'SBOM' : 'SLSA provenance'} ${codeSpan(a.predicateType ?? '')}${figures}`;
    });
    out.push(`- **Attestations:** ${described.join('; ')}.`);
  }
  return out.length ? [...out, ''] : [];
}

function sbomFigures(img: ImageResult, components: Record<string, number>): string {
  const counts = Object.entries(components);
  const total = counts.reduce((sum, [, c]) => sum + c, 0);
  if (img.platforms && counts.every(([type]) => type === 'oci')) {
    return `the ${n(total, 'platform image')} of this index as its components (each platform's packages are in its own SBOM, below)`;
  }
  if (total === 0) return 'no components';
  return `${n(total, 'component')} (${counts.map(([type, c]) => `${c} ${text(type)}`).join(', ')})`;
}

// The verify commands for one image, folded: cosign and gh, the verify
// action, and the CLI. Each command runs verbatim in sh and bash.
function verifyDetails(img: ImageResult, ctx: RunContext): string[] {
  const subject = img.platform ? text(img.platform) : img.platforms ? 'this index' : 'this image';
  const out = ['<details>', `<summary>Verify ${subject}: ${ctx.attach === 'none' ? 'the bundle files with the sign-attest CLI' : 'cosign, gh, the verify action, the sign-attest CLI'}</summary>`, ''];
  const cli = 'the `sign-attest` CLI (in a checkout of sign-attest-action, after `npm ci`)';
  if (ctx.attach === 'none') {
    out.push(`Nothing is in the registry, so verify each attestation's bundle file against the image digest with ${cli}:`, '');
    out.push('```sh', ...bundleCommands(img, ctx).join('\n\n').split('\n'), '```', '');
  } else {
    const tools = cosignAndGh(img, ctx);
    out.push(`With ${tools.some((c) => c.startsWith('gh ')) ? 'cosign and gh' : 'cosign'}:`, '', '```sh', ...tools.join('\n\n').split('\n'), '```', '');
    const action = ctx.verifyAction ?? VERIFY_ACTION_PLACEHOLDER;
    const where = ctx.verifyAction ? '' : ' (`OWNER/…@v1`: the repository and version you use the signing action from)';
    out.push(`In a workflow, with the verify action${where}:`, '', '```yaml', ...verifyActionStep(img, ctx, action), '```', '');
    out.push(`From a terminal, with ${cli}:`, '', '```sh', ...cliCommand(img, ctx).split('\n'), '```', '');
  }
  if (ctx.trustFiles) out.push('These name the trusted root this run wrote on the runner; elsewhere, name your copy of the instance’s `trusted_root.json`.', '');
  out.push('</details>', '');
  return out;
}

// Code blocks show about this many columns before they scroll sideways.
const WIDTH = 100;

// A flag and its value on one line, or the value on the next when together
// they would scroll (a long SAN); either way the shell reads the same words.
const flag = (name: string, value: string) => (`  ${name} ${value} \\`.length > WIDTH ? `${name} \\\n    ${value}` : `${name} ${value}`);

const identityLines = (ctx: RunContext) => [flag('--certificate-identity', sh(ctx.san)), flag('--certificate-oidc-issuer', sh(ctx.issuer))];

// One argument (or flag) per continuation line, so nothing scrolls sideways
// but a single long argument such as the image reference itself.
const command = (head: string, args: string[]) => [head, ...args.map((a) => `  ${a}`)].join(' \\\n');

function cosignType(a: ArtifactResult): string {
  if (a.kind === 'provenance') return 'slsaprovenance1';
  return a.predicateType === CYCLONEDX ? 'cyclonedx' : sh(a.predicateType ?? '');
}

function cosignAndGh(img: ImageResult, ctx: RunContext): string[] {
  const ref = sh(`${img.name}@${img.digest}`);
  const cosign = cosignCommand(ref, ctx);
  const find = (kind: ArtifactResult['kind']) => img.artifacts.find((a) => a.kind === kind);
  const sbom = find('sbom');
  const provenance = find('provenance');
  const commands: string[] = [];
  if (find('signature')) commands.push(cosign('verify'));
  if (provenance) commands.push(cosign(`verify-attestation --type ${cosignType(provenance)}`));
  if (sbom) commands.push(cosign(`verify-attestation --type ${cosignType(sbom)}`));
  if (ctx.repository && (provenance || sbom) && ctx.attach !== 'tags') {
    const custom = ctx.trustFiles ? [`--custom-trusted-root ${sh(ctx.trustFiles.jsonl)}`] : [];
    const gh = (extra: string[]) => command('gh attestation verify', [`oci://${ref}`, `--bundle-from-oci --repo ${sh(ctx.repository ?? '')}`, ...extra, ...custom]);
    if (provenance) commands.push(gh([]));
    if (sbom) commands.push(gh([`--predicate-type ${sh(sbom.predicateType ?? '')}`]));
  }
  return commands;
}

// A custom root goes to cosign as --trusted-root, except where only tags are
// written: cosign 2 reads .sig/.att against a custom instance only from
// PEM files named by environment variables (cosign 3 reads those as well).
function cosignCommand(ref: string, ctx: RunContext): (cmd: string) => string {
  const legacy = ctx.attach === 'tags' ? ctx.trustFiles?.legacy : undefined;
  if (legacy) {
    const vars = [
      `SIGSTORE_ROOT_FILE=${sh(legacy.roots)}`,
      `SIGSTORE_REKOR_PUBLIC_KEY=${sh(legacy.rekorKey)}`,
      ...(legacy.ctlogKey ? [`SIGSTORE_CT_LOG_PUBLIC_KEY_FILE=${sh(legacy.ctlogKey)}`] : []),
    ];
    return (cmd) => `${vars.join(' \\\n  ')} \\\n  ${command(`cosign ${cmd}`, [ref, ...identityLines(ctx)]).replace(/\n/g, '\n  ')}`;
  }
  const root = ctx.trustFiles ? [`--trusted-root ${sh(ctx.trustFiles.json)}`] : [];
  return (cmd) => command(`cosign ${cmd}`, [ref, ...identityLines(ctx), ...root]);
}

// Predicate types as the verify action and the CLI take them.
function requiredTypes(img: ImageResult): string[] {
  return img.artifacts.filter((a) => a.kind === 'provenance' || a.kind === 'sbom').map((a) => (a.kind === 'provenance' ? 'slsaprovenance1' : a.predicateType === CYCLONEDX ? 'cyclonedx' : (a.predicateType ?? '')));
}

const hasSignature = (img: ImageResult) => img.artifacts.some((a) => a.kind === 'signature' || a.kind === 'signatureReferrer');

function verifyActionStep(img: ImageResult, ctx: RunContext, action: string): string[] {
  const types = requiredTypes(img);
  const input = (key: string, value: string) => {
    const line = `    ${key}: ${yaml(value)}`;
    // Folded (>-) puts a long plain value on its own line; YAML reads the same string.
    return line.length > WIDTH && yaml(value) === value ? `    ${key}: >-\n      ${value}` : line;
  };
  return [
    `- uses: ${yaml(action)}`,
    '  with:',
    input('images', `${img.name}@${img.digest}`),
    input('certificate-identity', ctx.san),
    input('certificate-oidc-issuer', ctx.issuer),
    ...(types.length ? [input('predicate-types', types.join(','))] : []),
    ...(hasSignature(img) ? [] : ["    require-signature: 'false'"]),
    ...(ctx.trustFiles ? [input('trusted-root', ctx.trustFiles.json)] : []),
  ].flatMap((l) => l.split('\n'));
}

function cliCommand(img: ImageResult, ctx: RunContext): string {
  const types = requiredTypes(img);
  return command('npx sign-attest verify', [
    sh(`${img.name}@${img.digest}`),
    ...identityLines(ctx),
    ...(types.length ? [types.map((t) => `--type ${sh(t)}`).join(' ')] : []),
    ...(hasSignature(img) ? [] : ['--no-require-signature']),
    ...(ctx.trustFiles ? [`--trusted-root ${sh(ctx.trustFiles.json)}`] : []),
  ]);
}

// With `attach: none`, each attestation bundle against the image digest.
function bundleCommands(img: ImageResult, ctx: RunContext): string[] {
  return img.artifacts
    .filter((a) => (a.kind === 'sbom' || a.kind === 'provenance') && a.bundle)
    .map((a) =>
      command('npx sign-attest verify-bundle', [
        `--bundle ${sh(a.bundle)}`,
        ...identityLines(ctx),
        ...(ctx.trustFiles ? [`--trusted-root ${sh(ctx.trustFiles.json)}`] : []),
        sh(img.digest),
      ]),
    );
}

// `sha256-<hex>.sig` → `.sig`: the digest part is the image's own.
function tagSuffix(tag: string, digest: string): string {
  const base = digest.replace(':', '-');
  return tag.startsWith(base) && tag.length > base.length ? tag.slice(base.length) : tag;
}

// Rekor v2 serves tiles, not entries by index, so its indexes are not linked.
function rekorLink(rekorURL: string, logIndex: number): string {
  const url = rekorEntryURL(rekorURL, logIndex);
  // Only web URLs become links; characters that end a markdown link or a table cell are percent-encoded.
  if (!/^https?:\/\//i.test(url)) return String(logIndex);
  return `[${logIndex}](${url.replace(/[\s()<>[\]|`\\"]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`)})`;
}

function duration(ms: number): string {
  const s = ms / 1000;
  if (s < 10) return `${s.toFixed(1)} s`;
  if (s < 60) return `${Math.round(s)} s`;
  return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

const n = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;

// A code span that holds any text: a fence longer than any backtick run
// inside, line breaks flattened, and pipes escaped inside a table cell
// (GFM splits cells before it reads code spans).
function codeSpan(s: string, inTable = false): string {
  let t = s.replace(/[\r\n]+/g, ' ');
  if (inTable) t = t.replace(/\|/g, '\\|');
  const longest = Math.max(0, ...(t.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  const pad = /^[` ]|[` ]$/.test(t) ? ' ' : '';
  return `${fence}${pad}${t}${pad}${fence}`;
}

// Plain text in markdown or HTML: markup and markdown punctuation as entities.
export function html(s: string): string {
  return s.replace(/[&<>"'|`*_[\]\\~\r\n]/g, (c) => (c === '\r' || c === '\n' ? ' ' : `&#${c.charCodeAt(0)};`));
}
const text = html;

// A YAML scalar: plain when it cannot be misread, else double-quoted (JSON
// strings are YAML double-quoted scalars).
function yaml(s: string): string {
  return /^[A-Za-z0-9][\w@%+=:,./-]*$/.test(s) && !s.endsWith(':') ? s : JSON.stringify(s);
}

// Single-quotes a shell argument when it needs quoting.
export function sh(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}
