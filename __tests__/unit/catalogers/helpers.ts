import type { Cataloger, CatalogResult, Distro } from '../../../src/catalogers/types.js';

export const debian: Distro = { id: 'debian', idLike: [], versionId: '12.7' };

export async function parse(cataloger: Cataloger, path: string, content: string | Buffer, distro?: Distro): Promise<CatalogResult> {
  return cataloger.parse({ path, layer: 'sha256:layer', content: Buffer.from(content) }, { distro });
}

export const summary = (r: CatalogResult) => r.packages.map((p) => ({ name: p.name, version: p.version, purl: p.purl, licenses: p.licenses }));
