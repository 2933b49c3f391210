// One error type for every failure a user can cause or fix: the message is the
// single line printed with ::error::, so it must name the problem and the fix.
export type ErrorCode =
  'INPUT' | 'IDENTITY' | 'REGISTRY_AUTH' | 'REGISTRY_NOT_FOUND' | 'REGISTRY' | 'FULCIO' | 'REKOR' | 'TSA' | 'SBOM' | 'VERIFY' | 'GITHUB' | 'NETWORK';

export class ActionError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ActionError';
    this.code = code;
  }
}

// Returns a one-line description for any thrown value.
export function errorLine(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.replace(/\s*\n\s*/g, ' ').trim();
}
