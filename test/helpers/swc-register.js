/**
 * Lets a plain `node` child process load the project's TypeScript, the way jest does (same swc options as
 * jest.config.js: decorators with metadata, CommonJS). Tests that need a second process (a BullMQ worker that is
 * SIGKILLed mid-job) fork it with `execArgv: ['--require', <this file>]`; no build (dist/) is needed.
 */
'use strict';
const fs = require('node:fs');
const { transformSync } = require('@swc/core');

require('reflect-metadata');

require.extensions['.ts'] = function compileTs(module, filename) {
  const source = fs.readFileSync(filename, 'utf8');
  const { code } = transformSync(source, {
    filename,
    sourceMaps: 'inline',
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
    },
    module: { type: 'commonjs' },
  });
  module._compile(code, filename);
};
