import * as undici from 'undici';
import { ActionError, type ErrorCode } from './errors.js';

// Requests go through the undici that @actions/core already bundles and loads
// at start (its HTTP client's proxy support), not Node's own copy behind the
// global fetch, which Node compiles on the first request (~15 ms before
// anything leaves). The same fetch; its types differ from the global ones
// only in members no caller uses.
const fetch = undici.fetch as unknown as typeof globalThis.fetch;
const Response = undici.Response as unknown as typeof globalThis.Response;

// A self-hosted runner behind a proxy has HTTPS_PROXY / HTTP_PROXY (and
// NO_PROXY) set, as the runner and @actions/http-client honour them: requests
// then go through that proxy (undici reads the same variables).
const PROXY_VARIABLES = ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY'];
export function proxyDispatcher(env: NodeJS.ProcessEnv): undici.Dispatcher | undefined {
  return PROXY_VARIABLES.some((k) => env[k]) ? new undici.EnvHttpProxyAgent() : undefined;
}

// Said with a network failure when a proxy is set (it may be what failed);
// the URL without any user:password it carries.
export function proxyNote(env: NodeJS.ProcessEnv): string {
  const name = PROXY_VARIABLES.find((k) => env[k]);
  if (!name) return '';
  let where = env[name] ?? '';
  try {
    where = new URL(where).origin;
  } catch {
    where = 'not a URL';
  }
  return ` (${name} is set: ${where})`;
}

// The one fetch path for every service (registry, Fulcio, Rekor, TSA, OIDC):
// a per-attempt header timeout, jittered exponential backoff on transient
// failures, Retry-After honoured, and one retry budget shared by the whole run.

export type Service = 'registry' | 'fulcio' | 'rekor' | 'tsa' | 'oidc' | 'github';

const SERVICE_NAMES: Record<Service, string> = {
  registry: 'The registry',
  fulcio: 'Fulcio',
  rekor: 'Rekor',
  tsa: 'The timestamp authority',
  oidc: 'The OIDC token endpoint',
  github: 'The GitHub API',
};

const SERVICE_CODES: Record<Service, ErrorCode> = {
  registry: 'REGISTRY',
  fulcio: 'FULCIO',
  rekor: 'REKOR',
  tsa: 'TSA',
  oidc: 'IDENTITY',
  github: 'GITHUB',
};

const SERVICE_FIX: Record<Service, string> = {
  registry: 'check the image name and that the registry is reachable, then re-run the job',
  fulcio: 'check fulcio-url, or re-run the job once Fulcio is back',
  rekor: 'check rekor-url, or re-run the job once Rekor is back',
  tsa: 'check tsa-url, or re-run the job once the timestamp authority is back',
  oidc: 'check that the job has `permissions: id-token: write`, then re-run',
  github: 're-run the job once the GitHub API answers',
};

export interface HttpOptions {
  retryBudgetMs: number;
  timeoutMs?: number;
  userAgent?: string;
  debug?: (line: string) => void;
  // Hears every retry before its wait, for the info-level log.
  onRetry?: (notice: RetryNotice) => void;
}

export interface RetryNotice {
  service: Service;
  serviceName: string;
  what: string; // `METHOD /path`
  failure: string; // `HTTP 503`, `ECONNRESET`, …
  attempt: number; // the attempt that failed
  delayMs: number;
  budgetLeftMs: number; // after the wait
  budgetMs: number;
}

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  // Only re-sendable bodies: a retry must send the same bytes again (a
  // StreamedBody is opened afresh for each attempt).
  body?: string | Uint8Array | StreamedBody;
  service: Service;
  redirect?: 'follow' | 'manual';
  // Hand back the live body (large blobs); otherwise the body is read inside
  // the retry loop, so a response cut off mid-body is retried like any fault.
  stream?: boolean;
  // The most bytes a buffered body may have (default MAX_BUFFERED_BYTES): a
  // larger Content-Length is refused before reading, and reading stops at
  // the limit, so a hostile server cannot make the run buffer gigabytes.
  maxBytes?: number;
}

