import { describe, expect, it } from '@jest/globals';
import { COMMANDS, commandHelp, findCommand, parseCommand, UsageError } from '../../src/cli/usage.js';
import { checkIdentity, refHint } from '../../src/verify/policy.js';

describe('CLI command tables', () => {
  it('every option of every command has a one-line description, and every command an example', () => {
    for (const c of COMMANDS) {
      expect(c.examples.length).toBeGreaterThan(0);
      for (const [name, o] of Object.entries(c.options)) {
        expect(`${name}: ${o.help}`).toMatch(/^[\w-]+: \S[^\n]+$/);
      }
      const help = commandHelp(c);
      for (const name of Object.keys(c.options)) expect(help).toContain(`--${name}`);
    }
  });

  it('turns parser errors into one-line usage errors naming the command', () => {
    const verify = findCommand('verify')!;
    expect(() => parseCommand(verify, ['--nope'])).toThrow(new UsageError('verify: unknown option --nope'));
    expect(() => parseCommand(verify, ['--certificate-identity'])).toThrow(UsageError);
    expect(parseCommand(verify, ['img', '--type', 'a', '--type', 'b']).values['type']).toEqual(['a', 'b']);
  });
});

describe('refHint', () => {
  const main = 'https://github.com/o/r/.github/workflows/release.yml@refs/heads/main';
  const dev = 'https://github.com/o/r/.github/workflows/release.yml@refs/heads/dev';

  it('names the refs and a regexp that accepts the workflow at any ref', () => {
    const hint = refHint(main, dev);
    expect(hint).toBe(
      "; only the ref differs (refs/heads/dev, not refs/heads/main): to accept this workflow at any ref, pass certificate-identity-regexp '^https://github\\.com/o/r/\\.github/workflows/release\\.yml@'",
    );
    const re = new RegExp(/'([^']+)'/.exec(hint)![1]!);
    expect(re.test(dev) && re.test(main)).toBe(true);
    expect(re.test('https://github.com/o/r/.github/workflows/other.yml@refs/heads/main')).toBe(false);
  });

  it('says nothing when the workflow itself differs or a regexp was given', () => {
    expect(refHint(main, 'https://github.com/o/r/.github/workflows/other.yml@refs/heads/main')).toBe('');
    expect(refHint(/x/, dev)).toBe('');
    expect(refHint('someone@example.com', 'other@example.com')).toBe('');
    expect(refHint('someone@example.com', 'someone@example.org')).toBe('');
  });

  it('is part of the wrong-identity error', () => {
    expect(() => checkIdentity({ san: main, issuer: 'i' }, { san: dev, issuer: 'i' })).toThrow(/wrong identity: .*only the ref differs/);
  });
});
