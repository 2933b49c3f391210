import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SqlJsStatic } from 'sql.js';

// rpmdb.sqlite (RHEL 9, Fedora ≥ 33): `Packages(hnum, blob)`. sql.js (wasm)
// is loaded only when an image has one. In the ncc bundle the wasm sits next
// to the bundle (scripts/postbuild-cyclonedx.sh copies it); unbundled it comes
// from node_modules.
let sqlJs: Promise<SqlJsStatic> | undefined;

async function wasmBytes(): Promise<Buffer> {
  const bundled = join(dirname(fileURLToPath(import.meta.url)), 'sql-wasm.wasm');
  try {
    return await readFile(bundled);
  } catch {
    return readFile(createRequire(import.meta.url).resolve('sql.js/dist/sql-wasm.wasm'));
  }
}

async function loadSqlJs(): Promise<SqlJsStatic> {
  const { default: init } = await import('sql.js');
  const wasm = await wasmBytes();
  return init({ wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer });
}

export function isSqlite(db: Buffer): boolean {
  return db.length >= 16 && db.toString('latin1', 0, 16) === 'SQLite format 3\0';
}

export async function sqliteBlobs(db: Buffer): Promise<Buffer[]> {
  sqlJs ??= loadSqlJs();
  const SQL = await sqlJs;
  const database = new SQL.Database(db);
  try {
    const stmt = database.prepare('SELECT blob FROM Packages');
    const blobs: Buffer[] = [];
    while (stmt.step()) {
      const [blob] = stmt.get();
      if (blob instanceof Uint8Array) blobs.push(Buffer.from(blob));
    }
    stmt.free();
    return blobs;
  } finally {
    database.close();
  }
}
