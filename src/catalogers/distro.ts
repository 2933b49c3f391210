import type { Distro } from './types.js';

// Files that identify the distro, in syft's order of preference.
export const DISTRO_FILES = ['/etc/os-release', '/usr/lib/os-release', '/etc/debian_version'] as const;

function unquote(value: string): string {
  const v = value.trim();
  if (v.length >= 2 && (v[0] === '"' || v[0] === "'") && v.at(-1) === v[0]) return v.slice(1, -1).replace(/\\(["'$`\\])/g, '$1');
  return v;
}

export function parseOsRelease(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^\s*([A-Z0-9_]+)=(.*)$/.exec(line);
    if (m) fields[m[1]!] = unquote(m[2]!);
  }
  return fields;
}

export function identifyDistro(osRelease: string | undefined, debianVersion: string | undefined): Distro | undefined {
  if (osRelease === undefined) return undefined;
  const f = parseOsRelease(osRelease);
  if (!f.ID) return undefined;
  const distro: Distro = {
    id: f.ID.toLowerCase(),
    idLike: (f.ID_LIKE ?? '')
      .split(/\s+/)
      .filter(Boolean)
      .map((s) => s.toLowerCase()),
    versionId: f.VERSION_ID,
    versionCodename: f.VERSION_CODENAME,
    buildId: f.BUILD_ID,
    prettyName: f.PRETTY_NAME,
  };
  // os-release says "12"; /etc/debian_version has the point release ("12.7"),
  // which vulnerability matchers need. Testing/sid write "trixie/sid": ignore.
  const point = debianVersion?.trim();
  if (distro.id === 'debian' && point && /^\d+(\.\d+)*$/.test(point) && point.split('.')[0] === distro.versionId) {
    distro.versionId = point;
  }
  return distro;
}

// The purl `distro` qualifier: ID-VERSION_ID, else ID-BUILD_ID.
export function distroQualifier(distro: Distro | undefined): string | undefined {
  if (!distro) return undefined;
  const version = distro.versionId ?? distro.buildId;
  return version ? `${distro.id}-${version}` : distro.id;
}
