// Small process helpers shared by the stack launchers (stack.mjs and
// real-sigstore.mjs): a free loopback port, a log's tail for error messages,
// and whether a child is still running.
import fs from 'node:fs';
import net from 'node:net';

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

export function tail(file, lines = 20) {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

export const isRunning = (child) => child.exitCode === null && child.signalCode === null;
