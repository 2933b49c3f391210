// Reads an RFC 3161 TimeStampReq in DER, the body a real timestamp authority
// takes as `application/timestamp-query` (sigstore-go and cosign send it;
// sigstore-js sends the JSON form instead).
//
// TimeStampReq ::= SEQUENCE { version INTEGER, messageImprint SEQUENCE {
//   hashAlgorithm AlgorithmIdentifier, hashedMessage OCTET STRING },
//   reqPolicy OID OPTIONAL, nonce INTEGER OPTIONAL, certReq BOOLEAN DEFAULT FALSE,
//   extensions [0] IMPLICIT Extensions OPTIONAL }

/** One DER TLV at `pos`: {tag, value, end}. Definite lengths only, as DER requires. */
function tlv(buf, pos) {
  if (pos + 2 > buf.length) throw new Error('truncated DER');
  const tag = buf[pos];
  let len = buf[pos + 1];
  let start = pos + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || start + n > buf.length) throw new Error('bad DER length');
    len = buf.subarray(start, start + n).reduce((acc, b) => acc * 256 + b, 0);
    start += n;
  }
  if (start + len > buf.length) throw new Error('truncated DER');
  return { tag, value: buf.subarray(start, start + len), end: start + len };
}

/** The TLVs directly inside a constructed value. */
function children(value) {
  const out = [];
  for (let pos = 0; pos < value.length; pos = out[out.length - 1].end) out.push(tlv(value, pos));
  return out;
}

function oidString(bytes) {
  const arcs = [];
  let n = 0;
  for (const b of bytes) {
    n = n * 128 + (b & 0x7f);
    if (!(b & 0x80)) {
      arcs.push(n);
      n = 0;
    }
  }
  const first = arcs.shift() ?? 0;
  const head = first < 80 ? [Math.floor(first / 40), first % 40] : [2, first - 80];
  return [...head, ...arcs].join('.');
}

const SEQUENCE = 0x30;
const OID = 0x06;
const INTEGER = 0x02;
const OCTET_STRING = 0x04;
const BOOLEAN = 0x01;

/** @returns {{hashAlgorithmOID: string, artifactHash: Buffer, policyOID?: string, nonce?: Buffer, certReq: boolean}} */
export function parseTimeStampReq(der) {
  const outer = tlv(der, 0);
  if (outer.tag !== SEQUENCE || outer.end !== der.length) throw new Error('not a DER TimeStampReq');
  const [version, imprint, ...rest] = children(outer.value);
  if (version?.tag !== INTEGER || imprint?.tag !== SEQUENCE) throw new Error('not a DER TimeStampReq');
  const [alg, hashed] = children(imprint.value);
  const algOID = alg?.tag === SEQUENCE ? children(alg.value)[0] : undefined;
  if (algOID?.tag !== OID || hashed?.tag !== OCTET_STRING) throw new Error('bad messageImprint');
  const req = { hashAlgorithmOID: oidString(algOID.value), artifactHash: Buffer.from(hashed.value), certReq: false };
  for (const field of rest) {
    if (field.tag === OID) req.policyOID = oidString(field.value);
    else if (field.tag === INTEGER) req.nonce = Buffer.from(field.value);
    else if (field.tag === BOOLEAN) req.certReq = field.value[0] !== 0;
  }
  return req;
}
