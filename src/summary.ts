import { cosignTypeName, PREDICATE_TYPES } from './formats/predicates.js';
import { rekorEntryURL } from './sigstore/bundle.js';
import type { ArtifactResult, FileArtifact, FileResult, ImageResult, RunContext } from './results.js';

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
  predicate: 'Attestation',
};

export function renderSummary(images: ImageResult[], ctx: RunContext, files: FileResult[] = []): string {
  const out = verdict(images, ctx, files);
  if (ctx.note) out.push(`> ${html(ctx.note)}`, '');
  const explained = new Set<string>();
  for (const img of images) out.push(...imageSection(img, ctx, explained));
  if (files.length) out.push(...filesSection(files, ctx));
  return out.join('\n') + '\n';
}

// The page at a glance: what happened, who signed, that it all verified.
function verdict(images: ImageResult[], ctx: RunContext, files: FileResult[]): string[] {
  const kinds = new Set<string>([...images, ...files].flatMap((i) => i.artifacts.map((a) => a.kind)));
  const signed = kinds.has('signature') || kinds.has('signatureReferrer');
  const attested = kinds.has('sbom') || kinds.has('provenance') || kinds.has('predicate');
  const what = signed && attested ? 'Signed and attested' : signed ? 'Signed' : 'Attested';
  const platforms = images.filter((i) => i.platform).length;
  const indexes = images.filter((i) => i.platforms).length;
  const imageCount =
    platforms && indexes ? `${n(images.length, 'image')} (${n(indexes, 'index', 'indexes')} and ${n(platforms, 'platform image')})` : n(images.length, 'image');
  const fileCount = n(files.length, 'release file');
  const count = images.length && files.length ? `${imageCount} and ${fileCount}` : files.length ? fileCount : imageCount;
  const time = ctx.elapsedMs === undefined ? '' : ` in ${duration(ctx.elapsedMs)}`;
  // A statement over many files is one entry, listed under each of them.
  const entries = images.reduce((sum, i) => sum + i.artifacts.length, 0) + new Set(files.flatMap((f) => f.artifacts.map((a) => a.uuid))).size;
  const root = ctx.trustFiles ? 'the custom trusted root' : 'the Sigstore public-good trusted root';
  const attached = ctx.attach === 'none' ? ' Nothing was attached to the registry (`attach: none`): the bundle files are listed in the `results` output.' : '';
  if (ctx.key) return [`## ✅ ${what} ${count}${time}`, '', ...keyVerdict(ctx.key, entries, root, attached)];
  return [
    `## ✅ ${what} ${count}${time}`,
    '',
    `Signed by ${codeSpan(ctx.san)} (issuer ${codeSpan(ctx.issuer)}). All ${n(entries, 'Rekor entry', 'Rekor entries')} were self-verified against ${root} before anything was written to the registry.${attached}`,
    '',
    ...storeLines(ctx),
  ];
}

// GitHub's attestation store: how many bundles it took, with a link to the
// repository's Attestations page, and any warning in words.
function storeLines(ctx: RunContext): string[] {
  const s = ctx.store;
  if (!s) return [];
  const page = `[${text(s.repository)}’s attestations](${linkURL(s.page)})`;
  const stored = s.stored
    ? `${n(s.stored, 'bundle')} of ${s.total} stored in ${page}: \`gh attestation verify\` finds them there too (the commands below read the registry, \`--bundle-from-oci\`, which works wherever the image can be pulled).`
    : `Nothing stored in ${page}.`;
  return [`**GitHub attestation store:** ${stored}${s.warnings.map((w) => ` ⚠️ ${text(w)}`).join('')}`, ''];
}

// Key signing: who signed is the key, and without a log verifiers must be
// told what they give up.
function keyVerdict(key: NonNullable<RunContext['key']>, entries: number, root: string, attached: string): string[] {
  const signer = `Signed with the key of \`signing-key\` (public key hint ${codeSpan(key.hint)}): verifiers pin its public key, \`cosign.pub\`, with \`--key\`.`;
  if (key.tlog)
    return [
      `${signer} All ${n(entries, 'Rekor entry', 'Rekor entries')} were self-verified against ${root} before anything was written to the registry.${attached}`,
      '',
    ];
  return [
    `${signer} All ${n(entries, 'bundle')} were self-verified with the key before anything was written to the registry.${attached}`,
    '',
    '> **Not logged in a transparency log** (`tlog-upload: false`). Nobody can see or audit these signatures, and a leaked key could sign other images unseen. ' +
      'Verifiers must accept that explicitly with `--insecure-ignore-tlog` (cosign and the `sign-attest` CLI) or `insecure-ignore-tlog: true` (the verify action), as in the commands below; without it they reject these signatures for having no log entry.',
    '',
  ];
}

