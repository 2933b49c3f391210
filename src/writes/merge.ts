import { ActionError } from '../errors.js';
import { mergeEntries } from '../formats/referrers.js';
import type { Registry } from '../model.js';
import { MEDIA, type Descriptor, type Manifest } from '../oci/client.js';

// A shared tag (a .sig/.att manifest, a fallback index) updated by several
// writers. Registries such as distribution ignore If-Match, so it is updated
// by read, merge, write, read back, and merge again until both our entries
// and everything we read are present.

const MAX_MERGE_ROUNDS = 16;
const SETTLE_MS = 150;

export interface MergeSpec {
  entries: (m: Manifest) => Descriptor[];
  key: (d: Descriptor) => string;
  ours: Descriptor[];
  drop?: (existing: Descriptor[]) => Set<string>;
  expectIndex?: boolean;
  // Writes the merged document; returns how many requests that took.
  write: (merged: Descriptor[]) => Promise<number>;
  // Awaited before the first read: the read is worth most just before the write.
  begin?: Promise<unknown>;
  // Awaited before the first write (what the document names must exist).
  ready?: Promise<unknown>;
}

// Read, merge, write, read back: returns once a read a moment after our
// last write holds our entries and every entry seen before, so a racing
// writer's stale PUT that lands just after our write is caught and merged
// again. (A document found complete without our writing it is confirmed by
// two reads a moment apart, as nothing of ours proves it settled.)
//
// How long a moment: a racing writer's stale PUT lands at most one of its
// read-merge-write cycles after its read, which came before our write, so
// the confirming read comes at least that long after our write, twice over
// for the work in a cycle (on a loaded machine or a slow registry, 150 ms
// was seen to be too short and lose one of 16 concurrent signatures). The
// network part of a racer's cycle is covered by the confirming read's own
// round trip and, for cycles of several writes, one round trip (the fastest
// read's) per extra write: so the wait does not grow with the registry's
// latency, only with the work and the extra writes.
export async function mergeUntilStable(client: Registry, repo: string, tag: string, spec: MergeSpec): Promise<string> {
  const seen = new Map<string, Descriptor>();
  let confirmations = 0;
  let wrote = false;
  let slowestWorkMs = 0;
  let mostWrites = 1;
  let roundTripMs = Infinity;
  // At least that long. Once writers have met (a second round), a jitter
  // spreads their reads so they do not stay in step; a first write waits
  // exactly the minimum (no jitter is needed before anyone was seen racing).
  const settle = (round: number) => {
    const ms = Math.max(SETTLE_MS, 2 * slowestWorkMs + (mostWrites - 1) * roundTripMs);
    return pause(round === 0 ? ms : ms * (1 + Math.random() / 4));
  };
  await spec.begin;
  for (let round = 0; round < MAX_MERGE_ROUNDS; round++) {
    const readStart = Date.now();
    const current = await client.getManifest(repo, tag);
    const readMs = Date.now() - readStart;
    roundTripMs = Math.min(roundTripMs, readMs);
    if (current && spec.expectIndex && current.mediaType !== MEDIA.ociIndex) {
      throw new ActionError(
        'REGISTRY',
        `${repo}:${tag} exists but is not an OCI index (${current.mediaType}), so the referrers fallback cannot use it; delete that tag`,
      );
    }
    const existing = current ? spec.entries(current.manifest) : [];
    const { merged, complete } = mergeEntries(seen, existing, spec.ours, spec.key, spec.drop?.(existing));
    if (current && complete) {
      if (wrote || ++confirmations >= 2) return current.digest;
      await settle(round);
      continue;
    }
    confirmations = 0;
    if (spec.ready) {
      // The first read ran while what the document names was still being
      // written. A writer whose entry landed after that read confirms it no
      // sooner than SETTLE_MS after its write, so it sees ours (and merges
      // again) if ours lands within SETTLE_MS of our read; later, read again.
      await spec.ready;
      spec.ready = undefined;
      if (Date.now() - readStart - readMs > SETTLE_MS - roundTripMs / 2) {
        round--;
        continue;
      }
    }
    const writeStart = Date.now();
    const writes = await spec.write(merged);
    const writeMs = Date.now() - writeStart;
    wrote = true;
    mostWrites = Math.max(mostWrites, writes);
    slowestWorkMs = Math.max(slowestWorkMs, readMs + writeMs - (1 + writes) * roundTripMs);
    // Racing writers also back off from each other, more with every round.
    if (round > 0) await pause(Math.random() * Math.min(400, 25 * 2 ** round));
    await settle(round);
  }
  throw new ActionError('REGISTRY', `${repo}:${tag} kept changing under concurrent writers after ${MAX_MERGE_ROUNDS} merges; re-run the job`);
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
