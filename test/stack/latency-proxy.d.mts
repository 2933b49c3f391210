// Types for latency-proxy.mjs.

export interface LatencyLogEntry {
  /** the proxy's name (default: the target's host) */
  proxy: string;
  method: string;
  /** path and query as the client sent them */
  path: string;
  /** fault-proxy's classify(): manifest-put, blob-head, rekor-post, fulcio, oidc-token, ... */
  class: string;
  /** ms since the epoch: request arrived, response fully sent */
  start: number;
  end: number;
  /** ms until the upstream's response head arrived (before the added delay) */
  upstreamMs: number;
  /** the delay added to this response (the proxy's delay when the request arrived, plus the connect delay on a new connection) */
  delayMs: number;
  status: number;
  reqBytes: number;
  resBytes: number;
}

export interface LatencyProxy {
  url: string;
  host: string;
  port: number;
  target: string;
  /** connectMs: the extra delay of a new connection's first response (default: unchanged) */
  setDelay(ms: number, connectMs?: number): void;
  delay(): number;
  log(): LatencyLogEntry[];
  connections(): number;
  reset(): void;
  close(): Promise<void>;
}

export declare function startLatencyProxy(o: { target: string; delayMs?: number; connectDelayMs?: number; port?: number; name?: string }): Promise<LatencyProxy>;
