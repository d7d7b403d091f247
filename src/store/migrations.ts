/**
 * Schema migrations, applied in order, each in a transaction together with its record in
 * `schema_migrations`. Never edit a released migration: add the next one.
 */
export interface Migration {
  version: number;
  name: string;
  /** The migration for SQLite. */
  sqlite: string;
  /** The same migration for PostgreSQL. */
  postgres?: string;
}

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'postings, skills, mentions, runs',
    sqlite: `
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
    sqlite: `
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
    sqlite: `
ALTER TABLE runs ADD COLUMN config_hash TEXT;
ALTER TABLE runs ADD COLUMN closed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE runs ADD COLUMN reextracted INTEGER NOT NULL DEFAULT 0;
CREATE INDEX postings_versions ON postings (taxonomy_version, extractor_version);
`,
  },
  {
    version: 4,
    name: 'daily demand aggregates kept by triggers',
    // Postings per day and per skill and day, kept in step with every write by triggers, so the
    // unfiltered reports read a few hundred thousand rows instead of joining millions.
    sqlite: `
DROP INDEX IF EXISTS postings_content_hash;
CREATE TABLE daily_totals (day TEXT PRIMARY KEY, postings INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE daily_skill_counts (
  skill_id TEXT NOT NULL,
  day      TEXT NOT NULL,
  postings INTEGER NOT NULL,
  PRIMARY KEY (skill_id, day)
) WITHOUT ROWID;
INSERT INTO daily_totals SELECT period_date, COUNT(*) FROM postings GROUP BY 1;
INSERT INTO daily_skill_counts SELECT ps.skill_id, p.period_date, COUNT(*) FROM posting_skills ps JOIN postings p ON p.id = ps.posting_id
  WHERE ps.negated = 0 GROUP BY 1, 2;
CREATE TRIGGER postings_counted AFTER INSERT ON postings BEGIN
  INSERT INTO daily_totals (day, postings) VALUES (NEW.period_date, 1) ON CONFLICT (day) DO UPDATE SET postings = postings + 1;
END;
CREATE TRIGGER postings_uncounted AFTER DELETE ON postings BEGIN
  UPDATE daily_totals SET postings = postings - 1 WHERE day = OLD.period_date;
END;
CREATE TRIGGER postings_moved AFTER UPDATE OF period_date ON postings WHEN OLD.period_date != NEW.period_date BEGIN
  UPDATE daily_totals SET postings = postings - 1 WHERE day = OLD.period_date;
  INSERT INTO daily_totals (day, postings) VALUES (NEW.period_date, 1) ON CONFLICT (day) DO UPDATE SET postings = postings + 1;
  UPDATE daily_skill_counts SET postings = postings - 1
    WHERE day = OLD.period_date AND skill_id IN (SELECT skill_id FROM posting_skills WHERE posting_id = NEW.id AND negated = 0);
  INSERT INTO daily_skill_counts (skill_id, day, postings)
    SELECT skill_id, NEW.period_date, 1 FROM posting_skills WHERE posting_id = NEW.id AND negated = 0 AND true
    ON CONFLICT (skill_id, day) DO UPDATE SET postings = postings + 1;
END;
CREATE TRIGGER skill_counted AFTER INSERT ON posting_skills WHEN NEW.negated = 0 BEGIN
  INSERT INTO daily_skill_counts (skill_id, day, postings) VALUES (NEW.skill_id, (SELECT period_date FROM postings WHERE id = NEW.posting_id), 1)
    ON CONFLICT (skill_id, day) DO UPDATE SET postings = postings + 1;
END;
CREATE TRIGGER skill_uncounted AFTER DELETE ON posting_skills WHEN OLD.negated = 0 BEGIN
  UPDATE daily_skill_counts SET postings = postings - 1 WHERE skill_id = OLD.skill_id AND day = (SELECT period_date FROM postings WHERE id = OLD.posting_id);
END;
`,
  },
  {
    version: 5,
    name: 'postings keyed by an integer; skills and mentions appended under it; daily counts kept by the writer',
    // posting_skills and mentions were keyed by the posting's text id, a hash, so every insert
    // landed at a random place in their b-trees. Keyed by postings.key, an INTEGER PRIMARY KEY
    // that grows with each new posting (and that VACUUM keeps), new rows append at the end.
    // The daily aggregates are now summed per batch by the one writer (store/postings.ts)
    // instead of a trigger firing on every skill row.
    sqlite: `
DROP TRIGGER postings_counted;
DROP TRIGGER postings_uncounted;
DROP TRIGGER postings_moved;
DROP TRIGGER skill_counted;
DROP TRIGGER skill_uncounted;
DROP INDEX postings_period;
DROP INDEX postings_source;
DROP INDEX postings_versions;
DROP INDEX posting_skills_skill;
ALTER TABLE mentions RENAME TO mentions_v4;
ALTER TABLE posting_skills RENAME TO posting_skills_v4;
ALTER TABLE postings RENAME TO postings_v4;

-- The long text comes last: a row longer than a page spills onto overflow pages, and columns
-- stored after the text would be read through them.
CREATE TABLE postings (
  key               INTEGER PRIMARY KEY,
  id                TEXT NOT NULL UNIQUE,
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
  content_hash      TEXT NOT NULL,
  first_seen        TEXT NOT NULL,
  last_seen         TEXT NOT NULL,
  closed_at         TEXT,
  period_date       TEXT NOT NULL,
  degree            TEXT,
  min_years         REAL,
  seniority         TEXT,
  taxonomy_version  TEXT NOT NULL,
  extractor_version TEXT NOT NULL,
  sections          TEXT NOT NULL,
  text              TEXT NOT NULL
);
INSERT INTO postings SELECT rowid, id, source, external_id, url, origin, title, company, location, remote, posted_at, salary,
  content_hash, first_seen, last_seen, closed_at, period_date, degree, min_years, seniority, taxonomy_version,
  extractor_version, sections, text FROM postings_v4 ORDER BY rowid;

CREATE TABLE posting_skills (
  posting_key   INTEGER NOT NULL REFERENCES postings (key) ON DELETE CASCADE,
  skill_id      TEXT NOT NULL,
  requirement   TEXT NOT NULL CHECK (requirement IN ('required', 'preferred', 'unspecified')),
  years         REAL,
  negated       INTEGER NOT NULL DEFAULT 0,
  confidence    REAL NOT NULL,
  mention_count INTEGER NOT NULL,
  PRIMARY KEY (posting_key, skill_id)
) WITHOUT ROWID;
INSERT INTO posting_skills SELECT p.key, o.skill_id, o.requirement, o.years, o.negated, o.confidence, o.mention_count
  FROM posting_skills_v4 o JOIN postings p ON p.id = o.posting_id ORDER BY 1, 2;

CREATE TABLE mentions (
  posting_key    INTEGER NOT NULL REFERENCES postings (key) ON DELETE CASCADE,
  skill_id       TEXT NOT NULL,
  start          INTEGER NOT NULL,
  end            INTEGER NOT NULL,
  text           TEXT NOT NULL,
  section        TEXT NOT NULL,
  sentence_start INTEGER NOT NULL,
  sentence_end   INTEGER NOT NULL,
  PRIMARY KEY (posting_key, start, skill_id)
) WITHOUT ROWID;
INSERT INTO mentions SELECT p.key, o.skill_id, o.start, o.end, o.text, o.section, o.sentence_start, o.sentence_end
  FROM mentions_v4 o JOIN postings p ON p.id = o.posting_id ORDER BY 1, 3, 2;

DROP TABLE mentions_v4;
DROP TABLE posting_skills_v4;
DROP TABLE postings_v4;

CREATE INDEX postings_period ON postings (period_date, key);
CREATE INDEX postings_source ON postings (source, closed_at);
CREATE INDEX postings_versions ON postings (taxonomy_version, extractor_version);
CREATE INDEX posting_skills_skill ON posting_skills (skill_id, negated, posting_key);
`,
  },
  {
    version: 6,
    name: 'the hash of each posting text, to find reposts',
    // Its own table: a column added to postings would stand after the long text, on overflow pages.
    sqlite: `
CREATE TABLE text_hashes (
  posting_key INTEGER PRIMARY KEY REFERENCES postings (key) ON DELETE CASCADE,
  text_hash   TEXT NOT NULL
);
INSERT INTO text_hashes SELECT key, sp_text_hash(text) FROM postings WHERE text IS NOT NULL;
CREATE INDEX text_hashes_hash ON text_hashes (text_hash, posting_key);
`,
  },
  {
    version: 7,
    name: 'distributed runs: raw postings staged by fetch jobs, and the result of every stored batch job',
    sqlite: `
CREATE TABLE staged_postings (
  stage TEXT NOT NULL,
  seq   INTEGER NOT NULL,
  raw   TEXT NOT NULL,
  PRIMARY KEY (stage, seq)
);
CREATE TABLE job_results (
  job       TEXT PRIMARY KEY,
  result    TEXT NOT NULL,
  stored_at TEXT NOT NULL
);
`,
  },
];
