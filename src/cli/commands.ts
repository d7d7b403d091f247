import { type Command, STDIN_ID_HELP, TAXONOMY_HELP, THREADS_HELP } from './args.js';

/**
 * Every command: its name, summary, usage and options, and the module that runs it. A module is
 * loaded only when its command runs, so `skillpulse --help` (and every command) starts without
 * loading what the others need: the NLP library, the HTML parsers, the HTTP client, SQLite.
 */
export const COMMANDS: Command[] = [
  {
    name: 'extract',
    summary: 'print the skills each posting names (no database)',
    usage: 'skillpulse extract <file|dir|->... [--format json|table] [--explain] [--with-text] [--id <id>] [--taxonomy <dir>] [--add-taxonomy <dir>]',
    options: [
      '--format json|table     output format (default: table)',
      '--explain              also list every candidate mention: counted or set aside, and why',
      '--with-text            json: add each posting\'s normalized text, which the offsets point into',
      STDIN_ID_HELP,
      ...TAXONOMY_HELP,
    ],
    run: async (args, io) => (await import('./extract-command.js')).runExtract(args, io),
  },
  {
    name: 'analyze',
    summary: 'read postings from files into the database, with their skills',
    usage: 'skillpulse analyze <file|dir|->... --db <path> [--id <id>] [--threads N] [--taxonomy <dir>] [--add-taxonomy <dir>]',
    options: ['--db <path>            SQLite database file (created if missing)', STDIN_ID_HELP, THREADS_HELP, ...TAXONOMY_HELP],
    run: async (args, io) => (await import('./analyze-command.js')).runAnalyze(args, io),
  },
  {
    name: 'fetch',
    summary: 'fetch postings from job boards, pages, feeds and Hacker News into the database',
    usage:
      'skillpulse fetch <source>... --db <path> [--contact <url>] [--concurrency N] [--per-host N] [--interval-ms N] [--ignore-robots] [--allow-private-hosts] [--max-pages N] [--max-thread-items N] [--max-requests N]',
    options: [
      async () => `sources:              ${(await import('../sources/adapters.js')).ADAPTERS.map((a) => a.syntax).join(', ')}`,
      '--db <path>            SQLite database file (created if missing)',
      'exit codes:            0 done, 1 some sources or postings failed, 4 every source failed (2, 3: see --help)',
      '--contact <url|email>  put in the User-Agent so site owners can reach you (or SKILLPULSE_CONTACT)',
      '--concurrency <N>      requests in flight at once (default 8)',
      '--per-host <N>         requests in flight at once per host (default 2)',
      '--interval-ms <N>      minimum time between requests to one host (default 250)',
      '--ignore-robots        do not read robots.txt (for APIs that publish no robots rules)',
      '--allow-private-hosts  let requests reach private and loopback addresses (a self-hosted board)',
      '--max-pages <N>        pages read of one Lever or SmartRecruiters listing (default 100)',
      '--max-thread-items <N> comments fetched of one Hacker News thread per run (default 1000)',
      '--max-requests <N>     HTTP requests per source per run, retries counted (default 10000)',
      ...TAXONOMY_HELP,
    ],
    run: async (args, io) => (await import('./fetch-command.js')).runFetch(args, io),
  },
  {
    name: 'report',
    summary: 'skill demand and its trends from the database, as a table, Markdown, CSV, JSON or an HTML page',
    usage: 'skillpulse report --db <path> [--kind summary|trends|skill <id>|cooccurrence|salary|emerging] [--period week|month|quarter|year] [--format table|md|csv|json|html] [--out <file>] [filters] [--unique]',
    options: [
      '--db <path>            SQLite database written by analyze or fetch',
      async () => [
        '--kind <k>             what the report is about (default: summary):',
        ...(await import('../pipeline/report.js')).reportKinds().map((k) => `  ${(k.takesSkill ? `${k.name} <id>` : k.name).padEnd(20)} ${k.summary}`),
      ],
      '--period <p>           week, month (default), quarter or year',
      '--format <f>           table (default), md, csv, json or html',
      '--out <file>           write to a file instead of standard output; {date} becomes today; x.html, x.md, x.csv, x.json: that format',
      '--top <N>              at most N skills or pairs (default 25; 0 = all)',
      '--min-support <N>      postings a change, pair or salary median needs before it is listed (default 10, 5 for pairs, 3 for pay)',
      'filters: --since <date> --until <date> --source <s> --company <c> --location <l> --remote yes|no',
      '         --category <c> --skill <id|alias> --requirement required|preferred|any',
      '         --unique: a text posted again (other id or source) counts once',
    ],
    run: async (args, io) => (await import('./report-command.js')).runReport(args, io),
  },
  {
    name: 'run',
    summary: 'a whole batch from a config file: fetch, extract, store, re-extract, write reports (for cron)',
    usage: 'skillpulse run --config <file> [--log-format human|json] [--quiet | --verbose]',
    options: [
      '--config <file>        YAML or JSON config (skillpulse init writes an example)',
      '--log-format <f>       human (default) or json: one JSON object per line on stderr',
      '--quiet                warnings and errors only',
      '--verbose              debug lines too',
    ],
    run: async (args, io) => (await import('./ops-commands.js')).runBatchCommand(args, io),
  },
  {
    name: 'config',
    summary: 'check a run config file without doing any work',
    usage: 'skillpulse config check <file>',
    options: [],
    run: async (args, io) => (await import('./ops-commands.js')).runConfig(args, io),
  },
  {
    name: 'init',
    summary: 'write a commented example run config',
    usage: 'skillpulse init [file] [--force]',
    options: ['file                  where to write it (default: skillpulse.yaml)', '--force               overwrite an existing file'],
    run: async (args, io) => (await import('./ops-commands.js')).runInit(args, io),
  },
  {
    name: 'runs',
    summary: 'list the recorded runs of a database',
    usage: 'skillpulse runs --db <path> [--last N] [--format table|json]',
    options: ['--db <path>', '--last <N>             how many, newest first (default 20)', '--format <f>           table (default) or json'],
    run: async (args, io) => (await import('./ops-commands.js')).runRuns(args, io),
  },
  {
    name: 'reextract',
    summary: 're-extract stored postings that an older taxonomy or extractor produced (no fetching)',
    usage: 'skillpulse reextract --db <path> [--threads N] [--taxonomy <dir>] [--add-taxonomy <dir>]',
    options: ['--db <path>', THREADS_HELP, ...TAXONOMY_HELP],
    run: async (args, io) => (await import('./ops-commands.js')).runReextract(args, io),
  },
  {
    name: 'db',
    summary: 'database upkeep: stats, vacuum, export, prune',
    usage: 'skillpulse db stats|vacuum|export|prune --db <path> [--format table|json] [--out <file>] [--keep-text <days>]',
    options: [
      'stats                  postings, open and closed, mentions, runs, size, extraction versions',
      'vacuum                 recount the daily aggregates, compact the file, refresh query statistics',
      'export                 every posting with its skills as JSON lines (--out <file>, else standard output)',
      'prune --keep-text <N>  clear the stored text of postings unseen for N days (their skills stay)',
    ],
    run: async (args, io) => (await import('./ops-commands.js')).runDb(args, io),
  },
  {
    name: 'taxonomy',
    summary: 'validate, list, show and count the skills of a taxonomy',
    usage:
      'skillpulse taxonomy validate [dir] | list [--category c] [--format table|json] | show <id|alias> | stats | mine <file|dir>... [--min-documents N] [--top N] [--format yaml|json]',
    options: [
      ...TAXONOMY_HELP,
      '--category <c>        list: only this category',
      '--format <f>          list: table or json; mine: yaml (default) or json',
      '--min-documents <N>   mine: propose terms named in at least N documents (default 2)',
      '--top <N>             mine: at most N candidates (default 100)',
    ],
    run: async (args, io) => (await import('./taxonomy-command.js')).runTaxonomy(args, io),
  },
  {
    name: 'eval',
    summary: 'score the extractor against annotated postings (our gold set, SkillSpan dev split)',
    usage: 'skillpulse eval [--gold <dir>] [--skillspan <dev.json>] [--format table|json] [--taxonomy <dir>] [--add-taxonomy <dir>]',
    options: [
      '--gold <dir>        annotated postings: <name>.<ext> with <name>.gold.yaml (default: fixtures/gold)',
      '--skillspan <file>  SkillSpan JSON lines (default: ../shared/data/skillspan-train-dev/dev.json beside the checkout)',
      '--format <f>        table (default) or json',
      ...TAXONOMY_HELP,
    ],
    run: async (args, io) => (await import('./eval-command.js')).runEval(args, io),
  },
];
