import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// Issue 15: `import { extractSkills } from 'skillpulse'` works, through package.json's exports map and the built dist/.
describe('the package', () => {
  it('resolves its own name to the built library, with extractSkills', () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
    expect(pkg.exports['.']).toEqual({ types: './dist/index.d.ts', default: './dist/index.js' });
    const script = [
      "import { extractSkills } from 'skillpulse';",
      "const r = extractSkills('Requirements: Python and Kubernetes. No PHP needed.');",
      'console.log(JSON.stringify({ resolved: import.meta.resolve("skillpulse"), skills: r.skills.map((s) => [s.id, s.negated]), evidence: r.skills.map((s) => r.text.slice(s.mentions[0].start, s.mentions[0].end)) }));',
    ].join('\n');
    // Run from the checkout: Node resolves a package's own name there (self-reference) through "exports".
    const out = JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env: { ...process.env, SKILLPULSE_CACHE_DIR: '' } }));
    expect(out.resolved).toMatch(/\/dist\/index\.js$/);
    expect(out.skills).toEqual([
      ['python', false],
      ['kubernetes', false],
      ['php', true],
    ]);
    expect(out.evidence).toEqual(['Python', 'Kubernetes', 'PHP']);
  });

  // Issue 15, item 12: generate-demo crashed on --help, config-schema rewrote its file.
  it.each(['compare-builds', 'config-schema', 'generate-demo', 'hn-to-jsonl'])('scripts/%s.mjs --help prints its usage and does nothing else', (name) => {
    const before = readFileSync('schema/config.schema.json', 'utf8');
    const out = execFileSync(process.execPath, [`scripts/${name}.mjs`, '--help'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(out).toMatch(new RegExp(`^usage: node scripts/${name}\\.mjs`));
    expect(readFileSync('schema/config.schema.json', 'utf8')).toBe(before);
  });

  it('ships types for it', () => {
    expect(readFileSync('dist/index.d.ts', 'utf8')).toContain('extractSkills');
  });
});
