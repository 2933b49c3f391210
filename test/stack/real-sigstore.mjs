// The real Sigstore services on 127.0.0.1, each a process started and stopped
// by PID: MariaDB (own datadir and socket) → Trillian log server + signer →
// Fulcio (ephemeral CA, the stand-in's OIDC issuer as a GitHub issuer), a CT
// log (ct_server on the same Trillian), Rekor v1, a timestamp authority and,
// when built, Rekor v2 (rekor-tiles on POSIX storage). The stand-in
// (fake-sigstore.mjs) still mints the GitHub OIDC tokens and serves the TUF
// mirror, now of the real trusted root. Writes trusted_root.json and
// signing_config.json from the running services' keys and URLs.
//
// Binaries come from .tools/bin (scripts/install-tools.sh); MariaDB from apt.
import { execFile, execFileSync, spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { freePort, isRunning, tail } from './process.mjs';
import { HashAlgorithm, PublicKeyDetails, ServiceSelector, SigningConfig, TrustedRoot } from '@sigstore/protobuf-specs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(HERE, '../..');
const FAKE_SIGSTORE = path.join(HERE, 'fake-sigstore.mjs');
export const TOOLS_BIN = process.env.SIGN_ATTEST_TOOLS_BIN ?? path.join(REPO, '.tools/bin');
const TRILLIAN_SCHEMA = path.join(REPO, '.tools/share/trillian-storage.sql');
const READY_TIMEOUT_MS = 60_000;
const KILL_GRACE_MS = 5_000;
// Services whose build is required; rekor-tiles (Rekor v2) is used when present.
const SERVICES = ['fulcio', 'trillian-log-server', 'trillian-log-signer', 'createtree', 'rekor-server', 'ct-server', 'timestamp-server'];
const SYSTEM = ['mariadbd', 'mariadb-install-db', 'mariadb'];
const OPERATOR = 'sign-attest.test';
const CT_PREFIX = 'fulcio';

const execFileP = promisify(execFile);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const tool = (name) => path.join(TOOLS_BIN, name);
const executable = (p) => {
  try {
    fs.accessSync(p, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
};
const systemBinary = (name) => [...(process.env.PATH ?? '').split(path.delimiter), '/usr/sbin', '/usr/bin'].map((d) => path.join(d, name)).find(executable);

/** What is missing to run the real services (empty when they can run). */
export function missingRealTools() {
  const missing = SERVICES.filter((t) => !executable(tool(t))).map((t) => `.tools/bin/${t}`);
  if (!fs.existsSync(TRILLIAN_SCHEMA)) missing.push('.tools/share/trillian-storage.sql');
  missing.push(...SYSTEM.filter((b) => !systemBinary(b)));
  return missing;
}

export const hasRekorV2 = () => executable(tool('rekor-tiles'));

/** Polls `probe` until it returns a truthy value; fails early when `child` exits. */
async function waitFor(name, child, logFile, probe, timeoutMs = READY_TIMEOUT_MS) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child && !isRunning(child)) throw new Error(`${name} exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${tail(logFile, 15)}`);
    try {
      const value = await probe();
      if (value) return value;
    } catch {
      // not ready yet
    }
    if (Date.now() > deadline) throw new Error(`${name} not ready after ${timeoutMs} ms:\n${tail(logFile, 15)}`);
    await sleep(25);
  }
}

async function httpOK(url) {
  const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
  const body = Buffer.from(await res.arrayBuffer());
  return res.ok ? body : undefined;
}

