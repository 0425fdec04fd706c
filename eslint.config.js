import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['node_modules', 'dist', '.cache', '.orthanc', 'vendor', 'artifacts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      'no-eval': 'error',
      'no-implied-eval': 'error',
      'no-new-func': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // The pure core never reaches DICOM, PACS, OHIF, the DOM or the network.
    files: ['extension/src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/dicom/**', '**/pacs/**', '**/ohif/**', '**/cli/**'],
              message: 'core must not depend on adapters',
            },
            {
              group: [
                'dcmjs',
                'dicomweb-client',
                '@ohif/*',
                '@cornerstonejs/*',
                'react',
                'react-dom',
                'node:http',
                'node:https',
                'node:net',
              ],
              message: 'core is pure',
            },
          ],
        },
      ],
    },
  },
);
