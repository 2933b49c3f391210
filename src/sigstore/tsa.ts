import { createHash } from 'node:crypto';
import { ActionError } from '../errors.js';
import { errorText, type Http } from '../http.js';

// RFC 3161 timestamp over a signature, from a sigstore timestamp-authority.
// tsa-url may be the service root or the full endpoint, as in signing configs.
export async function requestTimestamp(http: Http, tsaURL: string, signature: Buffer): Promise<Buffer> {
  const url = new URL(tsaURL).pathname.replace(/\/+$/, '') === '' ? `${tsaURL.replace(/\/+$/, '')}/api/v1/timestamp` : tsaURL;
  const res = await http.request(url, {
    method: 'POST',
    service: 'tsa',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      artifactHash: createHash('sha256').update(signature).digest('base64'),
      hashAlgorithm: 'sha256',
    }),
  });
  if (!res.ok) {
    const detail = await errorText(res);
    throw new ActionError(
      'TSA',
      `The timestamp authority at ${new URL(url).origin} refused the request (HTTP ${res.status}${detail ? `: ${detail}` : ''}); check tsa-url`,
    );
  }
  return Buffer.from(await res.arrayBuffer());
}
