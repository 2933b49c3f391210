// Types for github-api.mjs (the GitHub attestation store stand-in).

export declare const API_VERSIONS: string[];
export declare const BUNDLE_V03: string;
export declare const MAX_BODY_BYTES: number;

export type Permission = 'write' | 'read' | 'none';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  status: number;
  body?: unknown;
}

export interface StoredAttestation {
  id: number;
  repo: string;
  bundle: Record<string, unknown>;
  digests: string[];
  predicateType: string;
}

export interface GitHubApi {
  url: string;
  requests: RecordedRequest[];
  stored: StoredAttestation[];
  fail(status: number, opts?: { times?: number; method?: string; headers?: Record<string, string>; body?: unknown }): void;
  clearFaults(): void;
  setToken(token: string, perms: { attestations: Permission }): void;
  unref(): void;
  close(): Promise<void>;
}

export declare function startGitHubApi(opts?: {
  port?: number;
  repos?: Record<string, { id?: number; userPrivate?: boolean }>;
  tokens?: Record<string, { attestations: Permission }>;
}): Promise<GitHubApi>;

export declare function bundleProblem(body: unknown): { message: string } | undefined;
export declare function snappyLiteral(data: Buffer): Buffer;
