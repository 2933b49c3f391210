// Child process for bench/sbom.mjs, bundled with ncc like the action itself.
// Modes: "ours" runs generateImageSbom over local layer blobs; "raw" only
// gunzips and walks the same tars (the floor). Prints one JSON line with wall
// time and peak RSS of this process.
import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { generateImageSbom } from '../src/sbom.js';
import { TarWalker } from '../src/image/tar.js';

const [mode, ...files] = process.argv.slice(2);
const started = performance.now();
let bytes = 0;
let components = 0;
if (mode === 'ours') {
  const result = await generateImageSbom({
    name: 'bench/sbom',
    digest: `sha256:${'b'.repeat(64)}`,
    layers: files.map((f) => ({ digest: `sha256:${f}`, mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', size: 0 })),
    openBlob: async (digest) => createReadStream(digest.slice('sha256:'.length), { highWaterMark: 1024 * 1024 }),
    log: (line) => console.error(line),
    validate: 'auto',
  });
  components = result.componentCount;
  bytes = result.json.length;
} else {
  for (const file of files) {
    const walker = new TarWalker(() => undefined);
    const gunzip = createReadStream(file, { highWaterMark: 1024 * 1024 }).pipe(createGunzip({ chunkSize: 256 * 1024 }));
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      bytes += chunk.length;
      walker.write(chunk);
    }
  }
}
const seconds = (performance.now() - started) / 1000;
console.log(JSON.stringify({ mode, seconds, bytes, components, maxRssMB: process.resourceUsage().maxRSS / 1024 }));
