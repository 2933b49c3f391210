import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SqlJsStatic } from 'sql.js';

// rpmdb.sqlite (RHEL 9, Fedora ≥ 33): `Packages(hnum, blob)`, read with sql.js
// (wasm), loaded only when an image has one.
//
// Bundling trap: webpack (ncc) rewrites sql.js's `typeof module` checks to
// `true`, but sql.js sets `module = undefined` inside its loader, so the
// bundled copy crashes. sql.js therefore stays outside the bundle: the
// postbuild script copies sql-wasm.js (as .cjs) and its wasm next to the
// bundle, and a require that webpack cannot see loads them; unbundled, the
// same require finds node_modules.
let sqlJs: Promise<SqlJsStatic> | undefined;

async function loadSqlJs(): Promise<SqlJsStatic> {
  const here = dirname(fileURLToPath(import.meta.url));
  const { createRequire } = process.getBuiltinModule('node:module');
  const require = createRequire(import.meta.url);
  const bundled = join(here, 'sql-wasm.cjs');
  const init = (existsSync(bundled) ? require(bundled) : require('sql.js')) as typeof import('sql.js').default;
  const wasm = await readFile(existsSync(bundled) ? join(here, 'sql-wasm.wasm') : require.resolve('sql.js/dist/sql-wasm.wasm'));
  return init({ wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) });
}

export function isSqlite(db: Buffer): boolean {
  return db.length >= 16 && db.toString('latin1', 0, 16) === 'SQLite format 3\0';
}

// Rows one at a time (each blob is copied out of the wasm heap as it is read).
export async function sqliteBlobs(db: Buffer): Promise<Iterable<Buffer>> {
  sqlJs ??= loadSqlJs();
  const SQL = await sqlJs;
  return (function* () {
    const database = new SQL.Database(db);
    try {
      const stmt = database.prepare('SELECT blob FROM Packages');
      try {
        while (stmt.step()) {
          const [blob] = stmt.get();
          if (blob instanceof Uint8Array) yield Buffer.from(blob);
        }
      } finally {
        stmt.free();
      }
    } finally {
      database.close();
    }
  })();
}
