import { describe, expect, it } from 'vitest';
import { cutEnd, cutStart, planColumns, wrapText } from '../../src/report/fit.js';
import { renderTextTable } from '../../src/report/render.js';
import type { Table } from '../../src/report/model.js';

// Issue 15, item 4: tables fit the terminal.

describe('cutting and wrapping', () => {
  it.each([
    ['Large language models', 10, 'Large lan…'],
    ['Python', 6, 'Python'],
    ['Python', 3, 'Py…'],
    ['ab cd', 4, 'ab…'],
  ])('cutEnd(%j, %i) is %j', (s, w, out) => expect(cutEnd(s, w)).toBe(out));

  it('cuts a sparkline at its start, so the latest periods stay', () => {
    expect(cutStart('▁▂▃▄▅▆▇█', 4)).toBe('…▆▇█');
    expect(cutStart('▁▂▃', 4)).toBe('▁▂▃');
  });

  it('wraps prose at spaces, and cuts a word longer than a line', () => {
    expect(wrapText('one two three four', 9)).toEqual(['one two', 'three', 'four']);
    expect(wrapText('one two three', 9, '  ')).toEqual(['one two', '  three']);
    expect(wrapText('abcdefghij', 4)).toEqual(['abcd', 'efgh', 'ij']);
    expect(wrapText('', 10)).toEqual(['']);
  });
});

describe('planColumns', () => {
  const col = (natural: number, elastic = true) => ({ natural, elastic });

  it('leaves a table that fits as it is', () => {
    expect(planColumns([col(10), col(8, false)], 20, 2)).toEqual({ widths: [10, 8], dropped: [] });
  });

  it('cuts the rightmost text first, numbers never', () => {
    expect(planColumns([col(20), col(8, false), col(30)], 50, 2)).toEqual({ widths: [20, 8, 18], dropped: [] });
    expect(planColumns([col(20), col(8, false), col(30)], 40, 2)).toEqual({ widths: [16, 8, 12], dropped: [] });
  });

  it('leaves columns out, in the order given, once cutting to 12 is not enough', () => {
    const plan = planColumns([col(20), col(16), col(8, false), col(8, false), col(30)], 50, 2, [1, 3]);
    expect(plan.dropped).toEqual([1]);
    expect(plan.widths).toEqual([16, undefined, 8, 8, 12]);
    expect(plan.widths.reduce<number>((a, w) => a + (w ?? 0), 0) + 2 * 3).toBeLessThanOrEqual(50);
  });
});

describe('renderTextTable at a width', () => {
  const table: Table = {
    title: 'Skills',
    columns: ['Skill', 'Category', 'Postings', 'Trend'],
    numeric: [false, false, true, false],
    rows: [
      ['Large language models', 'ml-field', '56', '▁▂▃▄▅▆▇█▁▂▃▄▅▆▇█▁▂▃▄▅▆▇█'],
      ['Python', 'language', '182', '█▇▆▅▄▃▂▁█▇▆▅▄▃▂▁█▇▆▅▄▃▂▁'],
    ],
    fit: { drop: [1], latest: [3] },
  };

  it('is unchanged without a width', () => {
    expect(renderTextTable(table)).toEqual([
      'Skills',
      'Skill                  Category  Postings  Trend',
      '---------------------  --------  --------  ------------------------',
      'Large language models  ml-field        56  ▁▂▃▄▅▆▇█▁▂▃▄▅▆▇█▁▂▃▄▅▆▇█',
      'Python                 language       182  █▇▆▅▄▃▂▁█▇▆▅▄▃▂▁█▇▆▅▄▃▂▁',
    ]);
  });

  it('fits 50 columns by cutting: sparklines keep their end, names are cut after them', () => {
    const lines = renderTextTable(table, { width: 50 });
    expect(lines).toEqual([
      'Skills',
      'Skill             Category  Postings  Trend',
      '----------------  --------  --------  ------------',
      'Large language…   ml-field        56  …▆▇█▁▂▃▄▅▆▇█',
      'Python            language       182  …▃▂▁█▇▆▅▄▃▂▁',
    ]);
  });

  it('fits 44 columns by leaving a column out, and names it', () => {
    const lines = renderTextTable(table, { width: 44 });
    expect(lines).toEqual([
      'Skills',
      'Skill                 Postings  Trend',
      '--------------------  --------  ------------',
      'Large language mode…        56  …▆▇█▁▂▃▄▅▆▇█',
      'Python                     182  …▃▂▁█▇▆▅▄▃▂▁',
      '(left out to fit 44 columns: Category;',
      '--format md or csv has them all)',
    ]);
    for (const l of lines) expect([...l].length).toBeLessThanOrEqual(44);
  });

  it('wraps prose cells onto more lines', () => {
    const prose: Table = { title: 'T', columns: ['Date', 'Sentence'], numeric: [false, false], rows: [['2026-10-01', 'Kubernetes and Terraform are required for this role']], fit: { wrap: [1] } };
    expect(renderTextTable(prose, { width: 40 })).toEqual([
      'T',
      'Date        Sentence',
      '----------  ----------------------------',
      '2026-10-01  Kubernetes and Terraform are',
      '            required for this role',
    ]);
  });
});
