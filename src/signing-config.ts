import { readFileSync } from 'node:fs';
import { ActionError, errorLine } from './errors.js';
import embeddedPublicGood from './sigstore/public-good-signing-config.json' with { type: 'json' };
import { tufTarget, type TufSource } from './tuf.js';

// A Sigstore signing config (signing_config.v0.2.json) read into the service
// URLs this run uses, with the spec's selection rules: only services whose
// validity window (inclusive ends) holds now and whose API version we speak;
// of those the highest version, then the newest start; the log and TSA
// selectors say how many to use, and this action writes to one of each.

export interface SelectedServices {
  fulcioURL?: string;
  rekorURL?: string;
  rekorVersion?: 1 | 2;
  tsaURL?: string;
}

interface Service {
  url?: string;
  majorApiVersion?: number;
  validFor?: { start?: string; end?: string };
  operator?: string;
}
interface Selector {
  selector?: string;
  count?: number;
}
interface SigningConfigJSON {
  mediaType?: string;
  caUrls?: Service[];
  rekorTlogUrls?: Service[];
  rekorTlogConfig?: Selector;
  tsaUrls?: Service[];
  tsaConfig?: Selector;
}

export const SIGNING_CONFIG_V02 = 'application/vnd.dev.sigstore.signingconfig.v0.2+json';

export function readSigningConfig(path: string, now = new Date()): SelectedServices {
  let json: SigningConfigJSON;
  try {
    json = JSON.parse(readFileSync(path, 'utf8')) as SigningConfigJSON;
  } catch (e) {
    throw new ActionError('INPUT', `signing-config: "${path}" is not a readable JSON file (${(e as Error).message}); pass a signing_config.v0.2.json`);
  }
  return selectServices(json, now, `signing-config: ${path}`);
}

export const SIGNING_CONFIG_TARGET = 'signing_config.v0.2.json';

// The signing config a TUF repository publishes. `onFallback` (given for the
// public-good repository only) hears when it could not be read and our
// embedded copy of the public-good config (its documented Fulcio, Rekor v1
// and TSA; the start dates only need to precede now) is used instead; a
// private repository that cannot be read is an error, since falling back
// would send its signatures to the public log.
export async function fetchSigningConfig(source: TufSource, onFallback?: (message: string) => void, now = new Date()): Promise<SelectedServices> {
  let text: string;
  try {
    text = await tufTarget(source, SIGNING_CONFIG_TARGET);
  } catch (err) {
    if (!onFallback) {
      throw new ActionError(
        'INPUT',
        `tuf-mirror-url: cannot read ${SIGNING_CONFIG_TARGET} from ${source.mirrorURL} (${errorLine(err)}); fix the mirror or tuf-root, or pass signing-config or fulcio-url and rekor-url`,
      );
    }
    onFallback(`Using the public-good signing config embedded in the action: the TUF repository could not be reached (${errorLine(err)})`);
    return embeddedPublicGoodServices(now);
  }
  let json: SigningConfigJSON;
  try {
    json = JSON.parse(text) as SigningConfigJSON;
  } catch (err) {
    throw new ActionError('INPUT', `${SIGNING_CONFIG_TARGET} from ${source.mirrorURL} is not JSON (${errorLine(err)}); pass signing-config`);
  }
  return selectServices(json, now, `${SIGNING_CONFIG_TARGET} from ${source.mirrorURL}`);
}

export const embeddedPublicGoodServices = (now = new Date()) => selectServices(embeddedPublicGood, now, 'the embedded public-good signing config');

export function selectServices(json: SigningConfigJSON, now: Date, where: string): SelectedServices {
  if (json.mediaType !== SIGNING_CONFIG_V02) {
    throw new ActionError('INPUT', `${where} has media type "${json.mediaType ?? ''}", not ${SIGNING_CONFIG_V02}`);
  }
  const ca = pick(json.caUrls, [1], now);
  const [rekor] = selectMany(json.rekorTlogUrls, json.rekorTlogConfig, [1, 2], now, `${where}: rekorTlogUrls`);
  const [tsa] = selectMany(json.tsaUrls, json.tsaConfig, [1], now, `${where}: tsaUrls`);
  return {
    fulcioURL: ca?.url,
    rekorURL: rekor?.url,
    rekorVersion: rekor ? (rekor.majorApiVersion as 1 | 2) : undefined,
    tsaURL: tsa?.url,
  };
}

const time = (s: string | undefined, dflt: number) => (s ? Date.parse(s) : dflt);
const valid = (s: Service, now: Date) => Boolean(s.url) && time(s.validFor?.start, -Infinity) <= now.getTime() && now.getTime() <= time(s.validFor?.end, Infinity);

// Usable services of the highest supported version, newest start first.
function candidates(services: Service[] | undefined, versions: number[], now: Date): Service[] {
  const usable = (services ?? []).filter((s) => valid(s, now) && versions.includes(s.majorApiVersion ?? 0));
  const top = Math.max(...usable.map((s) => s.majorApiVersion ?? 0));
  return usable.filter((s) => s.majorApiVersion === top).sort((a, b) => time(b.validFor?.start, -Infinity) - time(a.validFor?.start, -Infinity));
}

const pick = (services: Service[] | undefined, versions: number[], now: Date): Service | undefined => candidates(services, versions, now)[0];

// One service per operator; ALL wants every operator, EXACT `count` of them.
function selectMany(services: Service[] | undefined, config: Selector | undefined, versions: number[], now: Date, where: string): Service[] {
  const perOperator = new Map<string, Service>();
  for (const s of candidates(services, versions, now)) if (!perOperator.has(s.operator ?? s.url ?? '')) perOperator.set(s.operator ?? s.url ?? '', s);
  const found = [...perOperator.values()];
  const selector = config?.selector ?? 'ANY';
  const wanted = selector === 'ALL' ? found.length : selector === 'EXACT' ? (config?.count ?? 0) : Math.min(1, found.length);
  if (selector === 'EXACT' && found.length < wanted) {
    throw new ActionError('INPUT', `${where}: the config asks for exactly ${wanted} services, but only ${found.length} are valid now with a supported API version`);
  }
  if (wanted > 1) {
    throw new ActionError(
      'INPUT',
      `${where}: the config asks for ${wanted} services (selector ${selector}); this action writes to one: pass a config that selects one, or set the URL input`,
    );
  }
  return found.slice(0, wanted);
}
