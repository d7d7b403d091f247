import { describe, expect, it } from 'vitest';
import { SeenIdentities } from '../../src/sources/identities.js';

describe('SeenIdentities: the ids and URLs of one input, for its repeats (issue 17, memory)', () => {
  it('answers undefined for a first sighting and the first origin for every repeat', () => {
    const seen = new SeenIdentities();
    expect(seen.add('id:x', 'a.jsonl:1')).toBeUndefined();
    expect(seen.add('id:y', 'a.jsonl:2')).toBeUndefined();
    expect(seen.add('id:x', 'a.jsonl:3')).toBe('a.jsonl:1');
    expect(seen.add('id:x', 'a.jsonl:4')).toBe('a.jsonl:1');
    expect(seen.add('https://jobs.example/1', 'a.jsonl:5')).toBeUndefined();
    expect(seen.add('https://jobs.example/1', 'a.jsonl:6')).toBe('a.jsonl:5');
  });

  it('gives back origins of any shape: numbered by line or by record, named, or numbered under another name', () => {
    const seen = new SeenIdentities();
    const origins = ['posts.json#1', 'posts.json', 'other.json#7', 'posts.json#0', 'stdin', 'dir/a:b.jsonl:123456789'];
    expect(origins.map((o, k) => seen.add(`id:${k}`, o))).toEqual(origins.map(() => undefined));
    expect(origins.map((_, k) => seen.add(`id:${k}`, 'later'))).toEqual(origins);
  });

  it('keeps every identity and its origin as the table doubles, again and again', () => {
    const seen = new SeenIdentities();
    const n = 200_000;
    let repeats = 0;
    for (let i = 1; i <= n; i++) if (seen.add(`id:company-${i % 977}/${i}`, `big.jsonl:${i}`) !== undefined) repeats++;
    expect(repeats).toBe(0);
    // Every key is still there, with its own line.
    let wrong = 0;
    for (let i = 1; i <= n; i += 7) if (seen.add(`id:company-${i % 977}/${i}`, 'again') !== `big.jsonl:${i}`) wrong++;
    expect(wrong).toBe(0);
    expect(seen.add('id:company-0/0', 'big.jsonl:0')).toBeUndefined();
  });
});
