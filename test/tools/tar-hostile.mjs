// Streams a hostile layer tar through a tar reader module and prints one JSON
// line: what happened, the time and the peak RSS of this process.
//
//   node --experimental-transform-types test/tools/tar-hostile.mjs MODULE KIND [MIB]
//
// MODULE: path of a tar reader (src/image/tar.ts, or an older copy exporting
// TarWalker, for before/after figures). KIND: pax | longname | longlink (a
// meta header whose body is MIB MiB, default 1024, then a file) or plain (a
// MIB MiB file). Nothing is stored: the body is zeros yielded 1 MiB at a time.
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';

const [modulePath, kind = 'pax', mib = '1024'] = process.argv.slice(2);
const size = Number(mib) * 1024 * 1024;

function header(name, flag, bodySize, magic = 'ustar\x0000') {
  const b = Buffer.alloc(512);
  b.write(name, 0, 100);
  b.write('0000644\0', 100);
  b.write('0000000\0', 108);
  b.write('0000000\0', 116);
  b.write(bodySize.toString(8).padStart(11, '0') + '\0', 124);
  b.write('00000000000\0', 136);
  b.write(flag, 156);
  b.write(magic, 257, 'latin1');
  b.fill(0x20, 148, 156);
  let sum = 0;
  for (const c of b) sum += c;
  b.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'latin1');
  return b;
}

function* layer() {
  const flag = { pax: 'x', longname: 'L', longlink: 'K', plain: '0' }[kind];
  if (!flag) throw new Error(`unknown kind ${kind}`);
  yield header(kind === 'pax' ? 'PaxHeaders/x' : '././@LongLink', flag, size, kind === 'pax' || kind === 'plain' ? 'ustar\x0000' : 'ustar  \0');
  const zeros = Buffer.alloc(1 << 20);
  // A pax body of zeros is no valid record; "1 a=b\n"-style bytes would not change the read.
  for (let left = size; left > 0; left -= zeros.length) yield left >= zeros.length ? zeros : zeros.subarray(0, left);
  const pad = (512 - (size % 512)) % 512;
  if (pad) yield Buffer.alloc(pad);
  yield header('etc/os-release', '0', 3);
  yield Buffer.concat([Buffer.from('ID='), Buffer.alloc(509)]);
  yield Buffer.alloc(1024);
}

const mod = await import(pathToFileURL(resolve(modulePath)).href);
const started = performance.now();
let result;
try {
  let entries = 0;
  const onEntry = () => {
    entries++;
    return undefined;
  };
  if (mod.readTar) await mod.readTar(Readable.from(layer()), onEntry);
  else {
    const walker = new mod.TarWalker(onEntry);
    for (const chunk of layer()) walker.write(chunk);
  }
  result = `read ${entries} entries`;
} catch (err) {
  result = `refused: ${err.message}`;
}
console.log(JSON.stringify({ kind, mib: Number(mib), result, seconds: +((performance.now() - started) / 1000).toFixed(2), maxRssMB: peakRssMB() }));

// VmHWM is this process's own peak: getrusage's maxRSS survives exec, so in a
// child of a big test worker it would report the worker's peak instead.
function peakRssMB() {
  const kb = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
  return Math.round(Number(kb) / 1024);
}
