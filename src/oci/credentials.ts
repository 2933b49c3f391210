import { getExecOutput } from '@actions/exec';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface Credentials {
  username?: string;
  password?: string;
  // An OAuth2 refresh token (ACR, `identitytoken` in docker config).
  identityToken?: string;
}

interface DockerConfig {
  auths?: Record<string, { auth?: string; username?: string; password?: string; identitytoken?: string }>;
  credHelpers?: Record<string, string>;
  credsStore?: string;
}

// Resolves credentials for a registry the way docker does after
// docker/login-action: explicit inputs, then ~/.docker/config.json (`auths`,
// then credential helpers), else anonymous. Every secret found is passed to
// `mask` before it can reach a log line.
export async function resolveCredentials(registry: string, explicit: Credentials | undefined, mask: (secret: string) => void): Promise<Credentials | undefined> {
  if (explicit?.username || explicit?.password) return explicit;
  const config = await readDockerConfig();
  if (!config) return undefined;
  const keys = registryKeys(registry);
  for (const key of keys) {
    const entry = config.auths?.[key];
    if (!entry) continue;
    if (entry.identitytoken) {
      mask(entry.identitytoken);
      return { identityToken: entry.identitytoken };
    }
    if (entry.auth) {
      const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
      const i = decoded.indexOf(':');
      const creds = { username: decoded.slice(0, i), password: decoded.slice(i + 1) };
      mask(entry.auth);
      mask(creds.password);
      return creds;
    }
    if (entry.username && entry.password) {
      mask(entry.password);
      return { username: entry.username, password: entry.password };
    }
  }
  const helper = keys.map((k) => config.credHelpers?.[k]).find(Boolean) ?? config.credsStore;
  if (helper) return credentialHelper(helper, registry, mask);
  return undefined;
}

async function readDockerConfig(): Promise<DockerConfig | undefined> {
  const dir = process.env['DOCKER_CONFIG'] ?? join(homedir(), '.docker');
  try {
    return JSON.parse(await readFile(join(dir, 'config.json'), 'utf8')) as DockerConfig;
  } catch {
    return undefined;
  }
}

// docker config keys come in several spellings for the same registry.
function registryKeys(registry: string): string[] {
  if (registry === 'registry-1.docker.io') {
    return ['https://index.docker.io/v1/', 'index.docker.io', 'docker.io', 'registry-1.docker.io'];
  }
  return [registry, `https://${registry}`, `http://${registry}`, `https://${registry}/v1/`];
}

// Runs `docker-credential-<helper> get`, the documented helper protocol.
async function credentialHelper(helper: string, registry: string, mask: (secret: string) => void): Promise<Credentials | undefined> {
  const server = registry === 'registry-1.docker.io' ? 'https://index.docker.io/v1/' : registry;
  const out = await getExecOutput(`docker-credential-${helper}`, ['get'], {
    input: Buffer.from(server),
    silent: true,
    ignoreReturnCode: true,
  }).catch(() => undefined);
  if (!out || out.exitCode !== 0) return undefined;
  try {
    const { Username, Secret } = JSON.parse(out.stdout) as { Username?: string; Secret?: string };
    if (!Secret) return undefined;
    mask(Secret);
    return Username === '<token>' ? { identityToken: Secret } : { username: Username, password: Secret };
  } catch {
    return undefined;
  }
}
