import { writeFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { Pkg } from '../catalogers/types.js';
import { ActionError, errorLine } from '../errors.js';
import { openImage, parseSource, type OpenedImage } from '../image/source.js';
import { mb } from '../image/scan.js';
import type { SbomFormat } from '../sbom/formats.js';
import { catalogImage, renderSboms } from '../sbom/generate.js';

// `sign-attest sbom SOURCE`: the action's SBOM generator from a terminal,
// for an image in a registry or on disk, in one or more formats from one
// scan. Documents go to stdout or files; progress goes to stderr.

export type OutputFormat = SbomFormat | 'table';

export interface OutputTarget {
  format: OutputFormat;
  file?: string; // stdout when absent
}

const FORMAT_NAMES: Record<string, OutputFormat> = {
  'cyclonedx-json': 'cyclonedx',
  cyclonedx: 'cyclonedx',
  'spdx-json': 'spdx',
  spdx: 'spdx',
  table: 'table',
};
export const OUTPUT_FORMATS = ['cyclonedx-json', 'spdx-json', 'table'];

// `-o FORMAT` (stdout, at most one) and `-o FORMAT=FILE`, repeatable.
export function parseOutputs(values: string[]): OutputTarget[] {
  if (values.length === 0) return [{ format: 'table' }];
  const out = values.map((v): OutputTarget => {
    const eq = v.indexOf('=');
    const name = (eq >= 0 ? v.slice(0, eq) : v).trim().toLowerCase();
    const file = eq >= 0 ? v.slice(eq + 1).trim() : undefined;
    const format = FORMAT_NAMES[name];
    if (!format) throw new ActionError('INPUT', `-o ${v}: unknown format "${name}"; use one of ${OUTPUT_FORMATS.join(', ')}, optionally as FORMAT=FILE`);
    if (file === '') throw new ActionError('INPUT', `-o ${v}: no file after "="; write FORMAT=FILE, or FORMAT alone for stdout`);
    return { format, file };
  });
  if (out.filter((o) => !o.file).length > 1) throw new ActionError('INPUT', 'only one -o may go to stdout; give the others a file: -o FORMAT=FILE');
  return out;
}

export interface SbomCommandOptions {
  source: string;
  outputs: OutputTarget[];
  platform?: string;
  quiet: boolean;
  tool: { name: string; version: string };
  open?: Parameters<typeof openImage>[1];
  stdout?: (text: string) => void;
  stderr?: (line: string) => void;
}

const PROGRESS_INTERVAL_MS = 3000;

export async function runSbom(opts: SbomCommandOptions): Promise<void> {
  const stderr = opts.quiet ? () => {} : (opts.stderr ?? ((l: string) => process.stderr.write(`${l}\n`)));
  const stdout = opts.stdout ?? ((t: string) => process.stdout.write(t));
  const image = await openImage(parseSource(opts.source), { ...opts.open, platform: opts.platform });
  stderr(`${image.name}@${image.digest}${image.platform ? ` (${image.platform})` : ''}: ${image.layers.length} layers${sizeNote(image)}`);
  const started = performance.now();
  const cataloged = await catalogImage({
    name: image.name,
    digest: image.digest,
    platform: image.platform,
    layers: image.layers,
    openBlob: withProgress(image, stderr),
    log: stderr,
  });
  const formats = [...new Set(opts.outputs.map((o) => o.format).filter((f): f is SbomFormat => f !== 'table'))];
  const docs = new Map((await renderSboms(cataloged, formats, { log: stderr, validate: 'auto', tool: opts.tool })).map((d) => [d.format, d.json]));
  for (const o of opts.outputs) {
    const text = o.format === 'table' ? packageTable(cataloged.content.packages) : `${docs.get(o.format)}\n`;
    if (!o.file) {
      stdout(text);
      continue;
    }
    await writeFile(o.file, text).catch((err: unknown) => {
      throw new ActionError('INPUT', `-o ${o.format}=${o.file}: cannot write the file (${errorLine(err)}); pass a path in a writable directory`);
    });
    stderr(`wrote ${o.format === 'table' ? 'table' : `${o.format} document`} to ${o.file}`);
  }
  stderr(`${cataloged.content.packages.length} packages in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

function sizeNote(image: OpenedImage): string {
  const total = image.layers.reduce((n, l) => n + (l.size || 0), 0);
  return total ? `, ${mb(total)}` : '';
}

// Reports how far into a layer the read is, every few seconds while a big
// layer streams (the scan itself reports each layer as it finishes).
export function withProgress(image: OpenedImage, report: (line: string) => void, intervalMs = PROGRESS_INTERVAL_MS): (digest: string) => Promise<Readable> {
  return async (digest) => {
    const index = image.layers.findIndex((l) => l.digest === digest);
    const size = image.layers[index]?.size ?? 0;
    const raw = await image.openBlob(digest);
    let bytes = 0;
    const timer = setInterval(() => {
      const of = size ? ` of ${mb(size)} (${Math.floor((100 * bytes) / size)}%)` : '';
      report(`layer ${index + 1}/${image.layers.length} ${digest.slice(0, 19)}: ${mb(bytes)} read${of}`);
    }, intervalMs);
    timer.unref();
    return Readable.from(
      (async function* () {
        try {
          for await (const chunk of raw as AsyncIterable<Buffer>) {
            bytes += chunk.length;
            yield chunk;
          }
        } finally {
          clearInterval(timer);
        }
      })(),
      { objectMode: false },
    );
  };
}

// NAME VERSION TYPE, one row per distinct package, sorted.
export function packageTable(packages: Pkg[]): string {
  const rows = [...new Map(packages.map((p) => [`${p.name}\0${p.version}\0${p.type}`, [p.name, p.version || '', p.type]])).values()].sort(
    (a, b) => a[0]!.localeCompare(b[0]!) || a[1]!.localeCompare(b[1]!) || a[2]!.localeCompare(b[2]!),
  );
  const all = [['NAME', 'VERSION', 'TYPE'], ...rows];
  const widths = [0, 1].map((i) => Math.max(...all.map((r) => r[i]!.length)));
  if (rows.length === 0) return 'No packages discovered\n';
  return all.map((r) => `${r[0]!.padEnd(widths[0]!)}  ${r[1]!.padEnd(widths[1]!)}  ${r[2]}`).join('\n') + '\n';
}
