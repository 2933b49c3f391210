import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { glob, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { ActionError, errorLine } from '../errors.js';
import { mapConcurrent } from '../verify/pool.js';
import type { FileTarget } from '../model.js';
import type { ChecksumSubject } from './checksums.js';

// Release files as subjects: `subject-path` patterns resolved to files on
// disk and hashed, and `subject-checksums` lines taken as they are. Globs
// are node:fs's glob (stable in Node 24, which runs the action): no
// dependency to bundle, `**` and exclusions built in. A `!pattern` line
// excludes, as in @actions/glob and .gitignore.

// A file's subject name is its path relative to the workspace (or the name
// a checksums line gives); `path` is set for a file on disk, whose bundle
// goes next to it.

const HASH_CONCURRENCY = 8;

// A bundle of an earlier run is never a subject of a pattern.
const BUNDLE_SUFFIX = '.sigstore.json';

// Pure: the input's lines to include and exclude patterns.
export function parseSubjectPaths(raw: string): { include: string[]; exclude: string[] } {
  const lines = raw
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  return {
    include: lines.filter((l) => !l.startsWith('!')),
    exclude: lines.filter((l) => l.startsWith('!')).map((l) => l.slice(1).trim()),
  };
}

const isPattern = (s: string) => /[*?[\]{}]/.test(s);

// Resolves every include line to files (each line must match one) and hashes them.
export async function resolveSubjectPaths(raw: string, cwd: string): Promise<FileTarget[]> {
  const { include, exclude } = parseSubjectPaths(raw);
  if (include.length === 0 && exclude.length > 0)
    throw new ActionError('INPUT', 'subject-path: only exclusions (!pattern) given; add the paths or globs of the files to sign');
  const found = new Map<string, string>(); // absolute path → name
  for (const line of include) {
    const matches = isPattern(line) ? await globFiles(line, exclude, cwd) : [await plainFile(line, cwd)];
    if (matches.length === 0) {
      throw new ActionError(
        'INPUT',
        `subject-path: "${line}" matches no file${exclude.length ? ' (after the ! exclusions)' : ''} under ${cwd}; check the pattern and that the files were built before this step`,
      );
    }
    for (const abs of matches) found.set(abs, subjectName(abs, cwd));
  }
  const files = [...found].sort(([, a], [, b]) => (a < b ? -1 : a > b ? 1 : 0));
  return mapConcurrent(files, HASH_CONCURRENCY, async ([path, name]) => ({ kind: 'file' as const, name, digest: await hashFile(path), path }));
}

async function globFiles(pattern: string, exclude: string[], cwd: string): Promise<string[]> {
  const out: string[] = [];
  for await (const entry of glob(pattern, { cwd, exclude, withFileTypes: true })) {
    if (!entry.isFile() || entry.name.endsWith(BUNDLE_SUFFIX)) continue;
    out.push(resolve(entry.parentPath, entry.name));
  }
  return out;
}

async function plainFile(path: string, cwd: string): Promise<string> {
  const abs = resolve(cwd, path);
  let info;
  try {
    info = await stat(abs);
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
    throw new ActionError(
      'INPUT',
      `subject-path: "${path}" ${missing ? 'does not exist' : `cannot be read (${errorLine(err)})`}; pass the path of a built file or a glob such as dist/*.tar.gz`,
    );
  }
  if (info.isDirectory()) throw new ActionError('INPUT', `subject-path: "${path}" is a directory; pass its files, for example ${path.replace(/\/+$/, '')}/*`);
  if (!info.isFile()) throw new ActionError('INPUT', `subject-path: "${path}" is not a regular file`);
  return abs;
}

// Inside the workspace: the relative path with forward slashes; outside it, the absolute path.
function subjectName(abs: string, cwd: string): string {
  const rel = relative(cwd, abs);
  const name = rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : abs;
  return name.split(sep).join('/');
}

export async function hashFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  try {
    for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  } catch (err) {
    throw new ActionError('INPUT', `subject-path: cannot read "${path}" (${errorLine(err)})`);
  }
  return `sha256:${hash.digest('hex')}`;
}

// Files from both inputs, once each: the same name twice must carry the same digest.
export function mergeSubjects(fromPaths: FileTarget[], fromChecksums: ChecksumSubject[]): FileTarget[] {
  const byName = new Map<string, FileTarget>();
  for (const s of [...fromPaths, ...fromChecksums.map((c): FileTarget => ({ kind: 'file', ...c }))]) {
    const seen = byName.get(s.name);
    if (seen && seen.digest !== s.digest) {
      throw new ActionError(
        'INPUT',
        `"${s.name}" is both in subject-path (${seen.digest}) and in subject-checksums (${s.digest}); rebuild the checksums file or drop one input`,
      );
    }
    if (!seen) byName.set(s.name, s);
  }
  return [...byName.values()];
}

// The release files named by subject-path and subject-checksums, hashed
// before any request: a pattern matching nothing fails first.
export async function findFiles(inputs: { subjectPaths?: string; subjectChecksums: ChecksumSubject[] }, cwd = process.cwd()): Promise<FileTarget[]> {
  return mergeSubjects(inputs.subjectPaths ? await resolveSubjectPaths(inputs.subjectPaths, cwd) : [], inputs.subjectChecksums);
}
