// Compiling a lazily loaded chunk holds the event loop for tens of
// milliseconds. Started two turns of the loop after requests were asked
// for, it normally runs once they are written (their connections open in the
// first turn) and so overlaps the wait for the answers instead of delaying
// the requests; at worst it runs first, as a plain import would.
export function afterRequestsLeave<T>(work: () => Promise<T>): Promise<T> {
  return new Promise<void>((resolve) => setImmediate(() => setImmediate(resolve))).then(work);
}
