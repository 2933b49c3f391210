import type { TrustedRoot } from '@sigstore/protobuf-specs';

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
