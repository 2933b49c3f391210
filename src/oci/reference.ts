import { ActionError } from '../errors.js';

// An image reference split the way registries address it. `registry` is the
// host used on the wire; `repository` never carries a tag or digest.
export interface Reference {
  registry: string;
  repository: string;
  tag?: string;
  digest?: string;
}

const DIGEST_RE = /^sha256:[a-f0-9]{64}$/;
const TAG_RE = /^[\w][\w.-]{0,127}$/;
const COMPONENT_RE = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const DOCKER_HUB = 'registry-1.docker.io';

export function isDigest(value: string): boolean {
  return DIGEST_RE.test(value);
}

// Parses `registry/repo[:tag][@sha256:hex]`, normalising Docker Hub names as
// docker does. Uppercase repository names are rejected by registries, so we
// say so up front rather than after a confusing 404.
export function parseReference(input: string): Reference {
  const raw = input.trim();
  const bad = (why: string): never => {
    throw new ActionError('INPUT', `images: "${raw}" is not a valid image reference (${why}); use registry/repository@sha256:<64 hex> or registry/repository:tag`);
  };
  if (!raw) bad('empty');
  if (/\s/.test(raw)) bad('contains whitespace');

  let rest = raw;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!isDigest(digest)) bad(`"${digest}" is not a sha256 digest`);
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG_RE.test(tag)) bad(`"${tag}" is not a valid tag`);
  }

  const parts = rest.split('/');
  let registry = 'docker.io';
  const first = parts[0] ?? '';
  if (parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost')) {
    registry = first;
    parts.shift();
  }
  if (registry === 'docker.io' || registry === 'index.docker.io') {
    registry = DOCKER_HUB;
    if (parts.length === 1) parts.unshift('library');
  }
  if (parts.length === 0 || parts.some((p) => !p)) bad('missing repository');
  for (const p of parts) {
    if (p !== p.toLowerCase()) bad('repository names must be lowercase');
    if (!COMPONENT_RE.test(p)) bad(`"${p}" is not a valid repository component`);
  }
  return { registry, repository: parts.join('/'), tag, digest };
}

// The name users see and verify against: `registry/repository`.
export function repoName(ref: Reference): string {
  const host = ref.registry === DOCKER_HUB ? 'docker.io' : ref.registry;
  return `${host}/${ref.repository}`;
}

export function formatReference(ref: Reference): string {
  const base = repoName(ref);
  if (ref.digest) return `${base}@${ref.digest}`;
  return ref.tag ? `${base}:${ref.tag}` : base;
}

// Registries on loopback are spoken to over plain HTTP (as docker does for
// localhost); everything else uses HTTPS.
export function registryBaseURL(registry: string): string {
  const host = registry.replace(/:\d+$/, '');
  const loopback = host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
  return `${loopback ? 'http' : 'https'}://${registry}`;
}

// The tag cosign and the referrers fallback derive from a digest.
export function digestTag(digest: string, suffix = ''): string {
  const [alg, hex] = digest.split(':');
  return `${(alg ?? '').slice(0, 32)}-${(hex ?? '').slice(0, 64)}${suffix}`;
}
