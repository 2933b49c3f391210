import { ActionError } from '../errors.js';
import { errorText, type Http } from '../http.js';

// Fulcio v2 `signingCert`: one request per run, proving possession of the
// ephemeral key by signing the token's `sub` claim.
export async function requestCertificate(http: Http, fulcioURL: string, req: { token: string; publicKeyPEM: string; proofOfPossession: Buffer }): Promise<string[]> {
  const url = `${fulcioURL.replace(/\/+$/, '')}/api/v2/signingCert`;
  const res = await http.request(url, {
    method: 'POST',
    service: 'fulcio',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({
      credentials: { oidcIdentityToken: req.token },
      publicKeyRequest: {
        publicKey: { algorithm: 'ECDSA', content: req.publicKeyPEM },
        proofOfPossession: req.proofOfPossession.toString('base64'),
      },
    }),
  });
  if (!res.ok) {
    const detail = await errorText(res);
    const fix =
      res.status === 401 || res.status === 403
        ? 'the OIDC token was rejected: check oidc-audience (Fulcio expects "sigstore") and that fulcio-url trusts your token issuer'
        : 'check fulcio-url';
    throw new ActionError('FULCIO', `Fulcio at ${new URL(url).origin} refused the certificate request (HTTP ${res.status}${detail ? `: ${detail}` : ''}); ${fix}`);
  }
  const body = (await res.json()) as {
    signedCertificateEmbeddedSct?: { chain?: { certificates?: string[] } };
    signedCertificateDetachedSct?: { chain?: { certificates?: string[] } };
  };
  const chain = (body.signedCertificateEmbeddedSct ?? body.signedCertificateDetachedSct)?.chain?.certificates;
  if (!chain?.length) throw new ActionError('FULCIO', `Fulcio at ${new URL(url).origin} returned no certificate chain; check fulcio-url`);
  return chain;
}
