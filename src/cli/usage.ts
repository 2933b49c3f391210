import { parseArgs } from 'node:util';
import { ActionError } from '../errors.js';

// The CLI's commands described once: the parser options, the help text
// (one line per option, an example per command) and usage errors all come
// from these tables.

export interface OptionSpec {
  type: 'string' | 'boolean';
  multiple?: boolean;
  short?: string;
  value?: string; // placeholder in help, e.g. FILE
  help: string;
}

export interface CommandSpec {
  name: string;
  summary: string;
  usage: string;
  options: Record<string, OptionSpec>;
  examples: string[];
}

const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';

const IDENTITY_OPTIONS: Record<string, OptionSpec> = {
  'certificate-identity': {
    type: 'string',
    value: 'ID',
    help: 'the exact signer identity, e.g. https://github.com/OWNER/REPO/.github/workflows/FILE.yml@refs/heads/main',
  },
  'certificate-identity-regexp': { type: 'string', value: 'RE', help: 'a regular expression the signer identity must match (instead of --certificate-identity)' },
  'certificate-oidc-issuer': { type: 'string', value: 'URL', help: `the OIDC issuer of the signer's certificate (GitHub Actions: ${GITHUB_ISSUER})` },
};

const COMMON_OPTIONS: Record<string, OptionSpec> = {
  'trusted-root': { type: 'string', value: 'FILE', help: 'a trusted_root.json to verify against (default: the Sigstore public-good root)' },
  help: { type: 'boolean', short: 'h', help: 'show this help' },
};

export const COMMANDS: CommandSpec[] = [
  {
    name: 'verify',
    summary: 'verify the signatures and attestations attached to images in a registry (an index: every platform image too)',
    usage:
      'sign-attest verify IMAGE... (--certificate-identity ID | --certificate-identity-regexp RE) --certificate-oidc-issuer URL [options]\n       sign-attest verify IMAGE... --key cosign.pub [--insecure-ignore-tlog] [options]',
    options: {
      ...IDENTITY_OPTIONS,
      key: { type: 'string', value: 'PEM', help: 'a public key file (cosign.pub) that must have signed, instead of an identity (signatures made with a cosign key)' },
      'insecure-ignore-tlog': {
        type: 'boolean',
        help: 'with --key: accept signatures not logged in a transparency log (signed with tlog-upload: false); no transparency guarantee',
      },
      type: {
        type: 'string',
        multiple: true,
        value: 'TYPE',
        help: 'require an attestation of this predicate type (cosign name such as slsaprovenance1, cyclonedx, spdxjson, openvex, vuln, or a URI); repeatable',
      },
      'no-require-signature': { type: 'boolean', help: 'do not require a signature (then at least one --type is needed)' },
      'registry-username': { type: 'string', value: 'USER', help: 'registry user (default: ~/.docker/config.json as docker login leaves it, then anonymous)' },
      'registry-password': {
        type: 'string',
        value: 'TOKEN',
        help: 'registry password or token (prefer --registry-password-stdin: arguments are visible to other processes)',
      },
      'registry-password-stdin': { type: 'boolean', help: 'read the registry password or token from standard input' },
      json: { type: 'boolean', help: 'print the verdicts as JSON instead of text' },
      ...COMMON_OPTIONS,
    },
    examples: [
      `sign-attest verify ghcr.io/org/app@sha256:<hex> \\
    --certificate-identity-regexp '^https://github\\.com/org/app/\\.github/workflows/release\\.yml@' \\
    --certificate-oidc-issuer ${GITHUB_ISSUER} --type slsaprovenance1 --type cyclonedx`,
      `sign-attest verify ghcr.io/org/app@sha256:<hex> --key cosign.pub --type slsaprovenance1`,
    ],
  },
  {
    name: 'sbom',
    summary: 'catalog an image (registry, OCI layout, OCI or docker archive) and write CycloneDX 1.6, SPDX 2.3 or a table',
    usage:
      'sign-attest sbom SOURCE [-o FORMAT[=FILE]]... [options]\n       SOURCE: registry/repository[:tag|@sha256:<hex>], oci-dir:PATH[:TAG], oci-archive:PATH[:TAG], docker-archive:PATH[:NAME:TAG]',
    options: {
      output: {
        type: 'string',
        multiple: true,
        short: 'o',
        value: 'FORMAT[=FILE]',
        help: 'cyclonedx-json, spdx-json or table (default: table on stdout); FORMAT=FILE writes a file; repeat for several formats from one scan (at most one to stdout)',
      },
      platform: {
        type: 'string',
        value: 'OS/ARCH[/VARIANT]',
        help: "the platform image to catalog when SOURCE is a multi-platform index (default: the only one, else this host's)",
      },
      quiet: { type: 'boolean', short: 'q', help: 'no progress on stderr (errors are still printed)' },
      'registry-username': { type: 'string', value: 'USER', help: 'registry user (default: ~/.docker/config.json as docker login leaves it, then anonymous)' },
      'registry-password': {
        type: 'string',
        value: 'TOKEN',
        help: 'registry password or token (prefer --registry-password-stdin: arguments are visible to other processes)',
      },
      'registry-password-stdin': { type: 'boolean', help: 'read the registry password or token from standard input' },
      help: { type: 'boolean', short: 'h', help: 'show this help' },
    },
    examples: [
      `sign-attest sbom ghcr.io/org/app:v1 -o cyclonedx-json=app.cdx.json -o spdx-json=app.spdx.json -o table`,
      `sign-attest sbom oci-archive:app.tar --platform linux/arm64 -o spdx-json > app.spdx.json`,
      `sign-attest sbom docker-archive:app.tar -q -o cyclonedx-json`,
    ],
  },
  {
    name: 'verify-bundle',
    summary: 'verify a Sigstore bundle file against a file or a digest (the Sigstore conformance protocol; a release file and its .sigstore.json or provenance bundle)',
    usage:
      'sign-attest verify-bundle --bundle FILE (--certificate-identity ID | --certificate-identity-regexp RE) --certificate-oidc-issuer URL [options] FILE_OR_DIGEST\n       sign-attest verify-bundle --bundle FILE --key PEM [options] FILE_OR_DIGEST',
    options: {
      bundle: { type: 'string', value: 'FILE', help: 'the Sigstore bundle (.sigstore.json) to verify' },
      ...IDENTITY_OPTIONS,
      key: { type: 'string', value: 'PEM', help: 'a public key file that must have signed (instead of an identity)' },
      'insecure-ignore-tlog': { type: 'boolean', help: 'with --key: accept a bundle with no transparency log entry; no transparency guarantee' },
      ...COMMON_OPTIONS,
    },
    examples: [
      `sign-attest verify-bundle --bundle provenance.sigstore.json \\
    --certificate-identity https://github.com/org/app/.github/workflows/release.yml@refs/heads/main \\
    --certificate-oidc-issuer ${GITHUB_ISSUER} sha256:<hex>`,
      `sign-attest verify-bundle --bundle app.tar.gz.sigstore.json \\
    --certificate-identity https://github.com/org/app/.github/workflows/release.yml@refs/heads/main \\
    --certificate-oidc-issuer ${GITHUB_ISSUER} app.tar.gz`,
    ],
  },
];