// A request body made afresh for each attempt and sent slice by slice, for
// one too large to hold whole beside its source (a 10,000-package SBOM
// bundle for GitHub's attestation store): fetch would add its own copies of
// a string or buffer. A class, not a plain object: octokit JSON-encodes
// plain objects and hands anything else to its fetch as it is.
export class StreamedBody {
  constructor(
    // The body from its first byte; called once per attempt.
    readonly open: () => Iterable<Uint8Array> | AsyncIterable<Uint8Array>,
    // Its size in bytes, sent as Content-Length (chunked when unknown).
    readonly length?: number,
  ) {}
}

// No answer of any service is buffered beyond this unless the caller sets its
// own limit: the largest legitimate ones (a Rekor entry, a certificate chain,
// a registry error) are kilobytes.
export const MAX_BUFFERED_BYTES = 32 * 1024 * 1024;

// A body over its limit. Permanent: a retry would get the same body. Callers
// that know what was read (a manifest, a signature layer) rethrow it with
// their own words.
export class BodyTooLargeError extends ActionError {
  constructor(
    code: ErrorCode,
    message: string,
    readonly limit: number,
    // The Content-Length the server announced, when it announced one.
    readonly declared?: number,
  ) {
    super(code, message);
    this.name = 'BodyTooLargeError';
  }
}

// 501 and 505 are answers, not outages; every other 5xx may pass.
const isTransient = (status: number) => status === 408 || status === 429 || (status >= 500 && status !== 501 && status !== 505);
const BASE_DELAY_MS = 250;
const MAX_DELAY_MS = 15_000;
const MIN_ATTEMPT_MS = 3_000;

export class Http {
  // The run's retry deadline, armed by its first transient failure: every
  // later retry, of any service and however many run in parallel, must fit
  // before it, so the budget bounds wall-clock time spent recovering.
  private deadline?: number;
  readonly retryBudgetMs: number;
  private readonly timeoutMs: number;
  private readonly userAgent: string;
  private readonly debug: (line: string) => void;
  private readonly onRetry?: (notice: RetryNotice) => void;
  private readonly dispatcher = proxyDispatcher(process.env);
  private readonly proxyNote = proxyNote(process.env);
  // Counts retries per service, for the log and for tests that inject faults.
  readonly retries: Record<Service, number> = { registry: 0, fulcio: 0, rekor: 0, tsa: 0, oidc: 0, github: 0 };

  constructor(opts: HttpOptions) {
    this.retryBudgetMs = opts.retryBudgetMs;
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.userAgent = opts.userAgent ?? 'sign-attest-action';
    this.debug = opts.debug ?? (() => undefined);
    this.onRetry = opts.onRetry;
  }

  // Sends a request, retrying transient failures. Any final status is returned
  // to the caller, which decides what it means; only exhausted retries throw.
  async request(url: string, opts: RequestOptions): Promise<Response> {
    const method = opts.method ?? 'GET';
    for (let attempt = 1; ; attempt++) {
      const started = Date.now();
      let res: Response | undefined;
      let failure: string;
      try {
        res = await this.attempt(url, method, opts);
        if (!isTransient(res.status)) return res;
        failure = `HTTP ${res.status}`;
      } catch (err) {
        if (err instanceof ActionError) throw err;
        const reason = networkReason(err);
        failure = reason + this.proxyNote;
        // fetch follows at most 20 redirects; a loop, or a redirect to a
        // non-HTTP(S) or malformed location, answers the same way every time.
        if (PERMANENT_FETCH_FAILURES.has(reason)) {
          const what = reason === 'redirect count exceeded' ? 'redirected more than 20 times (a redirect loop)' : `redirected to an unusable location (${reason})`;
          throw new ActionError(
            SERVICE_CODES[opts.service],
            `${SERVICE_NAMES[opts.service]} at ${origin(url)} ${what} on ${method} ${pathOf(url)}; this is not retried: ${SERVICE_FIX[opts.service]}`,
          );
        }
      }
      const retryAfter = res ? retryAfterMs(res.headers.get('retry-after')) : undefined;
      if (res) await res.body?.cancel().catch(() => undefined);
      await this.backoff({ service: opts.service, url, what: `${method} ${pathOf(url)}`, failure, attempt, started, retryAfter });
    }
  }

