import { describe, expect, it } from 'vitest';
import { compareStrings, DailyDeltas, latestDays, monthSplit, SkillGroups } from '../../src/store/sql.js';

const days = (from: string, n: number) => Array.from({ length: n }, (_, i) => new Date(Date.parse(from) + i * 86_400_000).toISOString().slice(0, 10));

describe('monthSplit (issue 17: co-occurrence per month)', () => {
  it('splits any date range into whole months and edge days, each day of the range counted once', () => {
    const all = days('2025-11-20', 150);
    let seed = 3;
    const pick = () => all[(seed = (seed * 1103515245 + 12345) & 0x7fffffff) % all.length] as string;
    const ranges: { since?: string; until?: string }[] = [{}, { since: '2026-01-01' }, { until: '2026-02-28' }, { since: '2026-01-05', until: '2026-01-07' }, { since: '2026-01-01', until: '2026-01-31' }];
    for (let i = 0; i < 300; i++) {
      const [a, b] = [pick(), pick()].sort();
      ranges.push(i % 3 === 0 ? { since: a } : i % 3 === 1 ? { until: b } : { since: a, until: b });
    }
    for (const r of ranges) {
      const s = monthSplit(r);
      for (const day of all) {
        const inRange = (r.since === undefined || day >= r.since) && (r.until === undefined || day <= r.until);
        const month = day.slice(0, 7);
        const inWhole = (s.from === undefined || month >= s.from) && (s.to === undefined || month <= s.to);
        const inEdges = s.edges.filter((e) => (e.since === undefined || day >= e.since) && (e.until === undefined || day <= e.until)).length;
        expect(Number(inWhole) + inEdges, `${JSON.stringify(r)} ${day}`).toBe(inRange ? 1 : 0);
      }
      // Unless the range lies within two months, each edge is at most thirty days.
      if (s.from !== '9999') for (const e of s.edges) expect(days(e.since as string, 40).indexOf(e.until as string)).toBeLessThan(30);
    }
    expect(monthSplit({ since: '2026-01-01', until: '2026-01-31' })).toEqual({ from: '2026-01', to: '2026-01', edges: [] });
  });
});

describe('latestDays (a skill report reads the examples of its latest days only)', () => {
  it('keeps the newest days whose counts reach the limit, skipping empty ones, and totals every day', () => {
    const days: [string, number][] = [['2026-03-03', 2], ['2026-03-02', 0], ['2026-03-01', 5], ['2026-02-28', 4]];
    expect(latestDays(days, 2)).toEqual({ days: ['2026-03-03'], total: 11 });
    expect(latestDays(days, 3)).toEqual({ days: ['2026-03-03', '2026-03-01'], total: 11 });
    expect(latestDays(days, 11)).toEqual({ days: ['2026-03-03', '2026-03-01', '2026-02-28'], total: 11 });
    expect(latestDays(days, 12)).toBeUndefined();
    expect(latestDays([], 1)).toBeUndefined();
  });
});

describe('SkillGroups', () => {
  const FAMILY = [
    { id: 'ml', category: 'ai', parent: null },
    { id: 'dl', category: 'ai', parent: 'ml' },
    { id: 'pytorch', category: 'framework', parent: 'dl' },
    { id: 'python', category: 'language', parent: null },
  ];

  it('counts a posting once per category and family, with families scoped by category, and skills no longer in the taxonomy in none', () => {
    const groups = new SkillGroups(FAMILY);
    expect([...groups.of(['pytorch', 'dl', 'python', 'gone'])].sort()).toEqual(
      ['category\t\tai', 'category\t\tframework', 'category\t\tlanguage', 'family\t\tdl', 'family\t\tml', 'family\tai\tdl', 'family\tai\tml', 'family\tframework\tdl', 'family\tframework\tml'].sort(),
    );
  });

  it('gives each group of a posting once, in the order of `of`, with whether a skill of it is required (1) or preferred (2), and its columns', () => {
    const groups = new SkillGroups(FAMILY);
    const skills = [
      { id: 'pytorch', requirement: 'preferred' },
      { id: 'gone', requirement: 'required' },
      { id: 'dl', requirement: 'required' },
      { id: 'python', requirement: 'unspecified' },
    ];
    const levels = groups.levels(skills);
    expect([...levels.keys()]).toEqual([...groups.of(skills.map((s) => s.id))]);
    const required = groups.of(['gone', 'dl']);
    const preferred = groups.of(['pytorch']);
    for (const [key, bits] of levels) expect(bits, key).toBe((required.has(key) ? 1 : 0) | (preferred.has(key) ? 2 : 0));
    expect(levels.get('family\tai\tml')).toBe(1);
    expect(levels.get('family\t\tml')).toBe(3);
    expect(levels.get('category\t\tlanguage')).toBe(0);
    expect(groups.columnsOf('family\tframework\tdl')).toEqual(['family', 'framework', 'dl']);
  });
});

