import * as core from '@actions/core';
import type { RetryNotice } from './http.js';
import type { ArtifactResult } from './results.js';

// The run's story in the log. Run-level lines (identity, retries, totals) go
// out at once. Each image's lines are held and printed as one group per
// image, in image order, so work on several images running concurrently
// never interleaves (GitHub groups cannot nest). A run with a single image
// needs no group: its lines go out as they come.

export interface LogSink {
  info(line: string): void;
  startGroup(title: string): void;
  endGroup(): void;
}

const RUNNER_LOG: LogSink = { info: (l) => core.info(l), startGroup: (t) => core.startGroup(t), endGroup: () => core.endGroup() };

export interface LoggedImage {
  name: string; // registry/repository
  digest: string;
  platform?: string; // set for a platform image derived from an index
  platforms?: number; // set for an index: how many platform images it lists
}

// One image's lines, each prefixed with a short label naming the image.
export class ImageLog {
  readonly lines: string[] = [];
  constructor(
    readonly title: string,
    readonly label: string,
    private readonly live?: LogSink,
  ) {}

  info(line: string): void {
    const text = `${this.label}: ${line}`;
    if (this.live) this.live.info(text);
    else this.lines.push(text);
  }
}

export class RunLog {
  private readonly images = new Map<string, ImageLog>();
  private flushed = false;

  constructor(
    images: LoggedImage[],
    private readonly sink: LogSink = RUNNER_LOG,
  ) {
    const live = images.length === 1 ? sink : undefined;
    for (const img of images) this.images.set(key(img), new ImageLog(imageTitle(img), imageLabel(img), live));
  }

  // A run-level line, printed at once.
  info(line: string): void {
    this.sink.info(line);
  }

  image(name: string, digest: string): ImageLog {
    const log = this.images.get(key({ name, digest }));
    if (!log) throw new Error(`no log for ${name}@${digest}`);
    return log;
  }

  // Prints every held image's lines, one group per image, in image order.
  // Called once at the end of the run, success or failure.
  flush(): void {
    if (this.flushed) return;
    this.flushed = true;
    for (const log of this.images.values()) {
      if (log.lines.length === 0) continue;
      this.sink.startGroup(log.title);
      for (const line of log.lines) this.sink.info(line);
      this.sink.endGroup();
    }
  }
}

const key = (img: { name: string; digest: string }) => `${img.name}@${img.digest}`;

export function imageTitle(img: LoggedImage): string {
  const what = img.platform ? ` (${img.platform})` : img.platforms !== undefined ? ` (index of ${img.platforms} platform images)` : '';
  return `${img.name}@${img.digest}${what}`;
}

// `app@1c40c07804eb linux/amd64`: enough to tell the images of a run apart.
export function imageLabel(img: LoggedImage): string {
  const short = `${img.name.split('/').pop() ?? img.name}@${img.digest.replace(/^sha256:/, '').slice(0, 12)}`;
  return img.platform ? `${short} ${img.platform}` : img.platforms !== undefined ? `${short} index` : short;
}

const KIND_NAMES: Record<ArtifactResult['kind'], string> = {
  signature: 'signature',
  signatureReferrer: 'signature bundle',
  sbom: 'SBOM attestation',
  provenance: 'provenance attestation',
  predicate: 'attestation',
};

// One line per artifact: what it is, its Rekor entry, and where it was attached.
export function artifactLine(a: ArtifactResult): string {
  const where: string[] = [];
  if (a.tag) where.push(`cosign tag ${a.tag}`);
  if (a.referrer) where.push(`referrer ${a.referrer}${a.fallbackTag ? ' (listed by the referrers tag fallback: the registry has no referrers API)' : ''}`);
  const attached = where.length > 0 ? `attached as ${where.join(' and ')}` : `not attached (attach: none), bundle ${a.bundle}`;
  const logged = a.logIndex === undefined ? 'not logged in Rekor' : `Rekor log index ${a.logIndex}`;
  const type = a.kind === 'predicate' ? ` ${a.typeName ?? a.predicateType}` : '';
  return `${KIND_NAMES[a.kind]}${type}${a.format === 'spdx' ? ' (SPDX)' : ''}: ${logged}, ${attached}`;
}

// One line per retry: which service, what failed, which attempt comes next
// and how much of the run's retry budget is left.
export function retryLine(r: RetryNotice): string {
  const s = (ms: number) => `${Number((ms / 1000).toFixed(1))}s`;
  return `${r.serviceName}: ${r.failure} on ${r.what}; attempt ${r.attempt + 1} in ${s(r.delayMs)} (${s(r.budgetLeftMs)} of the ${s(r.budgetMs)} retry budget left)`;
}
