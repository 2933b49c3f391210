// What image/ offers whoever wants files out of an image (the SBOM
// catalogers implement this; image/ imports nothing of theirs): name the
// files you want (FileWant in filesystem.ts: match, and optionally a sink
// that reduces a large file while it streams past), and receive each wanted
// file that survives to the final filesystem with its content.

export interface EntryInfo {
  size: number;
  mode: number;
}

// Streams one file's bytes; end() returns what will be handed over, or
// undefined to drop the file (e.g. an executable that turned out not to be a
// Go binary).
export interface ContentSink {
  push(chunk: Buffer): void;
  end(): Buffer | undefined;
}

// One image scan's shared state, handed to sinks: a budget that spans files,
// and the way to report what was not read while a file streams past.
export interface ScanContext {
  inflatedBytes: number;
  warn(path: string, message: string): void;
}

// Something the scanner skipped or truncated: one warning annotation each.
export interface ScanProblem {
  path?: string; // file in the image
  layer?: string; // digest of the layer it came from
  message: string;
}

// A bound was exceeded where carrying on would make the result untrue (e.g. a
// component list cut short): the scan stops and nothing is signed.
export class ScanLimitError extends Error {
  override name = 'ScanLimitError';
}
