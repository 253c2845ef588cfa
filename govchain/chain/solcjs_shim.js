// GovChain: makes the pinned solcjs (npm `solc`) answer like a native solc, so py-solc-x can drive it.
// Supports `--version` and `--standard-json` (input on stdin, output on stdout); imports are read
// from --base-path and each --include-path. Other flags py-solc-x passes (--allow-paths) are ignored.
// The `solc` package is loaded from $GOVCHAIN_NODE_MODULES (set by govchain.compiler).
'use strict';
const fs = require('fs');
const path = require('path');

const args = process.argv.slice(2);
const modules = process.env.GOVCHAIN_NODE_MODULES || path.join(process.cwd(), 'node_modules');
const solc = require(path.join(modules, 'solc'));

function flagValues(name) {
  const out = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === name && i + 1 < args.length) out.push(...args[i + 1].split(','));
  }
  return out;
}

if (args.includes('--version')) {
  process.stdout.write('solc, the solidity compiler commandline interface\nVersion: '
    + solc.version().replace('.Emscripten.clang', '') + '\n');
  process.exit(0);
}
if (!args.includes('--standard-json')) {
  process.stderr.write('unrecognised option: only --version and --standard-json are supported\n');
  process.exit(1);
}

const roots = [...flagValues('--base-path'), ...flagValues('--include-path')];
if (roots.length === 0) roots.push(process.cwd());

function findImports(importPath) {
  for (const root of roots) {
    const candidate = path.resolve(root, importPath);
    if (fs.existsSync(candidate)) return { contents: fs.readFileSync(candidate, 'utf8') };
  }
  return { error: 'File not found: ' + importPath };
}

const input = fs.readFileSync(0, 'utf8');
process.stdout.write(solc.compile(input, { import: findImports }));
