// Pure readers of latency-proxy request logs, for bench/pipeline.mjs: which
// service each request went to, how sequential a run's requests were, and a
// printable trace. An entry is {proxy, method, path, start, end, status, ...}
// (ms since the epoch), as test/stack/latency-proxy.mjs records it.

export const SERVICES = ['registry', 'fulcio', 'rekor', 'tsa', 'token', 'other'];

/** The service a request went to; the stand-in serves all of Sigstore on one origin, so the path decides. */
export function serviceOf(entry) {
  if (entry.proxy === 'registry') return 'registry';
  const p = entry.path.split('?')[0];
  if (/\/signingCert$/.test(p)) return 'fulcio';
  if (/^\/api\/v[12]\/log/.test(p)) return 'rekor';
  if (p.startsWith('/api/v1/timestamp')) return 'tsa';
  if (p.startsWith('/_apis/actions/oidc/token')) return 'token';
  return 'other'; // trusted root, TUF, OIDC discovery
}

export const countByService = (entries) => Object.fromEntries(SERVICES.map((s) => [s, entries.filter((e) => serviceOf(e) === s).length]));

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/**
 * How sequential a run's requests were (entries sorted by start).
 * waves: a request that starts after every earlier one has ended opens a new
 * wave; overlapping requests share one (a lower bound on the round trips paid).
 * levels: per request, 1 + the deepest request that had ended before it
 * started; chain, the deepest level, is the longest run of back-to-back
 * requests (at D ms per request it costs at least chain x D; an upper bound on
 * the requests that truly wait for each other).
 */
export function sequence(entries) {
  let waves = 0;
  let frontier = -Infinity;
  const levels = [];
  entries.forEach((e, i) => {
    if (e.start >= frontier) waves++;
    frontier = Math.max(frontier, e.end);
    let deepest = 0;
    for (let j = 0; j < i; j++) if (entries[j].end <= e.start) deepest = Math.max(deepest, levels[j]);
    levels.push(deepest + 1);
  });
  return { waves, chain: Math.max(0, ...levels), levels };
}

/**
 * ms during which at least one response was being held back by the proxy: the
 * union of every request's delay window. Divided by D, the round trips the run
 * was exposed to, whatever the machine's speed (an upper bound on the latency
 * cost: a window during which the client computes something else costs nothing).
 */
export function exposedDelayMs(entries) {
  return unionMs(entries.filter((e) => e.delayMs > 0).map((e) => [e.start + e.upstreamMs, e.start + e.upstreamMs + e.delayMs]));
}

/** ms during which at least one request was in flight; a run's wall time minus this is time the client spent computing or sleeping. */
export const inFlightMs = (entries) => unionMs(entries.map((e) => [e.start, e.end]));

function unionMs(intervals) {
  const windows = [...intervals].sort((a, b) => a[0] - b[0]);
  let total = 0;
  let [from, to] = [-Infinity, -Infinity];
  for (const [a, b] of windows) {
    if (a > to) {
      if (to > from) total += to - from;
      [from, to] = [a, b];
    } else to = Math.max(to, b);
  }
  if (to > from) total += to - from;
  return total;
}

// Digests and upload session IDs cut to their first 8 characters.
const shortPath = (p) =>
  p
    .replace(/(sha256[:-])([0-9a-f]{8})[0-9a-f]{56}/g, '$1$2…')
    .replace(/(sha256%3A)([0-9a-f]{8})[0-9a-f]{56}/gi, '$1$2…')
    .replace(/(\/uploads\/[0-9a-f]{8})[0-9a-f-]{28}/g, '$1…')
    .replace(/\?_state=[^&]*&?/, '?')
    .replace(/\?$/, '');

/** One line per request: ms from `t0` (start-end), level, service, method, path, status; and a line for every idle stretch of 100 ms or more. */
export function traceLines(entries, t0) {
  const { levels } = sequence(entries);
  const lines = [];
  let frontier = t0;
  entries.forEach((e, i) => {
    // A stretch with nothing in flight: the client computing, or waiting on a timer.
    if (e.start - frontier >= 100) lines.push(`${' '.repeat(22)}… ${e.start - frontier} ms with no request in flight`);
    frontier = Math.max(frontier, e.end);
    lines.push(
      `${String(e.start - t0).padStart(6)}-${String(e.end - t0).padEnd(6)} L${String(levels[i]).padEnd(3)} ${serviceOf(e).padEnd(8)} ${e.method.padEnd(4)} ${shortPath(e.path)}  ${e.status}`,
    );
  });
  return lines;
}
