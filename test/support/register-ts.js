/*
 * Lets a child process run the TypeScript sources directly (`node -r ./test/support/register-ts.js src/main.ts`),
 * the same way ts-jest compiles them (transpile-only, CommonJS, decorator metadata), so tests that need a
 * separate service process (restarts, kill -9, two instances) need no build step.
 */
const fs = require('node:fs');
const ts = require('typescript');

const compilerOptions = {
  module: ts.ModuleKind.CommonJS,
  target: ts.ScriptTarget.ES2022,
  experimentalDecorators: true,
  emitDecoratorMetadata: true,
  esModuleInterop: true,
  isolatedModules: true,
  inlineSourceMap: true,
};

require.extensions['.ts'] = function compile(module, filename) {
  const source = fs.readFileSync(filename, 'utf8');
  const { outputText } = ts.transpileModule(source, { compilerOptions, fileName: filename });
  module._compile(outputText, filename);
};
