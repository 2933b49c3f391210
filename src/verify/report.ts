import type { ImageVerdict, ItemResult } from './image.js';

// Pure renderers of verdicts: the failure lines, the step summary and the
// terminal report. Registry content is attacker-controlled, so every value
// placed in the summary's Markdown/HTML is escaped.

// At most this many error lines per image: a registry holding hundreds of
// forged items must not flood the log; the `verified` output lists them all.
export const MAX_FAILURE_LINES = 10;

export function failureLines(verdicts: ImageVerdict[]): string[] {
  return verdicts.flatMap((v) => {
    const lines = v.failures.map((f) => f.message);
    if (lines.length <= MAX_FAILURE_LINES) return lines;
    const rest = lines.length - (MAX_FAILURE_LINES - 1);
    return [...lines.slice(0, MAX_FAILURE_LINES - 1), `${v.image}: ${rest} more failures not shown here; the full report lists every item`];
  });
}

export function summaryMarkdown(verdicts: ImageVerdict[]): string {
  const out = ['## Image verification', ''];
  for (const v of verdicts) {
    out.push(`### ${v.verified ? '✅' : '❌'} ${code(v.image)}`, '');
    if (v.signer?.keyHint !== undefined) out.push(`Signed with the given key (hint ${code(v.signer.keyHint)})`, '');
    else if (v.signer) out.push(`Signed by ${code(v.signer.san)} (issuer ${code(v.signer.issuer)})`, '');
    const items = [...v.signatures, ...v.attestations];
    if (items.length > 0) {
      out.push('| | what | format | where | log index | result |', '|---|---|---|---|---|---|');
      for (const i of items) out.push(row(i));
      out.push('');
    }
    for (const f of v.failures) out.push(`- ${escape(f.message)}`);
    if (v.failures.length > 0) out.push('');
  }
  return out.join('\n');
}

function row(i: ItemResult): string {
  const what = i.kind === 'signature' ? 'signature' : escape(i.predicateType ?? 'attestation');
  const result = i.verified ? 'verified' : escape(i.error ?? 'not verified');
  return `| ${i.verified ? '✅' : '❌'} | ${what} | ${i.format} | ${code(i.source)} | ${i.logIndexes.join(', ')} | ${result} |`;
}

// A human-readable report for the terminal: one verdict line per image
// first, then each image's details.
export function textReport(verdicts: ImageVerdict[]): string {
  const out: string[] = [];
  const title = (v: ImageVerdict) => `${v.image}${v.platform ? ` (${v.platform})` : ''}`;
  for (const v of verdicts) {
    const problems = v.failures.length === 1 ? '1 problem' : `${v.failures.length} problems`;
    out.push(`${v.verified ? 'VERIFIED' : 'FAILED  '} ${title(v)}${v.verified ? '' : `: ${problems}`}`);
  }
  for (const v of verdicts) {
    out.push('', title(v));
    if (v.signer?.keyHint !== undefined) out.push(`  signer: the given key (hint ${v.signer.keyHint})`);
    else if (v.signer) out.push(`  signer: ${v.signer.san} (issuer ${v.signer.issuer})`);
    for (const i of [...v.signatures, ...v.attestations]) {
      const what = i.kind === 'signature' ? 'signature' : `attestation ${i.predicateType ?? '?'}`;
      const log = i.logIndexes.length ? ` [log index ${i.logIndexes.join(', ')}]` : '';
      out.push(`  ${i.verified ? 'ok  ' : 'FAIL'} ${i.format} ${what}${log}${i.verified ? '' : `: ${i.error ?? ''}`}`);
    }
  }
  return out.join('\n');
}

function escape(text: string): string {
  return text.replace(/[&<>"'|`\\[\]*_]/g, (c) => `&#${c.charCodeAt(0)};`);
}

function code(text: string): string {
  return `<code>${escape(text)}</code>`;
}
