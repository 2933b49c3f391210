// ECDSA verification over a precomputed digest. node:crypto always hashes the
// input itself, but Rekor's hashedrekord only carries the artifact digest, so
// the check has to be done on the curve directly (P-256 / P-384 only).
const CURVES = {
  'P-256': {
    p: 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn,
    n: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n,
    gx: 0x6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296n,
    gy: 0x4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5n,
  },
  'P-384': {
    p: 0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffffn,
    n: 0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n,
    gx: 0xaa87ca22be8b05378eb1c71ef320ad746e1d3b628ba79b9859f741e082542a385502f25dbf55296c3a545e3872760ab7n,
    gy: 0x3617de4a96262c6f5d9e98bf9292dc29f8f41dbd289a147ce9da3113b5f0b8c00a60b1ce1d7e819d7a431d7c90ea0e5fn,
  },
};

const mod = (a, m) => ((a % m) + m) % m;

function modPow(base, exp, m) {
  let result = 1n;
  base = mod(base, m);
  for (; exp > 0n; exp >>= 1n) {
    if (exp & 1n) result = (result * base) % m;
    base = (base * base) % m;
  }
  return result;
}

const inv = (a, m) => modPow(a, m - 2n, m); // m is prime for both p and n

// Jacobian coordinates [X, Y, Z]; null is the point at infinity. a = -3.
function double(P, p) {
  if (!P || P[1] === 0n) return null;
  const [X, Y, Z] = P;
  const YY = (Y * Y) % p;
  const S = (4n * X * YY) % p;
  const ZZ = (Z * Z) % p;
  const M = mod(3n * (X - ZZ) * (X + ZZ), p);
  const X3 = mod(M * M - 2n * S, p);
  return [X3, mod(M * (S - X3) - 8n * YY * YY, p), (2n * Y * Z) % p];
}

function add(P, Q, p) {
  if (!P) return Q;
  if (!Q) return P;
  const [X1, Y1, Z1] = P;
  const [X2, Y2, Z2] = Q;
  const Z1Z1 = (Z1 * Z1) % p;
  const Z2Z2 = (Z2 * Z2) % p;
  const U1 = (X1 * Z2Z2) % p;
  const U2 = (X2 * Z1Z1) % p;
  const S1 = (Y1 * Z2 * Z2Z2) % p;
  const S2 = (Y2 * Z1 * Z1Z1) % p;
  if (U1 === U2) return S1 === S2 ? double(P, p) : null;
  const H = mod(U2 - U1, p);
  const R = mod(S2 - S1, p);
  const HH = (H * H) % p;
  const HHH = (H * HH) % p;
  const X3 = mod(R * R - HHH - 2n * U1 * HH, p);
  return [X3, mod(R * (U1 * HH - X3) - S1 * HHH, p), (H * Z1 * Z2) % p];
}

function multiply(k, P, p) {
  let result = null;
  for (let addend = P; k > 0n; k >>= 1n, addend = double(addend, p)) {
    if (k & 1n) result = add(result, addend, p);
  }
  return result;
}

// Minimal DER reader for ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }.
function parseDerSignature(der) {
  let pos = 0;
  const readLength = () => {
    let len = der[pos++];
    if (len & 0x80) {
      const bytes = len & 0x7f;
      len = 0;
      for (let i = 0; i < bytes; i++) len = len * 256 + der[pos++];
    }
    return len;
  };
  const readInt = () => {
    if (der[pos++] !== 0x02) throw new Error('malformed signature');
    const len = readLength();
    const value = BigInt('0x' + (der.subarray(pos, pos + len).toString('hex') || '0'));
    pos += len;
    return value;
  };
  if (der[pos++] !== 0x30) throw new Error('malformed signature');
  readLength();
  return { r: readInt(), s: readInt() };
}

const b64urlToBigInt = (s) => BigInt('0x' + Buffer.from(s, 'base64url').toString('hex'));

/** Verifies a DER ECDSA signature over `digest` with an EC KeyObject. */
export function verifyDigest(publicKey, digest, signature) {
  const jwk = publicKey.export({ format: 'jwk' });
  const curve = CURVES[jwk.crv];
  if (!curve) throw new Error(`unsupported key: ${publicKey.asymmetricKeyType} ${jwk.crv ?? ''}`);
  const { p, n } = curve;
  let r, s;
  try {
    ({ r, s } = parseDerSignature(signature));
  } catch {
    return false;
  }
  if (r <= 0n || r >= n || s <= 0n || s >= n) return false;
  // Leftmost bits of the digest, as FIPS 186-4 prescribes for long digests.
  const nBits = n.toString(2).length;
  let e = BigInt('0x' + (digest.toString('hex') || '0'));
  if (digest.length * 8 > nBits) e >>= BigInt(digest.length * 8 - nBits);
  const w = inv(s, n);
  const Q = [b64urlToBigInt(jwk.x), b64urlToBigInt(jwk.y), 1n];
  const R = add(multiply((e * w) % n, [curve.gx, curve.gy, 1n], p), multiply((r * w) % n, Q, p), p);
  if (!R) return false;
  const x = (R[0] * inv((R[2] * R[2]) % p, p)) % p;
  return x % n === r;
}
