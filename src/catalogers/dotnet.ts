import { purl } from './purl.js';
import type { Cataloger, Pkg, Relationship } from './types.js';

// <app>.deps.json: `libraries` lists "Name/Version" with a type; `targets`
// carries each library's dependencies. Projects (the app itself) are not NuGet
// packages and get no purl, so they are left out.
interface DepsJson {
  targets?: Record<string, Record<string, { dependencies?: Record<string, string> }>>;
  libraries?: Record<string, { type?: string }>;
}

export const dotnet: Cataloger = {
  name: 'dotnet-deps-cataloger',
  match: (path) => path.endsWith('.deps.json'),
  parse(file) {
    const json = JSON.parse(file.content.toString('utf8')) as DepsJson;
    const byKey = new Map<string, Pkg>();
    for (const [key, lib] of Object.entries(json.libraries ?? {})) {
      const slash = key.lastIndexOf('/');
      if (slash <= 0 || lib.type !== 'package') continue;
      const name = key.slice(0, slash);
      const version = key.slice(slash + 1);
      byKey.set(key.toLowerCase(), {
        name,
        version,
        type: 'dotnet',
        purl: purl('nuget', undefined, name, version),
        licenses: [],
        foundBy: dotnet.name,
        path: file.path,
        layer: file.layer,
      });
    }
    const relationships: Relationship[] = [];
    for (const target of Object.values(json.targets ?? {})) {
      for (const [key, entry] of Object.entries(target)) {
        const from = byKey.get(key.toLowerCase());
        for (const [dep, version] of Object.entries(entry.dependencies ?? {})) {
          const to = byKey.get(`${dep}/${version}`.toLowerCase());
          if (from && to) relationships.push({ from, to });
        }
      }
      break; // the first target is the one the app runs on
    }
    return { packages: [...byKey.values()], relationships };
  },
};