function imageSection(img: ImageResult, ctx: RunContext, explained: Set<string>): string[] {
  const what = img.platform
    ? ` (${text(img.platform)})`
    : img.platforms
      ? ` (multi-platform index${img.platforms.length ? `: ${text(img.platforms.join(', '))}` : ''})`
      : '';
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
    const where = [
      ...(a.tag ? [`tag ${codeSpan(tagSuffix(a.tag, img.digest), true)}`] : []),
      ...(a.referrer ? [`referrer ${codeSpan(a.referrer, true)}`] : []),
      ...(a.attestationId !== undefined && a.attestationUrl ? [`[attestation ${a.attestationId}](${linkURL(a.attestationUrl)})`] : []),
    ];
    return [
      label(a),
      a.logIndex === undefined ? 'not logged' : ctx.rekorVersion === 2 ? String(a.logIndex) : rekorLink(ctx.rekorURL, a.logIndex),
      where.length ? where.join(', ') : 'not attached (bundle file only)',
    ];
  });
  return [['Artifact', 'Rekor entry', 'Attached as'], ['---', '---', '---'], ...rows].map((cells) => `| ${cells.join(' | ')} |`).concat('');
}

// Predicate type URIs are listed under the table: in a cell they widen it
// past the page next to a full digest.
function label(a: ArtifactResult): string {
  if (a.kind === 'predicate') return `${LABELS.predicate} (${text(a.typeName ?? predicateWord(a.predicateType ?? ''))})`;
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
        ? [
            once(
              'fallback',
              'the bare tag lists the OCI referrers, as this registry has no referrers API (the OCI fallback that cosign, gh and oras read)',
              'the bare tag lists the OCI referrers',
            ),
          ]
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
  const attestations = img.artifacts.filter(isAttestation);
  if (attestations.length) {
    const described = attestations.map((a) => {
      const figures = a.kind === 'sbom' && a.components ? ` with ${sbomFigures(img, a.components)}` : '';
      const what = a.kind === 'sbom' ? 'SBOM' : a.kind === 'provenance' ? 'SLSA provenance' : text(a.typeName ?? 'custom predicate');
      return `${what} ${codeSpan(a.predicateType ?? '')}${figures}`;
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
  const out = [
    '<details>',
    `<summary>Verify ${subject}: ${ctx.attach === 'none' ? 'the bundle files with the sign-attest CLI' : `cosign, ${ctx.key ? '' : 'gh, '}the verify action, the sign-attest CLI`}</summary>`,
    '',
  ];
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

// Who must have signed: the identity, or (key signing) the public key.
const identityLines = (ctx: RunContext) =>
  ctx.key
    ? [`--key ${KEY_FILE}`, ...(ctx.key.tlog ? [] : ['--insecure-ignore-tlog'])]
    : [flag('--certificate-identity', sh(ctx.san)), flag('--certificate-oidc-issuer', sh(ctx.issuer))];

// The public key of signing-key, as cosign generate-key-pair names it.
const KEY_FILE = 'cosign.pub';

// One argument (or flag) per continuation line, so nothing scrolls sideways
// but a single long argument such as the image reference itself.
const command = (head: string, args: string[]) => [head, ...args.map((a) => `  ${a}`)].join(' \\\n');

function cosignType(a: { kind: string; predicateType?: string; typeName?: string }): string {
  if (a.kind === 'provenance') return 'slsaprovenance1';
  if (a.typeName) return sh(a.typeName);
  // A custom predicate given by URI still gets cosign's short name when it has one.
  if (a.kind === 'predicate') return sh(cosignTypeName(a.predicateType ?? ''));
  return a.predicateType === CYCLONEDX ? 'cyclonedx' : sh(a.predicateType ?? '');
}

const isAttestation = (a: ArtifactResult) => a.kind === 'sbom' || a.kind === 'provenance' || a.kind === 'predicate';

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
  const predicates = img.artifacts.filter((a) => a.kind === 'predicate');
  for (const p of predicates) commands.push(cosign(`verify-attestation --type ${cosignType(p)}`));
  // gh verifies certificates from GitHub workflows only, not key signatures.
  if (ctx.repository && !ctx.key && (provenance || sbom || predicates.length) && ctx.attach !== 'tags') {
    const custom = ctx.trustFiles ? [`--custom-trusted-root ${sh(ctx.trustFiles.jsonl)}`] : [];
    const gh = (extra: string[]) => command('gh attestation verify', [`oci://${ref}`, `--bundle-from-oci --repo ${sh(ctx.repository ?? '')}`, ...extra, ...custom]);
    if (provenance) commands.push(gh([]));
    if (sbom) commands.push(gh([`--predicate-type ${sh(sbom.predicateType ?? '')}`]));
    for (const p of predicates) commands.push(gh([`--predicate-type ${sh(p.predicateType ?? '')}`]));
  }
  return commands;
}

// A custom root goes to cosign as --trusted-root, except where only tags are
// written: cosign 2 reads .sig/.att against a custom instance only from
// PEM files named by environment variables (cosign 3 reads those as well).
function cosignCommand(ref: string, ctx: RunContext): (cmd: string) => string {
  // A Rekor v2 entry has no integrated time: cosign 2 accepts the TSA's only when asked (cosign 3 takes the flag too).
  const ts = ctx.rekorVersion === 2 ? ' --use-signed-timestamps' : '';
  const legacy = ctx.attach === 'tags' ? ctx.trustFiles?.legacy : undefined;
  if (legacy) {
    const vars = [
      `SIGSTORE_ROOT_FILE=${sh(legacy.roots)}`,
      `SIGSTORE_REKOR_PUBLIC_KEY=${sh(legacy.rekorKey)}`,
      ...(legacy.ctlogKey ? [`SIGSTORE_CT_LOG_PUBLIC_KEY_FILE=${sh(legacy.ctlogKey)}`] : []),
    ];
    return (cmd) => `${vars.join(' \\\n  ')} \\\n  ${command(`cosign ${cmd}${ts}`, [ref, ...identityLines(ctx)]).replace(/\n/g, '\n  ')}`;
  }
  const root = ctx.trustFiles ? [`--trusted-root ${sh(ctx.trustFiles.json)}`] : [];
  return (cmd) => command(`cosign ${cmd}${ts}`, [ref, ...identityLines(ctx), ...root]);
}

// Predicate types as the verify action and the CLI take them.
function requiredTypes(img: ImageResult): string[] {
  return img.artifacts
    .filter(isAttestation)
    .map((a) => (a.kind === 'provenance' ? 'slsaprovenance1' : a.typeName ? a.typeName : a.predicateType === CYCLONEDX ? 'cyclonedx' : (a.predicateType ?? '')));
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
    ...(ctx.key
      ? [input('key', KEY_FILE), ...(ctx.key.tlog ? [] : ["    insecure-ignore-tlog: 'true'"])]
      : [input('certificate-identity', ctx.san), input('certificate-oidc-issuer', ctx.issuer)]),
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
    .filter((a) => isAttestation(a) && a.bundle)
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

// Release files: a table of the first files with their signature entries,
// the statements over all of them, and the verify commands for one file (the
// same for every file but the name). A step summary holds at most 1 MiB, so
// thousands of files are listed in the `results` output, not here.
const FILE_ROWS = 20;

function filesSection(files: FileResult[], ctx: RunContext): string[] {
  const out = ['### Release files', ''];
  const rows = files.slice(0, FILE_ROWS).map((f) => {
    const sig = f.artifacts.find((a) => a.kind === 'signature');
    return [
      codeSpan(f.name, true),
      codeSpan(f.digest.replace(/^sha256:/, '').slice(0, 12), true),
      sig ? logCell(ctx, sig.logIndex) : 'not signed',
      sig ? codeSpan(sig.bundle, true) : '',
    ];
  });
  out.push(...[['File', 'sha256', 'Signature (Rekor entry)', 'Bundle'], ['---', '---', '---', '---'], ...rows].map((c) => `| ${c.join(' | ')} |`));
  if (files.length > FILE_ROWS)
    out.push('', `…and ${n(files.length - FILE_ROWS, 'more file')}: every file, with its bundles and log indexes, is in the \`results\` output.`);
  out.push('');
  const statements = [...new Map(files.flatMap((f) => f.artifacts.filter((a) => a.kind !== 'signature').map((a) => [a.uuid ?? a.bundle, a] as const))).values()];
  if (statements.length) {
    const described = statements.map(
      (a) =>
        `${a.kind === 'provenance' ? 'SLSA provenance' : text(a.typeName ?? 'custom predicate')} ${codeSpan(a.predicateType ?? '')} over ${n(a.subjects ?? 0, 'file')}${a.part ? ` (part ${a.part})` : ''}, Rekor entry ${logCell(ctx, a.logIndex)}, bundle ${codeSpan(a.bundle)}`,
    );
    out.push(`- **Attestations:** ${described.join('; ')}.`);
  }
  if (files.some((f) => !f.path && f.artifacts.some((a) => a.kind === 'signature'))) {
    out.push(
      '- **Files from subject-checksums** are not on this runner: their signature bundles are in the run folder above, named after the file; put each next to its file to verify.',
    );
  }
  out.push('');
  const first = files[0] as FileResult;
  out.push('<details>', `<summary>Verify a release file (${text(first.name)}; the same for every file): cosign, gh, the sign-attest CLI</summary>`, '');
  out.push('```sh', ...fileCommands(first, ctx).join('\n\n').split('\n'), '```', '');
  if (ctx.trustFiles) out.push('These name the trusted root this run wrote on the runner; elsewhere, name your copy of the instance’s `trusted_root.json`.', '');
  out.push('</details>', '');
  return out;
}

function fileCommands(f: FileResult, ctx: RunContext): string[] {
  // The name relative to the workspace: the commands run from a checkout or a download folder.
  const file = sh(f.name);
  const root = ctx.trustFiles ? [`--trusted-root ${sh(ctx.trustFiles.json)}`] : [];
  const commands: string[] = [];
  const sig = f.artifacts.find((a) => a.kind === 'signature');
  const statements = f.artifacts.filter((a): a is FileArtifact => a.kind !== 'signature');
  // A Rekor v2 entry has no integrated time: cosign 2 takes the TSA's only when asked.
  const ts = ctx.rekorVersion === 2 ? ' --use-signed-timestamps' : '';
  if (sig) commands.push(command(`cosign verify-blob${ts}`, [`--bundle ${sh(sig.bundle)}`, ...identityLines(ctx), ...root, file]));
  for (const a of statements) {
    commands.push(command(`cosign verify-blob-attestation${ts} --type ${cosignType(a)}`, [`--bundle ${sh(a.bundle)}`, ...identityLines(ctx), ...root, file]));
  }
  // gh verifies certificates from GitHub workflows only, not key signatures.
  if (ctx.repository && !ctx.key) {
    const custom = ctx.trustFiles ? [`--custom-trusted-root ${sh(ctx.trustFiles.jsonl)}`] : [];
    for (const a of statements) {
      const type = a.kind === 'provenance' ? [] : [`--predicate-type ${sh(a.predicateType ?? '')}`];
      commands.push(command(`gh attestation verify ${file}`, [`--bundle ${sh(a.bundle)}`, `--repo ${sh(ctx.repository)}`, ...type, ...custom]));
    }
  }
  for (const a of [...(sig ? [sig] : []), ...statements]) {
    commands.push(command('npx sign-attest verify-bundle', [`--bundle ${sh(a.bundle)}`, ...identityLines(ctx), ...root, file]));
  }
  return commands;
}

const logCell = (ctx: RunContext, logIndex: number | undefined) =>
  logIndex === undefined ? 'not logged' : ctx.rekorVersion === 2 ? String(logIndex) : rekorLink(ctx.rekorURL, logIndex);

// The last meaningful word of a predicate type URI, for a label.
function predicateWord(uri: string): string {
  const words = uri
    .replace(/^[a-z]+:\/\//i, '')
    .split(/[/#?]+/)
    .filter(Boolean);
  return words.filter((w) => !/^v?\d+(\.\d+)*$/.test(w)).pop() ?? uri;
}

// Rekor v2 serves tiles, not entries by index, so its indexes are not linked.
function rekorLink(rekorURL: string, logIndex: number): string {
  const url = rekorEntryURL(rekorURL, logIndex);
  // Only web URLs become links; characters that end a markdown link or a table cell are percent-encoded.
  if (!/^https?:\/\//i.test(url)) return String(logIndex);
  return `[${logIndex}](${linkURL(url)})`;
}

// Characters that end a markdown link or a table cell, percent-encoded.
function linkURL(url: string): string {
  return url.replace(/[\s()<>[\]|`\\"]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
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
