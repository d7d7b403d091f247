import type { PostingHints, RawPosting } from '../types.js';
import { parseDate } from './dates.js';
import { looksLikeHtml } from './html.js';

/** Field names read from JSON, JSONL and CSV records, in order of preference (README lists them). */
export const RECORD_FIELDS = {
  id: ['id', 'job_id', 'jobId', 'external_id', 'externalId'],
  url: ['url', 'absolute_url', 'hostedUrl', 'applyUrl', 'link'],
  title: ['title', 'job_title', 'jobTitle', 'position'],
  company: ['company', 'company_name', 'companyName', 'hiringOrganization', 'organization', 'employer'],
  location: ['location', 'jobLocation', 'city'],
  text: ['text', 'description', 'content', 'body', 'descriptionPlain'],
  html: ['html', 'description_html', 'descriptionHtml', 'content_html'],
  date: ['date', 'postedAt', 'datePosted', 'posted_at', 'created_at', 'published_at', 'createdAt'],
  remote: ['remote', 'is_remote', 'isRemote'],
  salary: ['salary', 'baseSalary', 'compensation'],
} as const;

export type RecordResult = { ok: true; value: RawPosting; warnings: string[] } | { ok: false; error: string };

/** Where a record came from and what to call it. */
export interface RecordContext {
  source: string;
  /**
   * What a record without its own id or URL is known by, with its number: the file's path below
   * the directory that was read (its name when the file was given by itself), or `stdin`.
   */
  file: string;
  /** 1-based record number: the identity when the record has no id. */
  index: number;
  origin: string;
  fetchedAt: string;
}

function pick(record: Record<string, unknown>, names: readonly string[]): unknown {
  for (const n of names) {
    const v = record[n];
    if (v !== undefined && v !== null && v !== '') return v;
  }
  // Case-insensitive second pass: CSV headers are often "Title" or "DESCRIPTION".
  const lower = new Map(Object.keys(record).map((k) => [k.toLowerCase(), k]));
  for (const n of names) {
    const k = lower.get(n.toLowerCase());
    const v = k === undefined ? undefined : record[k];
    if (v !== undefined && v !== null && v !== '') return v;
  }
  return undefined;
}

/** How deep asText looks into arrays and objects: real fields nest two or three levels. */
const MAX_FIELD_DEPTH = 8;

/**
 * A display string from a field that may be a string, a number or a schema.org object. Values
 * nested deeper than a real field would be are left out (a hostile record nests them 100,000 deep).
 */
function asText(v: unknown, depth = 0): string | undefined {
  if (typeof v === 'string') return v.trim() || undefined;
  if (typeof v === 'number') return String(v);
  if (depth >= MAX_FIELD_DEPTH) return undefined;
  if (Array.isArray(v)) {
    const parts = v.map((x) => asText(x, depth + 1)).filter((x): x is string => x !== undefined);
    return parts.length ? parts.join('; ') : undefined;
  }
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (o['@type'] === 'Place' || o.address) {
      const a = (o.address ?? {}) as Record<string, unknown>;
      const parts = [a.addressLocality, a.addressRegion, a.addressCountry].map((x) => asText(x, depth + 1)).filter(Boolean);
      if (parts.length) return parts.join(', ');
    }
    return asText(o.name ?? o.text ?? o.value, depth + 1);
  }
  return undefined;
}

/** A field's value for a message: short, and never a walk through a deeply nested value. */
function quoteValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? `${v.slice(0, 60)}…` : v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return Array.isArray(v) ? 'an array' : 'an object';
}

function asBoolean(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') {
    if (/^(?:true|yes|y|1|remote)$/i.test(v.trim())) return true;
    if (/^(?:false|no|n|0|onsite|on-site)$/i.test(v.trim())) return false;
  }
  if (v === 1 || v === 0) return v === 1;
  return undefined;
}

function salaryText(v: unknown): string | undefined {
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    // schema.org MonetaryAmount: { currency, value: { minValue, maxValue, unitText } }
    const o = v as Record<string, unknown>;
    const val = (o.value ?? {}) as Record<string, unknown>;
    if (typeof val === 'object' && (val.minValue !== undefined || val.value !== undefined)) {
      const range = val.minValue !== undefined ? `${val.minValue}-${val.maxValue ?? val.minValue}` : String(val.value);
      return [asText(o.currency), range, asText(val.unitText)].filter(Boolean).join(' ');
    }
  }
  return asText(v);
}

/** True for a schema.org JobPosting object. */
export function isJobPosting(v: unknown): boolean {
  if (!v || typeof v !== 'object') return false;
  const t = (v as Record<string, unknown>)['@type'];
  return t === 'JobPosting' || (Array.isArray(t) && t.includes('JobPosting'));
}

