// How many components an SBOM lists per ecosystem, for the step summary:
// keyed by package URL type (deb, npm, golang, ...); components without a
// package URL by their CycloneDX type, SPDX packages without one by their
// primaryPackagePurpose, else as "other".
// Read from the attested document itself, so a supplied SBOM gets figures too.
export function componentCounts(document: object): Record<string, number> {
  const counts = new Map<string, number>();
  const add = (key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);
  const doc = document as { components?: unknown; packages?: unknown };
  if (Array.isArray(doc.components)) {
    // CycloneDX components nest (an assembly lists its parts).
    const walk = (list: unknown[]) => {
      for (const c of list as { purl?: unknown; type?: unknown; components?: unknown }[]) {
        add(purlType(c?.purl) ?? (typeof c?.type === 'string' ? c.type : 'other'));
        if (Array.isArray(c?.components)) walk(c.components);
      }
    };
    walk(doc.components);
  } else if (Array.isArray(doc.packages)) {
    // The package the document DESCRIBES is the image itself (as CycloneDX's
    // metadata.component, which is not counted either).
    const described = describedIds(document);
    for (const p of doc.packages as { SPDXID?: unknown; primaryPackagePurpose?: unknown; externalRefs?: { referenceType?: unknown; referenceLocator?: unknown }[] }[]) {
      if (typeof p?.SPDXID === 'string' && described.has(p.SPDXID)) continue;
      const ref = Array.isArray(p?.externalRefs) ? p.externalRefs.find((r) => r?.referenceType === 'purl') : undefined;
      // Without a purl, the purpose names it as CycloneDX's type would (OPERATING_SYSTEM → operating-system).
      const purpose = typeof p?.primaryPackagePurpose === 'string' ? p.primaryPackagePurpose.toLowerCase().replace(/_/g, '-') : undefined;
      add(purlType(ref?.referenceLocator) ?? purpose ?? 'other');
    }
  }
  // Largest first, then by name, so the summary reads the same every run.
  return Object.fromEntries([...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])));
}

function describedIds(document: object): Set<string> {
  const doc = document as { documentDescribes?: unknown; relationships?: unknown };
  const ids = new Set<string>(Array.isArray(doc.documentDescribes) ? doc.documentDescribes.filter((x): x is string => typeof x === 'string') : []);
  for (const r of Array.isArray(doc.relationships)
    ? (doc.relationships as { spdxElementId?: unknown; relationshipType?: unknown; relatedSpdxElement?: unknown }[])
    : []) {
    if (r?.spdxElementId === 'SPDXRef-DOCUMENT' && r.relationshipType === 'DESCRIBES' && typeof r.relatedSpdxElement === 'string') ids.add(r.relatedSpdxElement);
  }
  return ids;
}

function purlType(purl: unknown): string | undefined {
  const m = typeof purl === 'string' ? /^pkg:\/*([a-zA-Z][\w.+-]*)\//.exec(purl) : null;
  return m?.[1]?.toLowerCase();
}
