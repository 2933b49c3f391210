// Builds small tar archives in memory for reader and cataloger tests.
export interface TarSpec {
  path: string;
  type?: 'file' | 'dir' | 'symlink' | 'hardlink';
  body?: string | Buffer;
  link?: string;
  mode?: number;
  // 'pax' puts the path in a pax record, 'gnu' in a ././@LongLink entry,
  // 'prefix' splits it into ustar prefix + name.
  longName?: 'pax' | 'gnu' | 'prefix';
}

const FLAG = { file: '0', hardlink: '1', symlink: '2', dir: '5' } as const;

function header(name: string, size: number, flag: string, opts: { link?: string; mode?: number; prefix?: string; gnu?: boolean } = {}): Buffer {
  const h = Buffer.alloc(512);
  h.write(name, 0, 100, 'utf8');
  h.write((opts.mode ?? 0o644).toString(8).padStart(7, '0') + '\0', 100);
  h.write('0000000\0', 108);
  h.write('0000000\0', 116);
  h.write(size.toString(8).padStart(11, '0') + '\0', 124);
  h.write('00000000000\0', 136);
  h.write(flag, 156);
  if (opts.link) h.write(opts.link, 157, 100, 'utf8');
  h.write(opts.gnu ? 'ustar  \0' : 'ustar\x0000', 257, 'latin1');
  if (opts.prefix) h.write(opts.prefix, 345, 155, 'utf8');
  h.fill(0x20, 148, 156);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, '0') + '\0 ', 148, 'latin1');
  return h;
}

function padded(body: Buffer): Buffer[] {
  const pad = (512 - (body.length % 512)) % 512;
  return [body, Buffer.alloc(pad)];
}

function paxRecord(key: string, value: string): string {
  const base = ` ${key}=${value}\n`;
  let len = base.length + 1;
  while (String(len).length + base.length !== len) len = String(len).length + base.length;
  return `${len}${base}`;
}

export function tar(entries: TarSpec[]): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    const type = e.type ?? 'file';
    const body = type === 'file' ? Buffer.from(e.body ?? '') : Buffer.alloc(0);
    let name = e.path;
    let prefix: string | undefined;
    if (e.longName === 'pax') {
      const pax = Buffer.from(paxRecord('path', e.path) + (e.link ? paxRecord('linkpath', e.link) : ''));
      parts.push(header('PaxHeader/x', pax.length, 'x'), ...padded(pax));
      name = e.path.slice(0, 99);
    } else if (e.longName === 'gnu') {
      const long = Buffer.from(e.path + '\0');
      parts.push(header('././@LongLink', long.length, 'L', { gnu: true }), ...padded(long));
      name = e.path.slice(0, 99);
    } else if (e.longName === 'prefix') {
      const cut = e.path.lastIndexOf('/', 154);
      prefix = e.path.slice(0, cut);
      name = e.path.slice(cut + 1);
    }
    parts.push(header(name, body.length, FLAG[type], { link: e.link, mode: e.mode, prefix, gnu: e.longName === 'gnu' }), ...padded(body));
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}