export function findCommand(name: string): CommandSpec | undefined {
  return COMMANDS.find((c) => c.name === name);
}

export function overview(version: string): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    `sign-attest ${version}: verify what sign-attest-action (or cosign) signed and attested, and make SBOMs of images`,
    '',
    'usage: sign-attest COMMAND [options]',
    '',
    'commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'options:',
    '  -h, --help     show help (also: sign-attest COMMAND --help)',
    '  -v, --version  print the version',
    '',
    'examples:',
    ...COMMANDS.map((c) => `  ${c.examples[0]}`),
  ].join('\n');
}

export function commandHelp(c: CommandSpec): string {
  const flag = (name: string, o: OptionSpec) => `${o.short ? `-${o.short}, ` : ''}--${name}${o.value ? ` ${o.value}` : ''}`;
  const entries = Object.entries(c.options);
  const width = Math.max(...entries.map(([n, o]) => flag(n, o).length));
  return [
    `sign-attest ${c.name}: ${c.summary}`,
    '',
    `usage: ${c.usage}`,
    '',
    'options:',
    ...entries.map(([n, o]) => `  ${flag(n, o).padEnd(width)}  ${o.help}`),
    '',
    'example:',
    ...c.examples.map((e) => `  ${e}`),
  ].join('\n');
}

// A mistake in how the CLI was called: printed with a pointer to --help, exit 2.
export class UsageError extends ActionError {
  constructor(
    message: string,
    readonly command?: string,
  ) {
    super('INPUT', message);
    this.name = 'UsageError';
  }
}

export type Parsed = { values: Record<string, string | boolean | string[] | undefined>; positionals: string[] };

// parseArgs with the command's table; its errors become one-line usage errors.
export function parseCommand(c: CommandSpec, args: string[]): Parsed {
  const options = Object.fromEntries(
    Object.entries(c.options).map(([n, o]) => [n, { type: o.type, ...(o.multiple ? { multiple: true } : {}), ...(o.short ? { short: o.short } : {}) }]),
  );
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true }) as Parsed;
  } catch (err) {
    const e = err as { code?: string; message?: string };
    const text = (e.message ?? String(err)).split('\n')[0]?.replace(/\. To specify a positional argument.*$/, '') ?? '';
    throw new UsageError(`${c.name}: ${text.replace(/^Unknown option '([^']+)'\.?/, 'unknown option $1')}`, c.name);
  }
}
