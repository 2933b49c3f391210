// Child process for bench/sbom.mjs, bundled with ncc like the action itself.
// Prints one JSON line with wall time and peak RSS of this process. Modes:
//   ours FILE...                  generateImageSbom over local layer blobs
//   raw FILE...                   only gunzip + tar walk of the same files (the floor)
//   registry HOST/REPO DIGEST...  generateImageSbom as the action runs it, the
//                                 layers streamed through the registry client
//   raw-registry HOST/REPO DIGEST...  the floor of that path: the same streams,
//                                 only gunzipped and walked
//   raw2, raw2-registry           the floors with two layers in flight (each
//                                 layer starts when the one before it starts),
//                                 as the generator reads them
import { createReadStream, readFileSync, writeFileSync } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { Http } from '../src/http.js';
import { RegistryClient } from '../src/oci/client.js';
import { tuneGcForStreaming } from '../src/image/scan.js';
import { readTar } from '../src/image/tar.js';
import { generateImageSbom } from '../src/sbom/generate.js';
import type { OpenBlob } from '../src/sbom/types.js';

const [mode = '', ...args] = process.argv.slice(2);
const started = performance.now();
let bytes = 0;
let components = 0;
let json: string | undefined;

let digests: string[];
let open: OpenBlob;
if (mode.includes('registry')) {
  const [name = '', ...layerDigests] = args;
  const [host = '', ...repo] = name.split('/');
  const client = new RegistryClient(host, new Http({ retryBudgetMs: 60_000 }), undefined);
  digests = layerDigests;
  open = (digest) => client.openBlob(repo.join('/'), digest);
} else {
  digests = args.map((f) => `sha256:${f}`);
  open = async (digest) => createReadStream(digest.slice('sha256:'.length), { highWaterMark: 1024 * 1024 });
}

if (mode === 'ours' || mode === 'registry') {
  const result = await generateImageSbom({
    name: 'bench/sbom',
    digest: `sha256:${'b'.repeat(64)}`,
    layers: digests.map((digest) => ({ digest, mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', size: 0 })),
    openBlob: open,
    log: (line) => console.error(line),
    validate: 'auto',
  });
  components = result.componentCount;
  bytes = result.json.length;
  json = result.json;
} else {
  // The floors stream under the same GC settings as the generator's scan.
  const release = tuneGcForStreaming();
  const walk = async (digest: string) => {
    const gunzip = (await open(digest)).pipe(createGunzip({ chunkSize: 256 * 1024 }));
    const counted = (async function* () {
      for await (const chunk of gunzip as AsyncIterable<Buffer>) {
        bytes += chunk.length;
        yield chunk;
      }
    })();
    await readTar(counted, () => undefined);
  };
  if (mode.startsWith('raw2')) {
    // two layers in flight, as the generator reads them: the next starts when one starts
    let previous = Promise.resolve();
    for (const digest of digests) {
      const started = walk(digest);
      await previous;
      previous = started;
    }
    await previous;
  } else {
    for (const digest of digests) await walk(digest);
  }
  release();
}
const seconds = (performance.now() - started) / 1000;
// VmHWM is this process's own peak; getrusage's maxRSS survives exec, so it
// could report the parent's.
const hwmKiB = Number(/^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? NaN);
// CPU time (all threads, zlib's included) moves less than wall time on a loaded machine.
const cpu = process.cpuUsage();
// the document, for bench/sbom.mjs's parity with syft (after the clock stopped)
if (json && mode === 'ours') writeFileSync('.bench/ours.cdx.json', json);
console.log(JSON.stringify({ mode, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, bytes, components, maxRssMB: hwmKiB / 1024 }));
