import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { StopBeforeWorkError } from '../errors.js';
import { type GoldCase, parseGold } from '../eval/gold.js';
import { normalizePosting } from '../normalize/posting.js';
import type { CompiledTaxonomy } from '../taxonomy/compile.js';
import { FILE_EXTENSIONS, readPostingFiles } from './files.js';

/**
 * Reads a gold directory: each `<name>.gold.yaml` beside the posting file `<name>.<ext>`. A missing
 * posting, a posting file with several postings, or a bad annotation stops the evaluation with
 * the file named: scores on a half-read gold set would mislead.
 */
export async function readGoldCases(dir: string, compiled: CompiledTaxonomy): Promise<GoldCase[]> {
  let names: string[];
  try {
    names = readdirSync(dir).sort();
  } catch (err) {
    throw new StopBeforeWorkError(`gold directory ${dir}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  const cases: GoldCase[] = [];
  for (const goldFile of names.filter((n) => n.endsWith('.gold.yaml'))) {
    const stem = goldFile.slice(0, -'.gold.yaml'.length);
    const postingFile = names.find((n) => n !== goldFile && n.startsWith(`${stem}.`) && (FILE_EXTENSIONS as readonly string[]).includes(n.slice(stem.length)));
    if (!postingFile) throw new StopBeforeWorkError(`${join(dir, goldFile)}: no posting file ${stem}.{${FILE_EXTENSIONS.map((e) => e.slice(1)).join(',')}} beside it`);
    const items = [];
    for await (const item of readPostingFiles([join(dir, postingFile)])) items.push(item);
    const [item] = items;
    if (items.length !== 1 || !item) throw new StopBeforeWorkError(`${join(dir, postingFile)}: a gold posting file must hold exactly one posting`);
    if (!item.ok) throw new StopBeforeWorkError(`${item.input}: ${item.reason}`);
    let gold: GoldCase['gold'];
    try {
      gold = parseGold(readFileSync(join(dir, goldFile), 'utf8'), join(dir, goldFile), compiled);
    } catch (err) {
      throw new StopBeforeWorkError((err as Error).message, { cause: err });
    }
    cases.push({ name: basename(postingFile), posting: normalizePosting(item.raw), gold });
  }
  if (cases.length === 0) throw new StopBeforeWorkError(`gold directory ${dir}: no <name>.gold.yaml files`);
  return cases;
}