/** First stdout line of fake-sigstore, parsed. */
function readyLine(child, logFile) {
  return new Promise((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => done(new Error(`fake-sigstore not ready:\n${tail(logFile, 15)}`)), READY_TIMEOUT_MS);
    const onExit = (code, signal) => done(new Error(`fake-sigstore exited (${code ?? signal}):\n${tail(logFile, 15)}`));
    function done(err, value) {
      clearTimeout(timer);
      child.removeListener('exit', onExit);
      child.stdout.removeAllListeners('data');
      child.stdout.destroy();
      if (err) reject(err);
      else resolve(value);
    }
    child.once('exit', onExit);
    child.stdout.on('data', (chunk) => {
      buf += chunk;
      const nl = buf.indexOf('\n');
      if (nl >= 0) {
        try {
          done(null, JSON.parse(buf.slice(0, nl)));
        } catch (e) {
          done(e);
        }
      }
    });
  });
}

const pemBlocks = (pem, label) =>
  [...pem.matchAll(new RegExp(`-----BEGIN ${label}-----([\\s\\S]+?)-----END ${label}-----`, 'g'))].map((m) => Buffer.from(m[1].replace(/\s+/g, ''), 'base64'));
const toPEM = (der, label) =>
  `-----BEGIN ${label}-----\n${der
    .toString('base64')
    .match(/.{1,64}/g)
    .join('\n')}\n-----END ${label}-----\n`;
const sha256 = (buf) => crypto.createHash('sha256').update(buf).digest();

function keyDetails(spki) {
  const key = crypto.createPublicKey({ key: spki, format: 'der', type: 'spki' });
  if (key.asymmetricKeyType === 'ed25519') return PublicKeyDetails.PKIX_ED25519;
  const curve = key.asymmetricKeyDetails?.namedCurve;
  if (curve === 'prime256v1') return PublicKeyDetails.PKIX_ECDSA_P256_SHA_256;
  if (curve === 'secp384r1') return PublicKeyDetails.PKIX_ECDSA_P384_SHA_384;
  if (curve === 'secp521r1') return PublicKeyDetails.PKIX_ECDSA_P521_SHA_512;
  throw new Error(`unsupported log key ${key.asymmetricKeyType} ${curve ?? ''}`);
}

// A Rekor v2 log's ID: for Ed25519 keys the C2SP signed-note hash of
// name || \n || 0x01 || key, in full (its first 4 bytes are the checkpoint key
// hint); for ECDSA keys the SPKI hash, as for Rekor v1.
function noteLogId(origin, spki) {
  const key = crypto.createPublicKey({ key: spki, format: 'der', type: 'spki' });
  if (key.asymmetricKeyType !== 'ed25519') return sha256(spki);
  return sha256(Buffer.concat([Buffer.from(`${origin}\n`), Buffer.from([1]), spki.subarray(-32)]));
}

function subjectOf(der) {
  const cert = new crypto.X509Certificate(der);
  const field = (k) =>
    cert.subject
      .split('\n')
      .find((l) => l.startsWith(`${k}=`))
      ?.slice(k.length + 1) ?? '';
  // Fulcio's ephemeral CA has no CN; protobuf JSON drops an empty string and
  // sigstore-python then refuses the root (commonName is required there).
  return { organization: field('O'), commonName: field('CN') || field('O') || 'sigstore' };
}

/**
 * Starts the real services.
 * @param {object} o
 * @param {string} o.stateDir
 * @param {boolean} [o.detached]  let the processes outlive this one
 * @param {object} [o.claims]  OIDC claims merged over the stand-in's GitHub defaults
 * @param {number} [o.rekorMaxBodySize]  Rekor v1 --max_request_body_size in bytes (0: unlimited)
 * @param {boolean} [o.rekorV2]  also start rekor-tiles (default: when built)
 * @returns {Promise<object>} the sigstore fields of stack.json, plus `children`, `pids`, `timings`
 */
// Ports are picked free and bound a moment later by the services, so another
// stack on the machine can take one in between: such a start is retried
// (the failed attempt's processes are stopped first) in a fresh folder.
export async function startRealSigstore(opts) {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startRealSigstoreOnce({ ...opts, attempt });
    } catch (e) {
      if (attempt >= 3 || !/address already in use/.test(String(e?.message))) throw e;
    }
  }
}

