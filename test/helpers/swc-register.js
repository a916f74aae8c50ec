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

// tsconfig's node16 resolution has dynamic imports name the emitted file (`import('./pg.js')`); in a process
// running the TypeScript itself that file is `./pg.ts`.
const Module = require('node:module');
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function resolveTsForJs(request, parent, ...rest) {
  try {
    return resolveFilename.call(this, request, parent, ...rest);
  } catch (e) {
    if (request.startsWith('.') && request.endsWith('.js'))
      return resolveFilename.call(this, `${request.slice(0, -3)}.ts`, parent, ...rest);
    throw e;
  }
};