/**
 * A JSON/JSONL/CSV record -> RawPosting, by the field names people use. A record with no body
 * field is an error naming the fields looked for; a date that cannot be read is a warning.
 */
export function recordToRaw(record: unknown, ctx: RecordContext): RecordResult {
  if (!record || typeof record !== 'object' || Array.isArray(record)) {
    return { ok: false, error: `expected an object, got ${Array.isArray(record) ? 'an array' : typeof record}` };
  }
  const r = record as Record<string, unknown>;
  const warnings: string[] = [];
  let body = asText(pick(r, RECORD_FIELDS.html));
  let contentType: RawPosting['contentType'] = 'text/html';
  if (body === undefined) {
    body = asText(pick(r, RECORD_FIELDS.text));
    contentType = body !== undefined && looksLikeHtml(body) ? 'text/html' : 'text/plain';
  }
  if (body === undefined) {
    return { ok: false, error: `no posting text: expected one of the fields ${[...RECORD_FIELDS.text, ...RECORD_FIELDS.html].join(', ')}` };
  }
  const hints: PostingHints = {};
  const title = asText(pick(r, RECORD_FIELDS.title));
  if (title !== undefined) hints.title = title;
  const company = asText(pick(r, RECORD_FIELDS.company));
  if (company !== undefined) hints.company = company;
  const location = asText(pick(r, RECORD_FIELDS.location));
  if (location !== undefined) hints.location = location;
  const remote = asBoolean(pick(r, RECORD_FIELDS.remote)) ?? (r.jobLocationType === 'TELECOMMUTE' ? true : undefined);
  if (remote !== undefined) hints.remote = remote;
  const salary = salaryText(pick(r, RECORD_FIELDS.salary));
  if (salary !== undefined) hints.salary = salary;
  const rawDate = pick(r, RECORD_FIELDS.date);
  if (rawDate !== undefined) {
    const date = parseDate(rawDate);
    if (date === undefined) warnings.push(`date ${quoteValue(rawDate)} is not ISO 8601 or epoch seconds/milliseconds; ignored`);
    else hints.postedAt = date;
  }
  const id = asText(pick(r, RECORD_FIELDS.id));
  const url = asText(pick(r, RECORD_FIELDS.url));
  return {
    ok: true,
    warnings,
    value: {
      source: ctx.source,
      // Its own id (with its company: ids are often counters per employer) or URL is a record's
      // identity wherever the file lies; only a record with neither is known by its place.
      ...(id !== undefined ? { externalId: `id:${company !== undefined ? `${company}/` : ''}${id}` } : url === undefined && { externalId: `${ctx.file}#${ctx.index}` }),
      ...(url !== undefined && { url }),
      fetchedAt: ctx.fetchedAt,
      contentType,
      body,
      hints,
      origin: ctx.origin,
    },
  };
}

const HEADER_LINE = /^(title|company|location|date|posted|posted at|salary|remote)\s*:\s*(.+)$/i;

/**
 * Leading "Title: ...", "Company: ...", "Location: ...", "Date: ...", "Salary: ...", "Remote: ..."
 * lines of a text or markdown posting (optionally inside a `---` front-matter block), read as hints.
 * The lines stay in the text.
 */
export function parseTextHeader(text: string): { hints: PostingHints; warnings: string[] } {
  const hints: PostingHints = {};
  const warnings: string[] = [];
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  let i = lines[0]?.trim() === '---' ? 1 : 0;
  for (; i < lines.length; i++) {
    const line = (lines[i] as string).trim().replace(/^\*\*([^*]+)\*\*/, '$1');
    if (line === '---' || line === '') {
      if (Object.keys(hints).length > 0 || line === '---') break;
      continue;
    }
    const m = HEADER_LINE.exec(line);
    if (!m) {
      if (/^#\s+/.test(line) && hints.title === undefined) {
        hints.title = line.replace(/^#\s+/, '').trim();
        continue;
      }
      break;
    }
    const key = (m[1] as string).toLowerCase();
    const value = (m[2] as string).trim();
    if (key === 'title') hints.title = value;
    else if (key === 'company') hints.company = value;
    else if (key === 'location') hints.location = value;
    else if (key === 'salary') hints.salary = value;
    else if (key === 'remote') {
      const b = asBoolean(value);
      if (b !== undefined) hints.remote = b;
    } else {
      const d = parseDate(value);
      if (d === undefined) warnings.push(`${m[1]} "${value}" is not an ISO 8601 date; ignored`);
      else hints.postedAt = d;
    }
  }
  return { hints, warnings };
}