async function startRealSigstoreOnce({ stateDir, detached = false, claims, rekorMaxBodySize = 0, rekorV2 = hasRekorV2(), attempt = 1 }) {
  const missing = missingRealTools();
  if (missing.length > 0) {
    throw new Error(
      `real Sigstore services unavailable, missing: ${missing.join(', ')} (bash scripts/install-tools.sh ${SERVICES.join(' ')}; apt-get install mariadb-server)`,
    );
  }
  const t0 = Date.now();
  const timings = {};
  const mark = (name) => (timings[name] = Date.now() - t0);
  const dir = path.join(path.resolve(stateDir), attempt > 1 ? `sigstore-${attempt}` : 'sigstore');
  const logs = path.join(path.resolve(stateDir), attempt > 1 ? `logs-${attempt}` : 'logs');
  fs.mkdirSync(dir, { recursive: true });
  fs.mkdirSync(logs, { recursive: true });

  const children = [];
  const pids = {};
  const logOf = (name) => path.join(logs, `${name}.log`);
  const start = (name, cmd, args, { pipeStdout = false, env } = {}) => {
    const log = fs.openSync(logOf(name), 'a');
    const child = spawn(cmd, args, { detached, stdio: ['ignore', pipeStdout ? 'pipe' : log, log], env: env && { ...process.env, ...env } });
    fs.closeSync(log);
    children.push(child);
    pids[name] = child.pid;
    return child;
  };

  try {
    const ports = Object.fromEntries(
      await Promise.all(
        [
          'oidc',
          'mysql',
          'trillianRpc',
          'trillianHttp',
          'signerRpc',
          'signerHttp',
          'ct',
          'fulcio',
          'fulcioGrpc',
          'fulcioMetrics',
          'rekor',
          'tsa',
          'rekorV2',
          'rekorV2Grpc',
          'rekorV2Metrics',
        ].map(async (k) => [k, await freePort()]),
      ),
    );
    const url = (port, p = '') => `http://127.0.0.1:${port}${p}`;

    // GitHub OIDC stand-in. Fulcio requires the token's iss, its configured
    // IssuerURL and the discovery document's issuer to be equal, and fetches
    // discovery from that URL. To keep GitHub's issuer in the certificates, the
    // stand-in also serves https://token.actions.githubusercontent.com (a
    // throwaway certificate Fulcio trusts through SSL_CERT_FILE) behind a CONNECT
    // proxy Fulcio uses (HTTPS_PROXY; loopback URLs bypass it). Without openssl,
    // the issuer is the stand-in's plain http://127.0.0.1:PORT.
    const tlsIssuer = issuerCertificate(dir);
    const issuer = tlsIssuer ? GITHUB_ISSUER : url(ports.oidc);
    const oidcArgs = [FAKE_SIGSTORE, '--port', String(ports.oidc), '--issuer', issuer, '--state-dir', path.join(dir, 'oidc')];
    if (tlsIssuer) oidcArgs.push('--issuer-tls-cert', tlsIssuer.cert, '--issuer-tls-key', tlsIssuer.key);
    if (claims) {
      const claimsFile = path.join(dir, 'claims.json');
      fs.writeFileSync(claimsFile, JSON.stringify(claims));
      oidcArgs.push('--claims', claimsFile);
    }
    const oidcReady = readyLine(start('fake-sigstore', process.execPath, oidcArgs, { pipeStdout: true }), logOf('fake-sigstore'));

    const tsaReady = startTSA({ port: ports.tsa, start, logOf }).then((chain) => {
      mark('tsa');
      return chain;
    });
    tsaReady.catch(() => {}); // awaited below

    // MariaDB with its own datadir (a copy of a cached, initialised one), socket and port.
    const datadir = path.join(dir, 'mysql');
    fs.cpSync(await mariadbTemplate(), datadir, { recursive: true });
    mark('mariadb-datadir');
    await startMariaDB({
      datadir,
      socket: path.join(dir, 'mysql.sock'),
      port: ports.mysql,
      pidFile: path.join(dir, 'mysql.pid'),
      launch: start,
      logFile: logOf('mariadb'),
    });
    mark('mariadb');
    const dsn = (db) => `root@tcp(127.0.0.1:${ports.mysql})/${db}`;

    // Trillian: one log server, one signer (forced master), two trees.
    const trillianRpc = `127.0.0.1:${ports.trillianRpc}`;
    const logServer = start('trillian-log-server', tool('trillian-log-server'), [
      '--storage_system=mysql',
      `--mysql_uri=${dsn('trillian')}`,
      '--quota_system=noop',
      `--rpc_endpoint=${trillianRpc}`,
      `--http_endpoint=127.0.0.1:${ports.trillianHttp}`,
    ]);
    start('trillian-log-signer', tool('trillian-log-signer'), [
      '--storage_system=mysql',
      `--mysql_uri=${dsn('trillian')}`,
      '--quota_system=noop',
      '--force_master',
      '--sequencer_interval=50ms',
      `--rpc_endpoint=127.0.0.1:${ports.signerRpc}`,
      `--http_endpoint=127.0.0.1:${ports.signerHttp}`,
    ]);
    const createTree = (name) =>
      waitFor('createtree', logServer, logOf('trillian-log-server'), async () => {
        const { stdout } = await execFileP(tool('createtree'), [`--admin_server=${trillianRpc}`, `--display_name=${name}`, '--rpc_deadline=5s']);
        return stdout.trim().match(/^\d+$/) ? stdout.trim() : undefined;
      });
    const [rekorTree, ctTree] = await Promise.all([createTree('rekor'), createTree('ctlog')]);
    mark('trillian');

    // Fulcio: ephemeral CA, the stand-in as a github-workflow issuer, SCTs from our CT log.
    const oidc = await oidcReady;
    const ctKey = crypto.generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const ctKeyFile = path.join(dir, 'ctlog.key');
    const ctPubFile = path.join(dir, 'ctlog.pub');
    // ct_server refuses a key without a password; it decrypts legacy (RFC 1423) PEM.
    const ctKeyPassword = 'ct-log-key';
    fs.writeFileSync(ctKeyFile, ctKey.privateKey.export({ format: 'pem', type: 'sec1', cipher: 'aes-256-cbc', passphrase: ctKeyPassword }), { mode: 0o600 });
    fs.writeFileSync(ctPubFile, ctKey.publicKey.export({ format: 'pem', type: 'spki' }));
    const fulcioConfig = path.join(dir, 'fulcio-config.json');
    fs.writeFileSync(fulcioConfig, JSON.stringify({ OIDCIssuers: { [issuer]: { IssuerURL: issuer, ClientID: 'sigstore', Type: 'github-workflow' } } }, null, 2));
    const fulcioURL = url(ports.fulcio);
    const ctURL = url(ports.ct, `/${CT_PREFIX}`);
    const fulcio = start(
      'fulcio',
      tool('fulcio'),
      [
        'serve',
        '--ca',
        'ephemeralca',
        '--config-path',
        fulcioConfig,
        '--host',
        '127.0.0.1',
        '--port',
        String(ports.fulcio),
        '--grpc-host',
        '127.0.0.1',
        '--grpc-port',
        String(ports.fulcioGrpc),
        '--metrics-port',
        String(ports.fulcioMetrics),
        '--legacy-unix-domain-socket',
        path.join(dir, 'fulcio-legacy.sock'),
        '--ct-log-url',
        ctURL,
        '--ct-log-public-key-path',
        ctPubFile,
        '--log_type',
        'prod',
      ],
      { env: tlsIssuer ? { HTTPS_PROXY: oidc.issuerProxyURL, SSL_CERT_FILE: tlsIssuer.cert } : undefined },
    );
    const trustBundle = JSON.parse((await waitFor('fulcio', fulcio, logOf('fulcio'), () => httpOK(`${fulcioURL}/api/v2/trustBundle`))).toString());
    const caChain = trustBundle.chains[0].certificates.map((pem) => pemBlocks(pem, 'CERTIFICATE')[0]);
    mark('fulcio');

    // CT log on the same Trillian, accepting certificates that chain to Fulcio's root.
    const rootsFile = path.join(dir, 'ct-roots.pem');
    fs.writeFileSync(rootsFile, toPEM(caChain.at(-1), 'CERTIFICATE'));
    const ctConfig = path.join(dir, 'ct.cfg');
    fs.writeFileSync(
      ctConfig,
      [
        'config {',
        `  log_id: ${ctTree}`,
        `  prefix: "${CT_PREFIX}"`,
        `  roots_pem_file: "${rootsFile}"`,
        `  private_key { [type.googleapis.com/keyspb.PEMKeyFile] { path: "${ctKeyFile}" password: "${ctKeyPassword}" } }`,
        '  ext_key_usages: "CodeSigning"',
        '}',
        '',
      ].join('\n'),
    );
    const ct = start('ct-server', tool('ct-server'), [
      `--log_config=${ctConfig}`,
      `--log_rpc_server=${trillianRpc}`,
      `--http_endpoint=127.0.0.1:${ports.ct}`,
      '--quota_remote=false',
      '--quota_intermediate=false',
    ]);

    // Rekor v1 on Trillian; its search index in MariaDB (no Redis).
    const rekorURL = url(ports.rekor);
    const rekorArgs = [
      'serve',
      '--trillian_log_server.address=127.0.0.1',
      `--trillian_log_server.port=${ports.trillianRpc}`,
      `--trillian_log_server.tlog_id=${rekorTree}`,
      '--rekor_server.address=127.0.0.1',
      `--port=${ports.rekor}`,
      // The checkpoint signer name: verifiers match it against the log's baseUrl.
      `--rekor_server.hostname=127.0.0.1:${ports.rekor}`,
      '--rekor_server.signer=memory',
      '--search_index.storage_provider=mysql',
      `--search_index.mysql.dsn=${dsn('rekor')}`,
      '--enable_attestation_storage=false',
      '--log_type=prod',
      `--max_request_body_size=${rekorMaxBodySize}`,
    ];
    await tsaReady; // before Rekor, which also wants :2112 but carries on without it
    const rekor = start('rekor-server', tool('rekor-server'), rekorArgs);

    let rekorV2Info;
    if (rekorV2) rekorV2Info = startRekorV2({ dir, ports, url, start, logOf });

    const [rekorKeyPEM, tsaChainPEM] = await Promise.all([
      waitFor('rekor-server', rekor, logOf('rekor-server'), () => httpOK(`${rekorURL}/api/v1/log/publicKey`)),
      tsaReady,
      waitFor('ct-server', ct, logOf('ct-server'), () => httpOK(`${ctURL}/ct/v1/get-sth`)),
    ]);
    mark('rekor+ct');
    if (rekorV2Info) {
      rekorV2Info = await rekorV2Info;
      mark('rekorV2');
    }

    // ---------- trust material ----------
    const now = new Date();
    const since = new Date(now.getTime() - 60_000);
    const rekorSpki = pemBlocks(rekorKeyPEM.toString(), 'PUBLIC KEY')[0];
    const ctSpki = ctKey.publicKey.export({ format: 'der', type: 'spki' });
    const tsaChain = pemBlocks(tsaChainPEM.toString(), 'CERTIFICATE');
    const notBefore = (der) => new Date(new crypto.X509Certificate(der).validFrom);
    const tlog = (baseUrl, spki, origin) => ({
      baseUrl,
      hashAlgorithm: HashAlgorithm.SHA2_256,
      publicKey: { rawBytes: spki, keyDetails: keyDetails(spki), validFor: { start: since } },
      // Bundles name the log by this full ID (rekor-tiles too), so no 4-byte checkpointKeyId.
      logId: { keyId: origin ? noteLogId(origin, spki) : sha256(spki) },
    });
    const trustedRoot = TrustedRoot.toJSON({
      mediaType: 'application/vnd.dev.sigstore.trustedroot+json;version=0.1',
      tlogs: [tlog(rekorURL, rekorSpki), ...(rekorV2Info ? [tlog(rekorV2Info.url, rekorV2Info.spki, rekorV2Info.origin)] : [])],
      ctlogs: [tlog(ctURL, ctSpki)],
      certificateAuthorities: [
        {
          subject: subjectOf(caChain.at(-1)),
          uri: fulcioURL,
          certChain: { certificates: caChain.map((rawBytes) => ({ rawBytes })) },
          validFor: { start: notBefore(caChain.at(-1)) },
        },
      ],
      timestampAuthorities: [
        {
          subject: subjectOf(tsaChain.at(-1)),
          uri: url(ports.tsa, '/api/v1/timestamp'),
          certChain: { certificates: tsaChain.map((rawBytes) => ({ rawBytes })) },
          validFor: { start: notBefore(tsaChain.at(-1)) },
        },
      ],
    });
    const service = (u, majorApiVersion) => ({ url: u, majorApiVersion, validFor: { start: since }, operator: OPERATOR });
    const signingConfig = (rekorServices) =>
      SigningConfig.toJSON({
        mediaType: 'application/vnd.dev.sigstore.signingconfig.v0.2+json',
        caUrls: [service(fulcioURL, 1)],
        oidcUrls: [service(issuer, 1)],
        rekorTlogUrls: rekorServices,
        rekorTlogConfig: { selector: ServiceSelector.ANY, count: 0 },
        tsaUrls: [service(url(ports.tsa, '/api/v1/timestamp'), 1)],
        tsaConfig: { selector: ServiceSelector.ANY, count: 0 },
      });
    const files = {
      trustedRoot: path.join(dir, 'trusted_root.json'),
      signingConfig: path.join(dir, 'signing_config.v0.2.json'),
      signingConfigV2: rekorV2Info ? path.join(dir, 'signing_config.rekor-v2.v0.2.json') : null,
      rekorPublicKey: path.join(dir, 'rekor.pub'),
    };
    const trustedRootJSON = JSON.stringify(trustedRoot, null, 2) + '\n';
    fs.writeFileSync(files.trustedRoot, trustedRootJSON);
    // Rekor v1 only: what the action and cosign v2 can use; the v2 log has its own config.
    fs.writeFileSync(files.signingConfig, JSON.stringify(signingConfig([service(rekorURL, 1)]), null, 2) + '\n');
    if (rekorV2Info) {
      fs.writeFileSync(files.signingConfigV2, JSON.stringify(signingConfig([service(rekorV2Info.url, 2)]), null, 2) + '\n');
    }
    fs.writeFileSync(files.rekorPublicKey, rekorKeyPEM);
    // The stand-in's TUF mirror now serves the real trusted root and signing config.
    await fetch(`${oidc.url}/__signing-config`, { method: 'POST', body: fs.readFileSync(files.signingConfig) });
    const tuf = await (await fetch(`${oidc.url}/__trusted-root`, { method: 'POST', body: trustedRootJSON })).json();
    mark('ready');

    return {
      real: true,
      url: oidc.url,
      fulcioURL,
      rekorURL,
      rekorV2URL: rekorV2Info?.url ?? null,
      ctlogURL: ctURL,
      tsaURL: url(ports.tsa),
      tsaTimestampURL: url(ports.tsa, '/api/v1/timestamp'),
      tokenURL: oidc.tokenURL,
      requestToken: oidc.requestToken,
      issuer,
      trustedRoot: files.trustedRoot,
      trustedRootURL: `${oidc.url}/trusted_root.json`,
      signingConfig: files.signingConfig,
      signingConfigRekorV2: files.signingConfigV2,
      tufMirrorURL: oidc.tufMirrorURL,
      tufRootPath: tuf.tufRootPath,
      rekorPublicKey: files.rekorPublicKey,
      rekorMaxBodySize,
      identity: { subjectAlternativeName: oidc.identity.subjectAlternativeName, issuer },
      trees: { rekor: rekorTree, ctlog: ctTree },
      timings,
      children,
      pids,
    };
  } catch (e) {
    await stopProcesses(children);
    throw e;
  }
}

