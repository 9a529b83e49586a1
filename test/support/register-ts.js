/*
 * Lets a child process run the TypeScript sources directly (`node -r ./test/support/register-ts.js src/main.ts`),
 * the same way ts-jest compiles them (transpile-only, CommonJS, decorator metadata), so tests that need a
 * separate service process (restarts, kill -9, two instances) need no build step.
 *
 * Transpiled output is cached in the OS temp directory by a hash of the TypeScript version, the options, the
 * file name and its source: the resilience tests start the service some twenty times, and transpiling the
 * whole source tree was most of each start. A changed file gets a new hash; the cache is never read stale.
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const TS_VERSION = require('typescript/package.json').version;
const OPTIONS =
  'commonjs es2022 experimentalDecorators emitDecoratorMetadata esModuleInterop isolatedModules inlineSourceMap';
const CACHE_DIR = path.join(os.tmpdir(), 'license-ledger-register-ts');

let compilerOptions = null;
function transpile(source, filename) {
  const ts = require('typescript');
  compilerOptions ??= {
    module: ts.ModuleKind.CommonJS,
    target: ts.ScriptTarget.ES2022,
    experimentalDecorators: true,
    emitDecoratorMetadata: true,
    esModuleInterop: true,
    isolatedModules: true,
    inlineSourceMap: true,
  };
  return ts.transpileModule(source, { compilerOptions, fileName: filename }).outputText;
}

require.extensions['.ts'] = function compile(module, filename) {
  const source = fs.readFileSync(filename, 'utf8');
  const key = crypto
    .createHash('sha256')
    .update(`${TS_VERSION}\0${OPTIONS}\0${filename}\0`)
    .update(source)
    .digest('hex');
  const cached = path.join(CACHE_DIR, `${key}.js`);
  let output;
  try {
    output = fs.readFileSync(cached, 'utf8');
  } catch {
    output = transpile(source, filename);
    try {
      // Written aside and renamed: a process starting alongside never reads half a file.
      fs.mkdirSync(CACHE_DIR, { recursive: true });
      const partial = `${cached}.${process.pid}.tmp`;
      fs.writeFileSync(partial, output);
      fs.renameSync(partial, cached);
    } catch {
      // No cache (read-only temp directory): transpiling every time is only slower.
    }
  }
  module._compile(output, filename);
};
