// Types for stack.mjs, so TypeScript tests can import the launcher directly.

export interface StackInfo {
  stateDir: string;
  /** "127.0.0.1:PORT" of the anonymous registry. */
  registry: string;
  registryURL: string;
  /** "127.0.0.1:PORT" of the htpasswd registry, or null when started without auth. */
  authRegistry: string | null;
  authRegistryURL: string | null;
  registryCredentials: { username: string; password: string } | null;
  /** Base URL of fake-sigstore; Fulcio, Rekor and TSA all live here. */
  url: string;
  fulcioURL: string;
  rekorURL: string;
  /** Base URL as sigstore-js expects it (it appends /api/v1/timestamp). */
  tsaURL: string;
  tsaTimestampURL: string;
  /** ACTIONS_ID_TOKEN_REQUEST_URL: already contains "?api-version=2.0". */
  tokenURL: string;
  requestToken: string;
  issuer: string;
  /** Path of trusted_root.json. */
  trustedRoot: string;
  trustedRootURL: string;
  /** Path of signing_config.v0.2.json naming this stack's Fulcio, Rekor v1 and TSA (cosign v3 --signing-config). */
  signingConfig: string;
  signingConfigURL: string;
  tufMirrorURL: string;
  tufRootPath: string;
  /** Path of the Rekor public key (PEM). */
  rekorPublicKey: string;
  identity: { subjectAlternativeName: string; issuer: string };
  env: { ACTIONS_ID_TOKEN_REQUEST_URL: string; ACTIONS_ID_TOKEN_REQUEST_TOKEN: string };
  pids: Record<string, number>;
  logs: string;
}

export interface Stack extends StackInfo {
  /** Stops only the processes this call started and waits for them to exit. */
  stop(): Promise<void>;
}

export interface StartOptions {
  stateDir: string;
  auth?: boolean;
  rekorPrefill?: number;
  claims?: Record<string, unknown>;
  detached?: boolean;
}

export interface PushedImage {
  /** name@digest */
  ref: string;
  digest: string;
  /** "127.0.0.1:PORT/repo" */
  name: string;
  tag: string;
  /** name:tag */
  tagRef: string;
}

export type Stats = Record<'token' | 'oidc' | 'fulcio' | 'rekorPost' | 'rekorGet' | 'rekorLog' | 'tsa' | 'trust' | 'tuf', number>;
export type Service = keyof Stats | 'rekor';

export function startStack(options: StartOptions): Promise<Stack>;
export function stopStack(stateDir: string): Promise<number[]>;
export function buildFixtureLayout(outDir: string, tag?: string): Promise<string>;
export function pushFixtureImage(stack: StackInfo, repo: string, tag?: string, opts?: { auth?: boolean }): Promise<PushedImage>;
export function getStats(stack: StackInfo): Promise<Stats>;
export function resetStats(stack: StackInfo): Promise<Stats>;
export function failService(
  stack: StackInfo,
  service: Service,
  opts?: { status?: number; count?: number; mode?: 'error' | 'down' | 'hang' },
): Promise<unknown>;
export function clearFailures(stack: StackInfo, service?: Service | 'all'): Promise<unknown>;
export function setClaims(stack: StackInfo, claims: Record<string, unknown>): Promise<Record<string, unknown>>;
export function resetClaims(stack: StackInfo): Promise<Record<string, unknown>>;
export function tokenURL(stack: StackInfo, audience?: string): string;
export function requestToken(stack: StackInfo, audience?: string): Promise<string>;
