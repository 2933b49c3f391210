import type { Bundle } from '@sigstore/bundle';
import { RFC3161Timestamp } from '@sigstore/core';
import type { TrustedRoot } from '@sigstore/protobuf-specs';
import type { TrustMaterial } from '@sigstore/verify';

// A trusted root says since when each key or chain may be trusted. The start
// is required (TimeRange.start); @sigstore/verify reads a missing start as
// "since the beginning of time", which would trust a log, CT log, CA or TSA
// for signatures made before it existed. Such a root is refused instead.
// Ends are optional and inclusive (the library already compares with <=).
export function missingValidityStart(root: TrustedRoot): string | undefined {
  const entries: [string, { start?: Date } | undefined][] = [
    ...root.tlogs.map((t, i): [string, { start?: Date } | undefined] => [`transparency log ${t.baseUrl || `#${i + 1}`}`, t.publicKey?.validFor]),
    ...root.ctlogs.map((t, i): [string, { start?: Date } | undefined] => [`CT log ${t.baseUrl || `#${i + 1}`}`, t.publicKey?.validFor]),
    ...root.certificateAuthorities.map((c, i): [string, { start?: Date } | undefined] => [`certificate authority ${c.uri || `#${i + 1}`}`, c.validFor]),
    ...root.timestampAuthorities.map((c, i): [string, { start?: Date } | undefined] => [`timestamp authority ${c.uri || `#${i + 1}`}`, c.validFor]),
  ];
  const bad = entries.find(([, validFor]) => !validFor?.start);
  return bad ? `the ${bad[0]} has a validity window without a start (validFor.start)` : undefined;
}

// @sigstore/verify checks a log key's validity window only through a SET
// (at the integrated time). An entry proven by an inclusion proof and a
// checkpoint alone (Rekor v2) is accepted whatever the window of the log that
// signed the checkpoint; here its log must have been trusted at every time the
// bundle vouches for (its TSA timestamps, and the integrated time if any).
export function checkProofOnlyLogWindows(trust: TrustMaterial, bundle: Bundle): string | undefined {
  const tsaTimes = (bundle.verificationMaterial.timestampVerificationData?.rfc3161Timestamps ?? []).map(
    (ts) => RFC3161Timestamp.parse(Buffer.from(ts.signedTimestamp)).signingTime,
  );
  for (const entry of bundle.verificationMaterial.tlogEntries) {
    if (entry.inclusionPromise || !entry.inclusionProof) continue;
    const times = [...tsaTimes, ...(entry.integratedTime && entry.integratedTime !== '0' ? [new Date(Number(entry.integratedTime) * 1000)] : [])];
    const logs = trust.tlogs.filter((t) => t.logID.equals(Buffer.from(entry.logId.keyId)));
    const trusted = logs.some((t) => times.every((time) => t.validFor.start <= time && time <= t.validFor.end));
    if (!trusted) {
      const base = logs[0]?.baseURL ?? Buffer.from(entry.logId.keyId).toString('base64');
      return `the transparency log ${base} was not trusted at the signing time (${times.map((t) => t.toISOString()).join(', ') || 'none'}) by the trusted root's validity window`;
    }
  }
  return undefined;
}
