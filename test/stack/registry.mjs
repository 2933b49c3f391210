// CNCF distribution (`docker-registry` from apt) configured for tests:
// filesystem storage under the state dir, deletes enabled, quiet logs.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const REGISTRY_USER = 'tester';
export const REGISTRY_PASSWORD = 'secret';

/** Absolute path of an executable on PATH (or /usr/bin), else undefined. */
export function findExecutable(name) {
  const dirs = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/bin', '/usr/sbin'];
  return dirs
    .map((d) => path.join(d, name))
    .find((p) => {
      try {
        fs.accessSync(p, fs.constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });
}

export function requireTools() {
  const missing = ['docker-registry', 'skopeo'].filter((t) => !findExecutable(t));
  if (missing.length > 0) {
    throw new Error(`${missing.join(' and ')} not found on PATH: apt-get install docker-registry skopeo apache2-utils`);
  }
}

/**
 * Writes DIR/config.yml (and DIR/htpasswd when auth) for one registry instance.
 * @returns {string} the config path
 */
export function writeRegistryConfig({ dir, port, auth = false }) {
  fs.mkdirSync(path.join(dir, 'storage'), { recursive: true });
  let authBlock = '';
  if (auth) {
    if (!findExecutable('htpasswd')) throw new Error('htpasswd not found: apt-get install apache2-utils');
    // distribution only accepts bcrypt entries, hence -B.
    const line = execFileSync('htpasswd', ['-Bbn', REGISTRY_USER, REGISTRY_PASSWORD], { encoding: 'utf8' });
    fs.writeFileSync(path.join(dir, 'htpasswd'), line.trim() + '\n');
    authBlock = `auth:\n  htpasswd:\n    realm: test-registry\n    path: ${path.join(dir, 'htpasswd')}\n`;
  }
  const config = `version: 0.1
log:
  level: warn
  accesslog:
    disabled: true
storage:
  filesystem:
    rootdirectory: ${path.join(dir, 'storage')}
  delete:
    enabled: true
  maintenance:
    uploadpurging:
      enabled: false
http:
  addr: 127.0.0.1:${port}
${authBlock}`;
  const file = path.join(dir, 'config.yml');
  fs.writeFileSync(file, config);
  return file;
}