  // Waits before the next attempt, or throws when that wait would overrun the
  // run's retry budget. Shared by `request` and by resumable blob streams.
  async backoff(f: { service: Service; url: string; what: string; failure: string; attempt: number; started: number; retryAfter?: number }): Promise<void> {
    this.deadline ??= f.started + this.retryBudgetMs;
    const delay = f.retryAfter ?? jitteredDelay(f.attempt);
    if (Date.now() + delay > this.deadline) {
      throw new ActionError(
        SERVICE_CODES[f.service],
        `${SERVICE_NAMES[f.service]} at ${origin(f.url)} failed: ${f.failure} on ${f.what} after ${f.attempt} attempt(s) within the ${formatSeconds(this.retryBudgetMs)} retry budget; ${SERVICE_FIX[f.service]}`,
      );
    }
    this.retries[f.service]++;
    this.debug(`${f.what} (${f.url}): ${f.failure}; retry ${f.attempt} in ${delay} ms`);
    this.onRetry?.({
      service: f.service,
      serviceName: SERVICE_NAMES[f.service],
      what: f.what,
      failure: f.failure,
      attempt: f.attempt,
      delayMs: delay,
      budgetLeftMs: Math.max(0, this.deadline - Date.now() - delay),
      budgetMs: this.retryBudgetMs,
    });
    await sleep(delay);
  }

  // An attempt may not outlive the retry budget that is left (a service that
  // accepts connections but never answers must not hold the run for longer),
  // but always gets a few seconds.
  private attemptTimeout(): number {
    const left = this.deadline === undefined ? this.retryBudgetMs : this.deadline - Date.now();
    return Math.min(this.timeoutMs, Math.max(left, MIN_ATTEMPT_MS));
  }

  private async attempt(url: string, method: string, opts: RequestOptions): Promise<Response> {
    // For streamed bodies the timeout covers the wait for headers only: a
    // large blob may legitimately stream for longer.
    const ctl = new AbortController();
    const timeout = this.attemptTimeout();
    const timer = setTimeout(() => ctl.abort(new Error(`no answer within ${formatSeconds(timeout)}`)), timeout);
    try {
      const res = await this.send(url, method, opts, ctl.signal);
      if (opts.stream) return res;
      // A HEAD's Content-Length describes the resource (a large blob), not a body.
      const empty = res.status === 204 || res.status === 304 || method === 'HEAD';
      if (empty) {
        await res.body?.cancel().catch(() => undefined);
        return new Response(null, { status: res.status, statusText: res.statusText, headers: res.headers });
      }
      const limit = opts.maxBytes ?? MAX_BUFFERED_BYTES;
      const bytes = await readLimited(res, limit, (declared) => {
        const size = declared === undefined ? `more than ${formatBytes(limit)}` : `${formatBytes(declared)} (its Content-Length)`;
        return new BodyTooLargeError(
          SERVICE_CODES[opts.service],
          `${SERVICE_NAMES[opts.service]} at ${origin(url)} answered ${method} ${pathOf(url)} with ${size}, over the ${formatBytes(limit)} limit`,
          limit,
          declared,
        );
      });
      return new Response(bytes, { status: res.status, statusText: res.statusText, headers: res.headers });
    } finally {
      clearTimeout(timer);
    }
  }

