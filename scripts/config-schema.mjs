#!/usr/bin/env node
// Writes schema/config.schema.json, the JSON Schema editors use to check and complete a run
// config, from the valibot schema in src/pipeline/config.ts. It reads the build, so build first:
//   npm run build && node scripts/config-schema.mjs
// tests/ops/config.test.ts fails while the committed file differs from what this writes.
import { writeFileSync } from 'node:fs';
import { renderConfigJsonSchema } from '../dist/pipeline/config.js';

const out = new URL('../schema/config.schema.json', import.meta.url);
writeFileSync(out, renderConfigJsonSchema());
console.error(`wrote ${out.pathname}`);