const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';

/** A self-signed certificate for the issuer's host (openssl), or undefined without openssl. */
function issuerCertificate(dir) {
  const openssl = systemBinary('openssl');
  if (!openssl) return undefined;
  const cert = path.join(dir, 'issuer-tls.crt');
  const key = path.join(dir, 'issuer-tls.key');
  const host = new URL(GITHUB_ISSUER).hostname;
  execFileSync(
    openssl,
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '2',
      '-subj',
      `/CN=${host}`,
      '-addext',
      `subjectAltName=DNS:${host}`,
      '-keyout',
      key,
      '-out',
      cert,
    ],
    { stdio: 'ignore' },
  );
  return { cert, key };
}

// A throwaway database: small buffers and redo log (the default 96 MB log file
// dominates mariadb-install-db's time).
const INNODB = ['--innodb-buffer-pool-size=32M', '--innodb-log-file-size=8M'];

const sqlClient = (socket, statements) =>
  new Promise((resolve, reject) => {
    const c = spawn(systemBinary('mariadb'), ['--no-defaults', '-S', socket, '-uroot', '-e', statements], { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    c.stderr.on('data', (d) => (err += d));
    c.on('exit', (code) => (code === 0 ? resolve(true) : reject(new Error(err))));
  });

/** Starts mariadbd on DATADIR and waits until it answers; returns the child. */
async function startMariaDB({ datadir, socket, port, pidFile, launch, logFile }) {
  const child = launch('mariadb', systemBinary('mariadbd'), [
    '--no-defaults',
    `--datadir=${datadir}`,
    `--socket=${socket}`,
    `--port=${port}`,
    '--bind-address=127.0.0.1',
    `--pid-file=${pidFile}`,
    '--user=root',
    '--skip-name-resolve',
    ...INNODB,
    '--innodb-flush-log-at-trx-commit=2',
    '--skip-log-bin',
  ]);
  await waitFor('mariadb', child, logFile, () => sqlClient(socket, 'SELECT 1'));
  return child;
}

// mariadb-install-db and the schema take seconds on a busy machine: do them
// once per MariaDB version and schema into the tools cache, then copy the
// datadir. Built in a private folder and renamed, so parallel stacks cannot clash.
async function mariadbTemplate() {
  const { stdout: version } = await execFileP(systemBinary('mariadbd'), ['--version']);
  const key = sha256(Buffer.concat([Buffer.from(version + INNODB.join(' ')), fs.readFileSync(TRILLIAN_SCHEMA)]))
    .toString('hex')
    .slice(0, 16);
  const cache = process.env.SIGN_ATTEST_TOOLS_CACHE ?? path.join(os.homedir(), '.cache/sign-attest-tools');
  const template = path.join(cache, `mariadb-datadir-${key}`);
  if (fs.existsSync(template)) return template;
  const work = fs.mkdtempSync(`${template}.tmp-`);
  const datadir = path.join(work, 'data');
  const children = [];
  try {
    await execFileP(systemBinary('mariadb-install-db'), [
      '--no-defaults',
      `--datadir=${datadir}`,
      '--auth-root-authentication-method=normal',
      '--skip-test-db',
      '--user=root',
      ...INNODB,
    ]);
    const socket = path.join(work, 'sock');
    const launch = (_name, cmd, args) => {
      const log = fs.openSync(path.join(work, 'mariadb.log'), 'a');
      const child = spawn(cmd, args, { stdio: ['ignore', log, log] });
      fs.closeSync(log);
      children.push(child);
      return child;
    };
    await startMariaDB({ datadir, socket, port: await freePort(), pidFile: path.join(work, 'pid'), launch, logFile: path.join(work, 'mariadb.log') });
    await sqlClient(socket, `CREATE DATABASE trillian; CREATE DATABASE rekor; USE trillian; SOURCE ${TRILLIAN_SCHEMA};`);
    await stopProcesses(children, READY_TIMEOUT_MS); // a clean shutdown leaves a datadir that can be copied
    try {
      fs.renameSync(datadir, template);
    } catch (e) {
      if (!fs.existsSync(template)) throw e; // another stack made it first
    }
    return template;
  } finally {
    await stopProcesses(children);
    fs.rmSync(work, { recursive: true, force: true });
  }
}

const METRICS_PORT = 2112;
const portFree = (port) =>
  new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, () => srv.close(() => resolve(true)));
  });

