import { ActionError } from '../errors.js';

// `subject-checksums`: the output of `sha256sum` (GNU coreutils), one file a
// line: 64 hex digits, a space, then a space (text mode) or `*` (binary
// mode), then the name. A name holding a newline or backslash is written
// escaped with a leading `\`, as sha256sum does. Pure: text in, subjects out.

export interface ChecksumSubject {
  name: string;
  digest: string; // sha256:<hex>
}

// Lengths of other common hex digests, named so a wrong file says which it is.
const OTHER_DIGESTS: Record<number, string> = { 32: 'MD5', 40: 'SHA-1', 56: 'SHA-224', 96: 'SHA-384', 128: 'SHA-512' };

export function parseChecksums(text: string, source: string): ChecksumSubject[] {
  const out = new Map<string, ChecksumSubject>();
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  lines.forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '') return;
    const where = `subject-checksums: ${source} line ${i + 1}`;
    const subject = parseLine(line, where);
    const seen = out.get(subject.name);
    if (seen && seen.digest !== subject.digest) {
      throw new ActionError('INPUT', `${where}: "${subject.name}" is listed twice with different digests; keep one line per file`);
    }
    out.set(subject.name, subject);
  });
  if (out.size === 0) throw new ActionError('INPUT', `subject-checksums: ${source} lists no files; pass the output of sha256sum FILE...`);
  return [...out.values()];
}

function parseLine(line: string, where: string): ChecksumSubject {
  const escaped = line.startsWith('\\');
  const body = escaped ? line.slice(1) : line;
  const m = /^([0-9a-fA-F]+) ([ *])(.+)$/.exec(body);
  if (!m) {
    throw new ActionError('INPUT', `${where} is not "<sha256 hex>  <file name>" (sha256sum output, binary mode "<hex> *<name>" also accepted); fix or remove the line`);
  }
  const [, hex = '', , rawName = ''] = m;
  if (hex.length !== 64) {
    const other = OTHER_DIGESTS[hex.length];
    throw new ActionError(
      'INPUT',
      `${where}: the digest has ${hex.length} hex digits${other ? ` (${other})` : ''}, not the 64 of SHA-256; generate the file with sha256sum, not ${other ? other.toLowerCase().replace('-', '') + 'sum' : 'another hash'}`,
    );
  }
  const name = escaped ? unescapeName(rawName, where) : rawName;
  if (name.includes('\0')) throw new ActionError('INPUT', `${where}: the file name holds a NUL byte; fix the line`);
  return { name, digest: `sha256:${hex.toLowerCase()}` };
}

// sha256sum's escaping: `\\` for a backslash, `\n` for a newline (and `\r`
// in newer coreutils); nothing else is escaped.
function unescapeName(s: string, where: string): string {
  return s.replace(/\\(.?)/g, (_, c: string) => {
    if (c === '\\') return '\\';
    if (c === 'n') return '\n';
    if (c === 'r') return '\r';
    throw new ActionError('INPUT', `${where}: "\\${c}" is not an escape sha256sum writes (only \\\\, \\n and \\r); fix the file name`);
  });
}
