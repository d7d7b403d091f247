/**
 * Schema migrations, applied in order, each in a transaction together with its record in
 * `schema_migrations`. Never edit a released migration: add the next one.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'postings, skills, mentions, runs',
    sql: `
CREATE TABLE postings (
  id                TEXT PRIMARY KEY,
  source            TEXT NOT NULL,
  external_id       TEXT,
  url               TEXT,
  origin            TEXT NOT NULL,
  title             TEXT,
  company           TEXT,
  location          TEXT,
  remote            INTEGER,
  posted_at         TEXT,
  salary            TEXT,
  text              TEXT NOT NULL,
  sections          TEXT NOT NULL,
  content_hash      TEXT NOT NULL,
  first_seen        TEXT NOT NULL,
  last_seen         TEXT NOT NULL,
  period_date       TEXT NOT NULL,
  degree            TEXT,
  min_years         REAL,
  seniority         TEXT,
  taxonomy_version  TEXT NOT NULL,
  extractor_version TEXT NOT NULL
);
CREATE INDEX postings_period ON postings (period_date, id);
CREATE INDEX postings_content_hash ON postings (content_hash);

CREATE TABLE skills (
  id               TEXT PRIMARY KEY,
  name             TEXT NOT NULL,
  category         TEXT NOT NULL,
  parent           TEXT,
  taxonomy_version TEXT NOT NULL
);

CREATE TABLE posting_skills (
  posting_id    TEXT NOT NULL REFERENCES postings (id) ON DELETE CASCADE,
  skill_id      TEXT NOT NULL,
  requirement   TEXT NOT NULL CHECK (requirement IN ('required', 'preferred', 'unspecified')),
  years         REAL,
  negated       INTEGER NOT NULL DEFAULT 0,
  confidence    REAL NOT NULL,
  mention_count INTEGER NOT NULL,
  PRIMARY KEY (posting_id, skill_id)
) WITHOUT ROWID;
CREATE INDEX posting_skills_skill ON posting_skills (skill_id, negated, posting_id);

CREATE TABLE mentions (
  posting_id     TEXT NOT NULL REFERENCES postings (id) ON DELETE CASCADE,
  skill_id       TEXT NOT NULL,
  start          INTEGER NOT NULL,
  end            INTEGER NOT NULL,
  text           TEXT NOT NULL,
  section        TEXT NOT NULL,
  sentence_start INTEGER NOT NULL,
  sentence_end   INTEGER NOT NULL,
  PRIMARY KEY (posting_id, start, skill_id)
) WITHOUT ROWID;

CREATE TABLE runs (
  id                INTEGER PRIMARY KEY,
  command           TEXT NOT NULL,
  started_at        TEXT NOT NULL,
  finished_at       TEXT,
  status            TEXT NOT NULL CHECK (status IN ('running', 'ok', 'partial', 'failed', 'interrupted')),
  taxonomy_version  TEXT NOT NULL,
  extractor_version TEXT NOT NULL,
  new               INTEGER NOT NULL DEFAULT 0,
  changed           INTEGER NOT NULL DEFAULT 0,
  unchanged         INTEGER NOT NULL DEFAULT 0,
  failed            INTEGER NOT NULL DEFAULT 0,
  mentions          INTEGER NOT NULL DEFAULT 0,
  failures          TEXT NOT NULL DEFAULT '[]'
);
`,
  },
  {
    version: 2,
    name: 'posting lifecycle and fetch cache',
    sql: `
ALTER TABLE postings ADD COLUMN closed_at TEXT;
CREATE INDEX postings_source ON postings (source, closed_at);

CREATE TABLE fetch_cache (
  url           TEXT PRIMARY KEY,
  etag          TEXT,
  last_modified TEXT,
  updated_at    TEXT NOT NULL
);
`,
  },
  {
    version: 3,
    name: 'run details',
    sql: `
ALTER TABLE runs ADD COLUMN config_hash TEXT;
ALTER TABLE runs ADD COLUMN closed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE runs ADD COLUMN reextracted INTEGER NOT NULL DEFAULT 0;
CREATE INDEX postings_versions ON postings (taxonomy_version, extractor_version);
`,
  },
];
