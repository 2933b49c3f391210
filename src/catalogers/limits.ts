// Every bound the SBOM scanner puts on what an image may make it read, build
// or hold. A layer is attacker-controlled input: a few hundred bytes of it
// once cost gigabytes of memory or minutes of CPU. Each limit is documented in
// README.md ("SBOM scanner limits"); hitting one is never silent (see
// ScanProblem in types.ts and scan.ts).

// Components in one SBOM. The whole action (scan, document, statement,
// signing, self-verification, attaching) costs ~20 KB of peak memory per
// component on top of ~110 MB: measured at 10k, 260-290 MB with only the
// SBOM on and 290-305 MB with signing, provenance and both attach formats
// (455 MB at 20k, before streamed uploads and the GC tuning of scan.ts). 10k
// keeps the run within its 350 MB bound, and the document near 5 MB (~520
// bytes per component), well under actions/attest's 16 MiB predicate cap.
// Exceeding it is an error, never a truncation: a signed SBOM with packages
// cut off would be untrue.
export const MAX_COMPONENTS = 10_000;
// Packages held while layers are scanned (a later layer may still remove
// files, so the component limit can only be applied at the end).
export const MAX_HELD_PACKAGES = 4 * MAX_COMPONENTS;

// Java archives. The zip central directory sits at the end, so a top-level
// archive is buffered (up to MAX_ARCHIVE); nested archives are read from that
// buffer (stored ones without a copy).
export const MAX_ARCHIVE = 64 * 1024 * 1024;
// Nesting: Spring Boot is 1 deep (BOOT-INF/lib), an ear's war's WEB-INF/lib 2.
// Each level may hold an inflated copy of its parent's entry, so depth times
// MAX_NESTED_ARCHIVE is memory held at once.
export const MAX_NESTING_DEPTH = 4;
export const MAX_NESTED_ARCHIVE = 32 * 1024 * 1024;
// Inflated bytes for all nested archives and manifests of one top-level
// archive, and for all archives of one image: inflating costs ~3 ms per MiB,
// so these bound the time an image can make us spend in zlib.
export const MAX_INFLATED_PER_ARCHIVE = 512 * 1024 * 1024;
export const MAX_INFLATED_PER_IMAGE = 2 * 1024 * 1024 * 1024;
// Nested archives opened under one top-level archive (fat jars hold hundreds).
export const MAX_NESTED_ARCHIVES = 5_000;
// MANIFEST.MF and pom.properties are a few KiB; anything bigger is not one.
export const MAX_METADATA_ENTRY = 1024 * 1024;

// rpm header blobs, as rpm's own header checks (lib/header_internal.h):
// at most 65,535 index entries and a data store under 16 MiB.
export const MAX_RPM_HEADER_TAGS = 0xffff;
export const MAX_RPM_HEADER_DATA = 16 * 1024 * 1024 - 1;

// cargo-auditable's dependency JSON, inflated: the format's reference reader
// (auditable-info) refuses more than 8 MiB by default; real ones are a few KiB.
export const MAX_AUDIT_JSON = 8 * 1024 * 1024;

// What the scanner holds while layers stream past: files kept for catalogers
// and symbolic links (for resolving paths). Real images keep a few thousand
// files (package.json, METADATA, databases; under 100 MB in all) and a few
// thousand links, but a layer of 512-byte tar headers, which compress to
// almost nothing, can name millions. Exceeding either is an error: dropping
// files or links would make the SBOM untrue.
export const MAX_KEPT_FILES = 50_000;
export const MAX_KEPT_BYTES = 128 * 1024 * 1024;
export const MAX_SYMLINKS = 250_000;

// dpkg copyright files (/usr/share/doc/PKG/copyright) read for their License:
// fields. Real ones are a few KiB, the largest in Debian a few hundred; a
// bigger one is not read (its package keeps no license, nothing else changes).
export const MAX_COPYRIGHT_FILE = 1024 * 1024;

// Programs searched for a version string by name (node, python3.12, ...; a
// node binary is ~100 MB): past this many bytes a file so named is not read
// further, so a zero-filled "node" that compresses to nothing costs little.
export const MAX_CLASSIFIED_PROGRAM = 256 * 1024 * 1024;
