#!/usr/bin/env node
// Writes schema/config.schema.json, the JSON Schema editors use to check and complete a run
// config, from the valibot schema in src/pipeline/config.ts. It reads the build, so build first:
//   npm run build && node scripts/config-schema.mjs
// tests/ops/config.test.ts fails while the committed file differs from what this writes.
import { writeFileSync } from 'node:fs';

const args = process.argv.slice(2);
if (args.length > 0) {
  const usage = 'usage: node scripts/config-schema.mjs (after npm run build)\n  rewrites schema/config.schema.json from the config schema in src/pipeline/config.ts\n';
  const help = args.every((a) => a === '--help' || a === '-h');
  (help ? process.stdout : process.stderr).write(help ? usage : `config-schema: unexpected argument ${args[0]}\n${usage}`);
  process.exit(help ? 0 : 2);
}
// Loaded after the arguments are read: --help works before a build too.
const { renderConfigJsonSchema } = await import('../dist/pipeline/config.js');

const out = new URL('../schema/config.schema.json', import.meta.url);
writeFileSync(out, renderConfigJsonSchema());
console.error(`wrote ${out.pathname}`);