describe('DailyDeltas', () => {
  it('sums a batch into one row per key, in key order: pairs per month (a < b), overall and per source, remote and requirement; skills and roll-ups per source and remote with the requirements as columns', () => {
    const ids = ['c++', 'go', 'python', 'rust', 'ß-lang', 'Z'];
    let seed = 11;
    const rand = (n: number) => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n;
    const groupsOf = new SkillGroups([
      { id: 'c++', category: 'language', parent: null },
      { id: 'go', category: 'language', parent: 'c++' },
      { id: 'python', category: 'language', parent: null },
      { id: 'rust', category: 'systems', parent: 'c++' },
      { id: 'ß-lang', category: 'systems', parent: null },
      { id: 'Z', category: 'language', parent: 'python' },
    ]);
    const deltas = new DailyDeltas(groupsOf);
    const pairs = new Map<string, number>();
    const pairLevels = new Map<string, number>();
    const groups = new Map<string, [number, number, number]>();
    const sourceDays = new Map<string, number>();
    const sources = new Map<string, [number, number, number]>();
    for (let k = 0; k < 400; k++) {
      const sign = rand(4) === 0 ? -1 : 1;
      const day = `2026-0${1 + rand(3)}-1${rand(10)}`;
      const remote = [null, 0, 1][rand(3)] as number | null;
      const source = ['hn', 'file'][rand(2)] as string;
      const skills = ids.filter(() => rand(2) === 0).map((id) => ({ id, requirement: ['required', 'preferred', 'unspecified'][rand(3)] as string }));
      deltas.count(day, { source, company: `c${k}`, location: null, remote }, skills.slice().reverse(), sign);
      const sorted = skills.map((s) => s.id).sort(compareStrings);
      for (let i = 0; i < sorted.length; i++) {
        for (let j = i + 1; j < sorted.length; j++) {
          const key = `${day.slice(0, 7)}\t${sorted[i]}\t${sorted[j]}\t${source}\t${remote ?? -1}`;
          pairs.set(key, (pairs.get(key) ?? 0) + sign);
        }
      }
      // month_pair_levels: the pairs of two required, or two preferred, skills under their level.
      const addPairs = (level: string, of: string[]) => {
        const sortedOf = of.slice().sort(compareStrings);
        for (let i = 0; i < sortedOf.length; i++) {
          for (let j = i + 1; j < sortedOf.length; j++) {
            const key = `${level}\t${day.slice(0, 7)}\t${sortedOf[i]}\t${sortedOf[j]}\t${source}\t${remote ?? -1}`;
            pairLevels.set(key, (pairLevels.get(key) ?? 0) + sign);
          }
        }
      };
      const sourceKey = `${day}\t${source}\t${remote ?? -1}`;
      sourceDays.set(sourceKey, (sourceDays.get(sourceKey) ?? 0) + sign);
      for (const level of ['required', 'preferred']) addPairs(level, skills.filter((s) => s.requirement === level).map((s) => s.id));
      // Roll-ups per source and remote: the posting once per group, and whether a skill of the group is required or preferred.
      const of = (list: typeof skills) => groupsOf.of(list.map((s) => s.id));
      const [all, required, preferred] = [of(skills), of(skills.filter((s) => s.requirement === 'required')), of(skills.filter((s) => s.requirement === 'preferred'))];
      for (const g of all) {
        const key = `${g}\t${day}\t${source}\t${remote ?? -1}`;
        const row = groups.get(key) ?? [0, 0, 0];
        row[0] += sign;
        if (required.has(g)) row[1] += sign;
        if (preferred.has(g)) row[2] += sign;
        groups.set(key, row);
      }
      for (const s of skills) {
        const key = `${s.id}\t${day}\t${source}\t${remote ?? -1}`;
        const row = sources.get(key) ?? [0, 0, 0];
        row[0] += sign;
        if (s.requirement === 'required') row[1] += sign;
        if (s.requirement === 'preferred') row[2] += sign;
        sources.set(key, row);
      }
    }
    const taken = deltas.take();
    // Pair rows come in one order for every writer (month, remote, source, then a and b): the same set of keys is always locked in the same order.
    const pairRow = (k: string, n: number) => {
      const cols = k.split('\t');
      return [...cols.slice(0, -1), Number(cols.at(-1)), n];
    };
    const sliceOrder = (lead: number) => (a: unknown[], b: unknown[]) =>
      compareStrings([...a.slice(0, lead + 1), a[lead + 4], a[lead + 3], a[lead + 1], a[lead + 2]].join('\t'), [...b.slice(0, lead + 1), b[lead + 4], b[lead + 3], b[lead + 1], b[lead + 2]].join('\t'));
    const expectedPairs = [...pairs].filter(([, n]) => n !== 0).map(([k, n]) => pairRow(k, n));
    expect(taken.pairs).toEqual(expectedPairs.sort(sliceOrder(0)));
    expect(new Set(taken.pairs.map((p) => p[4]))).toEqual(new Set([-1, 0, 1]));
    const expectedSources = [...sources]
      .filter(([, r]) => r.some((n) => n !== 0))
      .map(([k, r]) => {
        const [skill, day, source, remote] = k.split('\t') as [string, string, string, string];
        return [skill, day, source, Number(remote), ...r];
      });
    const sortRows = (rows: unknown[][]) => rows.slice().sort((a, b) => compareStrings(JSON.stringify(a.slice(0, 4)), JSON.stringify(b.slice(0, 4))));
    expect(sortRows(taken.skillSources)).toEqual(sortRows(expectedSources));
    const expectedSourceDays = [...sourceDays].filter(([, n]) => n !== 0).map(([k, n]) => {
      const [day, source, remote] = k.split('\t') as [string, string, string];
      return [day, source, Number(remote), n];
    });
    expect(taken.sourceDays).toEqual(expectedSourceDays.sort((a, b) => compareStrings(JSON.stringify(a.slice(0, 3)), JSON.stringify(b.slice(0, 3)))));
    const expectedPairLevels = [...pairLevels].filter(([, n]) => n !== 0).map(([k, n]) => pairRow(k, n));
    expect(taken.pairLevels).toEqual(expectedPairLevels.sort((a, b) => compareStrings(String(a[0]), String(b[0])) || sliceOrder(1)(a, b)));
    const expectedGroups = [...groups]
      .filter(([, r]) => r.some((n) => n !== 0))
      .map(([k, r]) => {
        const [kind, scope, group, day, source, remote] = k.split('\t') as [string, string, string, string, string, string];
        return [kind, scope, group, day, source, Number(remote), ...r];
      });
    expect(taken.groups).toEqual(expectedGroups.sort((a, b) => compareStrings(JSON.stringify(a.slice(0, 6)), JSON.stringify(b.slice(0, 6)))));
    expect(deltas.take().pairs).toEqual([]);
  });

  it('keeps a source with a tab in it whole in the pair rows', () => {
    const deltas = new DailyDeltas();
    const skills = [{ id: 'go', requirement: 'required' }, { id: 'python', requirement: 'required' }];
    deltas.count('2026-03-04', { source: 'odd\tsource', company: null, location: null, remote: null }, skills, 1);
    const taken = deltas.take();
    expect(taken.pairs).toEqual([['2026-03', 'go', 'python', 'odd\tsource', -1, 1]]);
    expect(taken.pairLevels).toEqual([['required', '2026-03', 'go', 'python', 'odd\tsource', -1, 1]]);
  });
});
