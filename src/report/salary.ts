/** A stated salary, read from what postings write: "$120k-$150k", "GBP 55000-68000 YEAR", "€70K - €85K". */
export interface Salary {
  currency: string;
  period: 'year' | 'month' | 'hour';
  min: number;
  max: number;
}

const SYMBOLS: Record<string, string> = { $: 'USD', '€': 'EUR', '£': 'GBP', '¥': 'JPY', '₹': 'INR' };
const CODES = /\b(USD|EUR|GBP|CAD|AUD|CHF|SEK|NOK|DKK|PLN|INR|JPY|NZD|SGD)\b/i;

/** Parses a salary string; undefined when no currency or amount can be read. Pure. */
export function parseSalary(text: string | undefined): Salary | undefined {
  if (!text) return undefined;
  const symbol = /[$€£¥₹]/.exec(text)?.[0];
  const code = CODES.exec(text)?.[1]?.toUpperCase();
  const currency = code ?? (symbol ? SYMBOLS[symbol] : undefined);
  if (!currency) return undefined;
  const amounts = [...text.matchAll(/(\d{1,3}(?:[,.\s]\d{3})+|\d+(?:\.\d+)?)\s*([kK])?/g)]
    .map((m) => Number((m[1] as string).replace(/[,\s]/g, '').replace(/\.(?=\d{3}\b)/g, '')) * (m[2] ? 1000 : 1))
    .filter((n) => n >= 5);
  if (amounts.length === 0) return undefined;
  const period = /\b(?:hour|hr|hourly)\b|\/\s*h\b/i.test(text) ? 'hour' : /\b(?:month|monthly|mo)\b/i.test(text) ? 'month' : 'year';
  const min = Math.min(...amounts.slice(0, 2));
  const max = Math.max(...amounts.slice(0, 2));
  return { currency, period, min, max };
}
