import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'web/dist/',
      'web/vite.config.mts',
      'test/support/*.mjs',
      'node_modules/',
      'coverage/',
      'data/',
      '.tmp/',
      '*.js',
      '*.cjs',
      '*.mjs',
      'examples/**/*.js',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "MemberExpression[object.name='Date'][property.name='now']",
          message: 'Read time from the injected Clock.',
        },
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'Read time from the injected Clock.',
        },
      ],
    },
  },
  {
    files: [
      'test/**/*.ts',
      'bench/**/*.ts',
      'src/**/*.spec.ts',
      'src/infrastructure/**/*.ts',
      'src/main.ts',
      'src/cli.ts',
      'src/cli/**/*.ts',
      'web/**/*.ts',
      'web/**/*.tsx',
    ],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
