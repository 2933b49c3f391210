// ESLint (flat config), run by `npm run lint` with `prettier --check`.
// TypeScript: typescript-eslint's type-checked recommended rules, typed with
// tsconfig.json (sources and tests, noUncheckedIndexedAccess on). Plain JavaScript (the test stack and
// harness, scripts, benchmarks): ESLint's recommended rules on Node globals.
// Formatting is Prettier's alone (prettier.config.js); neither recommended
// set has layout rules that could disagree with it.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'lib/', 'coverage/', '.tools/', '.stack/', '.bench/', 'test/fixtures/', '**/*.d.mts', 'src/**/*.generated.*'] },
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
  js.configs.recommended,
  {
    rules: {
      // `const { stop: _, ...info } = stack` drops a key on purpose; `_x` marks an unused parameter.
      'no-unused-vars': ['error', { ignoreRestSiblings: true, argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { project: './tsconfig.json', tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true, argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // async without await is deliberate: stand-ins and sources implement Promise-returning
      // interfaces (open, openBlob, readIndex), and a throw inside must stay a rejection.
      '@typescript-eslint/require-await': 'off',
      // Interfaces here are records of closures written in method syntax (ctx.warn, store.open,
      // a module's exports) and passed around as values; every hit was one of those, none a this-bound method.
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    files: ['__tests__/**/*.ts', 'test/**/*.ts'],
    rules: {
      // Tests parse wire formats (bundles, manifests, SBOMs, Rekor bodies) and reach into the
      // JSON untyped on purpose: the expect() calls are the check, a declared type would be a guess.
      '@typescript-eslint/no-explicit-any': 'off',
      // Test servers take async request handlers; a failure there fails the test anyway.
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: ['**/*.{js,mjs}'],
    languageOptions: { globals: globals.node },
  },
);