// timestamp-server serves metrics on a fixed :2112 and exits when that port is
// taken (by another stack's TSA): wait for the port, and start again if another
// process won the race. Resolves with the certificate chain (PEM).
async function startTSA({ port, start, logOf }) {
  const deadline = Date.now() + 4 * READY_TIMEOUT_MS;
  for (let attempt = 1; ; attempt++) {
    await waitFor(
      `port ${METRICS_PORT} (timestamp-server metrics, held by another stack?)`,
      null,
      logOf('timestamp-server'),
      () => portFree(METRICS_PORT),
      Math.max(deadline - Date.now(), 1),
    );
    const child = start('timestamp-server', tool('timestamp-server'), [
      'serve',
      '--host',
      '127.0.0.1',
      `--port=${port}`,
      '--timestamp-signer',
      'memory',
      '--disable-ntp-monitoring',
      '--log-type',
      'prod',
    ]);
    try {
      return await waitFor('timestamp-server', child, logOf('timestamp-server'), () => httpOK(`http://127.0.0.1:${port}/api/v1/timestamp/certchain`));
    } catch (e) {
      if (isRunning(child) || !/address already in use/.test(tail(logOf('timestamp-server'), 15)) || Date.now() > deadline) throw e;
    }
  }
}

// Rekor v2 (rekor-tiles, POSIX storage): an Ed25519 checkpoint key of our own.
async function startRekorV2({ dir, ports, url, start, logOf }) {
  const key = crypto.generateKeyPairSync('ed25519');
  const keyFile = path.join(dir, 'rekor-v2.key');
  fs.writeFileSync(keyFile, key.privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600 });
  // The checkpoint origin (note signer name): sigstore-go takes it to be the
  // hostname of the log's baseUrl, without the port; sigstore-js a substring of it.
  const origin = '127.0.0.1';
  const child = start('rekor-tiles', tool('rekor-tiles'), [
    'serve',
    '--http-address',
    '127.0.0.1',
    `--http-port=${ports.rekorV2}`,
    '--grpc-address',
    '127.0.0.1',
    `--grpc-port=${ports.rekorV2Grpc}`,
    `--http-metrics-port=${ports.rekorV2Metrics}`,
    `--hostname=${origin}`,
    `--storage-dir=${path.join(dir, 'rekor-v2-tiles')}`,
    `--signer-filepath=${keyFile}`,
    '--checkpoint-interval=1s',
    '--batch-max-age=100ms',
  ]);
  await waitFor('rekor-tiles', child, logOf('rekor-tiles'), () => httpOK(url(ports.rekorV2, '/healthz')));
  return { url: url(ports.rekorV2), origin, spki: key.publicKey.export({ format: 'der', type: 'spki' }) };
}

/** SIGTERM, then SIGKILL after a grace period; resolves when all have exited. */
export async function stopProcesses(children, graceMs = KILL_GRACE_MS) {
  await Promise.all(
    children.filter(isRunning).map(async (child) => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    }),
  );
}
