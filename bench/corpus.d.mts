/** Writes `n` generated postings (JSONL) to `path`; resolves with the byte count. */
export function writeCorpus(path: string, n: number, seed?: number): Promise<number>;
export function generatePosting(rand: () => number, k: number): { id: string; title: string; company: string; date: string; html: string };
