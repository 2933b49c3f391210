import { purl } from './purl.js';
import type { Cataloger } from './types.js';

// Installed gems' specifications/<name>-<version>.gemspec, as RubyGems writes
// them: `s.name = "rake".freeze`, `s.licenses = ["MIT".freeze]`.
const GEMSPEC = /\/specifications\/.+\.gemspec$/;

function stringsIn(text: string): string[] {
  return [...text.matchAll(/["']([^"']*)["']/g)].map((m) => m[1]!);
}

function assigned(spec: string, field: string): string | undefined {
  return new RegExp(`^\\s*\\w+\\.${field}\\s*=\\s*(.+)$`, 'm').exec(spec)?.[1];
}

export const ruby: Cataloger = {
  name: 'ruby-installed-gemspec-cataloger',
  match: (path) => GEMSPEC.test(path),
  parse(file) {
    const spec = file.content.toString('utf8');
    const name = stringsIn(assigned(spec, 'name') ?? '')[0];
    // `s.version = "1.2.3"` or `Gem::Version.new("1.2.3")`
    const version = stringsIn(assigned(spec, 'version') ?? '')[0];
    if (!name || !version) return { packages: [], relationships: [] };
    const licenses = stringsIn(assigned(spec, 'licenses') ?? assigned(spec, 'license') ?? '');
    return {
      packages: [{ name, version, type: 'gem', purl: purl('gem', undefined, name, version), licenses, foundBy: ruby.name, path: file.path, layer: file.layer }],
      relationships: [],
    };
  },
};
