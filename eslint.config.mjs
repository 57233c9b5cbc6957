// Lint rules for kxds. Type-aware rules catch floating promises; restricted imports keep the data flow
// one-way (sources/model -> translate -> xds -> server), as ARCHITECTURE.md describes.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// A forbidden entry is a pattern, or a list of patterns with exceptions ("!**/generated/envoy/**").
const layer = (files, forbidden, message) => ({
  files,
  rules: {
    'no-restricted-imports': [
      'error',
      { patterns: forbidden.map((group) => ({ group: Array.isArray(group) ? group : [group], message })) },
    ],
  },
});
/** Our Envoy back-end, not the generated Envoy proto types every layer may use. */
const ENVOY_BACKEND = ['**/envoy/**', '!**/generated/envoy/**'];

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'src/generated/**',
      'bin/**',
      'scripts/**',
      '**/*.mjs',
      '**/*.js',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            {
              from: 'package',
              package: 'node:test',
              name: ['test', 'it', 'describe', 'suite', 'before', 'after'],
            },
          ],
        },
      ],
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  // Later entries win for a file matched twice, so each layer lists everything it may not import.
  layer(['src/**/*.ts'], ['@kubernetes/client-node'], 'only src/sources imports @kubernetes/client-node'),
  layer(
    ['src/sources/**'],
    ['**/server/**', '**/translate/**', '**/admin/**'],
    'sources only emit model events',
  ),
  layer(
    ['src/model/**', 'src/translate/**'],
    ['**/server/**', '**/sources/**', '**/admin/**', '@kubernetes/client-node', '@grpc/grpc-js'],
    'translation is pure: it must not know sources or the gRPC server',
  ),
  layer(
    ['src/server/**'],
    [
      '**/translate/**',
      '**/sources/**',
      '**/admin/**',
      '**/model/**',
      '**/cluster/**',
      '**/pipeline',
      '**/app',
      '@kubernetes/client-node',
    ],
    'the xDS server knows the cache, snapshots and node groups (src/xds), never translation or sources',
  ),
  layer(
    ['src/ir/**'],
    [
      '**/model/**',
      '**/translate/**',
      '**/xds/**',
      '**/server/**',
      '**/sources/**',
      '**/admin/**',
      '**/cluster/**',
      '@kubernetes/client-node',
      '@grpc/grpc-js',
      'rxjs',
    ],
    'the IR and statuses are plain data: every layer imports them, they import no layer',
  ),
  layer(
    ['src/envoy/**'],
    [
      '**/model/**',
      '**/translate/**',
      '**/server/**',
      '**/sources/**',
      '**/admin/**',
      '**/cluster/**',
      '**/app',
      '**/pipeline',
      '@kubernetes/client-node',
      '@grpc/grpc-js',
      'rxjs',
    ],
    'the Envoy back-end turns IR into Envoy resources: it imports only ir/ and xds/ (types, encoding)',
  ),
  layer(
    ['src/xds/**'],
    [
      '**/server/**',
      '**/sources/**',
      '**/admin/**',
      '**/translate/**',
      ENVOY_BACKEND,
      '@kubernetes/client-node',
      '@grpc/grpc-js',
    ],
    'the snapshot cache and node groups know nothing of gRPC, sources or translation',
  ),
  layer(
    ['src/server/**'],
    [
      '**/translate/**',
      ENVOY_BACKEND,
      '**/sources/**',
      '**/admin/**',
      '**/model/**',
      '@kubernetes/client-node',
    ],
    'the xDS server depends on the cache interface and node groups only, never on translation',
  ),
  layer(
    ['src/frontends/**'],
    [
      '**/server/**',
      '**/sources/**',
      '**/admin/**',
      '**/cluster/**',
      ENVOY_BACKEND,
      '**/app',
      '**/pipeline',
      '@kubernetes/client-node',
      '@grpc/grpc-js',
      'rxjs',
    ],
    'a front-end is a pure function model -> IR + statuses: it never writes an Envoy field',
  ),
  layer(
    ['src/admin/**'],
    ['**/app', '**/sources/**', '**/cluster/**', '@kubernetes/client-node'],
    'admin reads the control plane through the view it declares (admin-view.ts), never the app itself',
  ),
  layer(
    ['src/webhook/**'],
    ['**/server/**', '**/xds/cache*', '@kubernetes/client-node'],
    'the webhook does not import the xDS server or cache',
  ),
);