  // One fetch. A streamed body is pulled one slice at a time, as the socket
  // takes them; fetch cannot send a stream twice, so the redirects that keep
  // the body (307, 308: GitHub's answer for a renamed repository) are
  // followed here, the body opened afresh for each hop and, as fetch does,
  // the authorization header dropped on leaving the origin. Other redirects
  // of a streamed request come back as they are.
  private async send(url: string, method: string, opts: RequestOptions, signal: AbortSignal): Promise<Response> {
    const headers: Record<string, string> = { 'user-agent': this.userAgent, ...opts.headers };
    const redirect = opts.redirect ?? 'follow';
    const body = opts.body;
    const via = (init: RequestInit): RequestInit => (this.dispatcher ? ({ ...init, dispatcher: this.dispatcher } as unknown as RequestInit) : init);
    if (!(body instanceof StreamedBody)) return fetch(url, via({ method, headers, body, redirect, signal }));
    if (body.length !== undefined) headers['content-length'] = String(body.length);
    for (let hops = 0; ; hops++) {
      const res = await fetch(url, via({ method, headers, body: ReadableStream.from(body.open()), duplex: 'half', redirect: 'manual', signal }));
      const location = res.headers.get('location');
      if (redirect !== 'follow' || (res.status !== 307 && res.status !== 308) || location === null) return res;
      await res.body?.cancel().catch(() => undefined);
      if (hops === MAX_REDIRECTS) throw new TypeError('fetch failed', { cause: new Error('redirect count exceeded') });
      let next: URL;
      try {
        next = new URL(location, url);
      } catch (err) {
        throw new TypeError('fetch failed', { cause: err });
      }
      if (next.origin !== new URL(url).origin) for (const k of Object.keys(headers)) if (k.toLowerCase() === 'authorization') delete headers[k];
      url = next.toString();
    }
  }
}

const MAX_REDIRECTS = 20; // as fetch

const PERMANENT_FETCH_FAILURES = new Set(['redirect count exceeded', 'URL scheme must be a HTTP(S) scheme', 'ERR_INVALID_URL']);

// Reads a body into memory, refusing a Content-Length over `limit` before
// reading and cancelling the stream as soon as more than `limit` arrives.
export async function readLimited(res: Response, limit: number, tooLarge: (declared?: number) => Error): Promise<Buffer> {
  const header = res.headers.get('content-length');
  const declared = header === null ? NaN : Number(header);
  if (Number.isFinite(declared) && declared > limit) {
    await res.body?.cancel().catch(() => undefined);
    throw tooLarge(declared);
  }
  if (!res.body) return Buffer.alloc(0);
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader: ReadableStreamDefaultReader<Uint8Array> = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > limit) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total);
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}

// Full jitter keeps concurrent runs from retrying in lock-step.
function jitteredDelay(attempt: number): number {
  const cap = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** (attempt - 1));
  return Math.round(cap / 2 + (Math.random() * cap) / 2);
}

export function retryAfterMs(value: string | null): number | undefined {
  if (!value) return undefined;
  const secs = Number(value);
  if (Number.isFinite(secs)) return Math.max(0, secs * 1000);
  const when = Date.parse(value);
  return Number.isNaN(when) ? undefined : Math.max(0, when - Date.now());
}

function networkReason(err: unknown): string {
  const e = err as { message?: string; cause?: { code?: string; message?: string } };
  return e.cause?.code ?? e.cause?.message ?? e.message ?? String(err);
}

function origin(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}

function pathOf(url: string): string {
  try {
    return new URL(url).pathname;
  } catch {
    return url;
  }
}

function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(1))}s`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// Reads a JSON error body's message, for error lines.
export async function errorText(res: Response): Promise<string> {
  const text = await res.text().catch(() => '');
  try {
    const j = JSON.parse(text) as { message?: string; errors?: { code?: string; message?: string }[] };
    if (j.errors?.length) return j.errors.map((e) => [e.code, e.message].filter(Boolean).join(': ')).join('; ');
    if (j.message) return j.message;
  } catch {
    // not JSON
  }
  return text.trim().split('\n')[0]?.slice(0, 200) ?? '';
}
