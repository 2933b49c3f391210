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
  /** Set when the real services run (startStack({real: true})); the fields below only then. */
  real?: true;
  /** Like signingConfig (signing_config.v0.2.json: Fulcio, Rekor v1, TSA, OIDC), listing Rekor v2
   *  (rekor-tiles) instead of v1; null when rekor-tiles is not built. */
  signingConfigRekorV2?: string | null;
  rekorV2URL?: string | null;
  ctlogURL?: string;
  rekorMaxBodySize?: number;
  trees?: { rekor: string; ctlog: string };
  /** ms since the start of startRealSigstore at which each service was ready. */
  timings?: Record<string, number>;
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
  /** The real Sigstore services; default: env SIGN_ATTEST_REAL_SIGSTORE=1. */
  real?: boolean;
  /** With real: Rekor v1's --max_request_body_size in bytes. */
  rekorMaxBodySize?: number;
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
export function failService(stack: StackInfo, service: Service, opts?: { status?: number; count?: number; mode?: 'error' | 'down' | 'hang' }): Promise<unknown>;
export function clearFailures(stack: StackInfo, service?: Service | 'all'): Promise<unknown>;
export function setClaims(stack: StackInfo, claims: Record<string, unknown>): Promise<Record<string, unknown>>;
export function resetClaims(stack: StackInfo): Promise<Record<string, unknown>>;
export function identityFlags(stack: StackInfo): string[];
export function tokenURL(stack: StackInfo, audience?: string): string;
export function requestToken(stack: StackInfo, audience?: string): Promise<string>;

/** What is missing to run the real services (empty when they can run). */
export function missingRealTools(): string[];
/** Whether rekor-tiles (Rekor v2) is built into .tools/bin. */
export function hasRekorV2(): boolean;
