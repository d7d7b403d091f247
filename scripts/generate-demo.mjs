#!/usr/bin/env node
// Generates fixtures/demo: a dated corpus of job postings of our own writing, with believable
// shifts in demand (PyTorch overtaking TensorFlow, Kubernetes and LLM tooling rising, Hadoop
// fading), in JSONL, Markdown and HTML. Seeded: the same seed writes the same files.
//   node scripts/generate-demo.mjs [--seed N] [--out fixtures/demo]
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { prng } from './prng.mjs';

const USAGE = 'usage: node scripts/generate-demo.mjs [--seed N] [--out fixtures/demo]\n  rewrites the demo corpus from its seed (same seed, same files)\n';
let values;
try {
  ({ values } = parseArgs({ options: { seed: { type: 'string', default: '20261126' }, out: { type: 'string', default: 'fixtures/demo' }, help: { type: 'boolean', short: 'h' } } }));
} catch (err) {
  process.stderr.write(`generate-demo: ${err.message}\n${USAGE}`);
  process.exit(2);
}
if (values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}

const rand = prng(Number(values.seed));
const pick = (xs) => xs[Math.floor(rand() * xs.length)];
const chance = (p) => rand() < p;
const shuffle = (xs) => xs.map((x) => [rand(), x]).sort((a, b) => a[0] - b[0]).map((p) => p[1]);
const lerp = (a, b, t) => a + (b - a) * t;

// May 2025 to October 2026: eighteen months.
const MONTHS = Array.from({ length: 18 }, (_, i) => {
  const d = new Date(Date.UTC(2025, 4 + i, 1));
  return d.toISOString().slice(0, 7);
});

const COMPANIES = [
  ['Northwind Analytics', 'helps grocery chains forecast what sells next week'],
  ['Harbor Ledger', 'moves money between small businesses and their suppliers'],
  ['Kestrel Mobility', 'runs shared e-bikes in fourteen cities'],
  ['Lumen Health', 'builds scheduling and triage software for clinics'],
  ['Fernhill Robotics', 'makes picking robots for warehouses'],
  ['Orbital Freight', 'tracks container shipments across three oceans'],
  ['Pinecrest Foods', 'supplies bakeries and cafés across the north'],
  ['Brightwell Games', 'makes puzzle games played by millions every day'],
  ['Quillstone Legal', 'reads contracts so lawyers do not have to'],
  ['Tidewater Energy', 'balances home batteries against the grid'],
  ['Saffron Travel', 'plans multi-city trips for small tour operators'],
  ['Copperleaf Insurance', 'prices crop insurance for family farms'],
  ['Meridian Learning', 'builds adaptive maths practice for schools'],
  ['Bramble Security', 'watches cloud accounts for suspicious behaviour'],
];
const LOCATIONS = ['Berlin, Germany', 'London, UK', 'Austin, TX', 'Toronto, Canada', 'Lisbon, Portugal', 'Remote (EU)', 'Remote (US)', 'New York, NY', 'Amsterdam, Netherlands', 'Bangalore, India', 'Zurich, Switzerland', 'Sydney, Australia'];

// Probability that a posting of the role asks for the skill, at t = 0 (first month) and t = 1 (last).
const ROLES = {
  'Machine Learning Engineer': {
    core: [['Python', 0.95, 0.95], ['PyTorch', 0.35, 0.75], ['TensorFlow', 0.6, 0.25], ['scikit-learn', 0.5, 0.4], ['Docker', 0.5, 0.6], ['Kubernetes', 0.25, 0.55], ['AWS', 0.45, 0.45], ['SQL', 0.5, 0.5], ['MLflow', 0.2, 0.35], ['large language models (LLMs)', 0.08, 0.55], ['Git', 0.4, 0.4]],
    extra: [['Hugging Face Transformers', 0.15, 0.45], ['Ray', 0.05, 0.2], ['Airflow', 0.25, 0.25], ['Spark', 0.3, 0.25], ['GCP', 0.2, 0.25], ['ONNX', 0.08, 0.12], ['CUDA', 0.1, 0.2], ['Kubeflow', 0.15, 0.1], ['RAG', 0.03, 0.4], ['vector databases', 0.03, 0.35]],
  },
  'Data Scientist': {
    core: [['Python', 0.9, 0.9], ['SQL', 0.85, 0.85], ['statistics', 0.7, 0.7], ['pandas', 0.5, 0.5], ['scikit-learn', 0.5, 0.45], ['A/B testing', 0.35, 0.45], ['Tableau', 0.3, 0.2], ['R', 0.35, 0.2], ['Jupyter notebooks', 0.35, 0.3]],
    extra: [['PyTorch', 0.15, 0.35], ['TensorFlow', 0.25, 0.1], ['causal inference', 0.1, 0.25], ['Bayesian methods', 0.1, 0.15], ['Snowflake', 0.15, 0.3], ['dbt', 0.05, 0.2], ['Looker', 0.15, 0.15], ['large language models', 0.03, 0.3], ['Matplotlib', 0.25, 0.2], ['Seaborn', 0.15, 0.12]],
  },
  'Data Engineer': {
    core: [['Python', 0.85, 0.85], ['SQL', 0.9, 0.9], ['Airflow', 0.5, 0.5], ['Spark', 0.55, 0.5], ['Kafka', 0.35, 0.4], ['AWS', 0.5, 0.45], ['dbt', 0.25, 0.55], ['Snowflake', 0.3, 0.55]],
    extra: [['Hadoop', 0.3, 0.08], ['Hive', 0.2, 0.05], ['Scala', 0.25, 0.15], ['Terraform', 0.2, 0.3], ['Docker', 0.3, 0.35], ['Kubernetes', 0.15, 0.3], ['BigQuery', 0.2, 0.25], ['Databricks', 0.15, 0.35], ['Flink', 0.05, 0.15], ['Delta Lake', 0.05, 0.2]],
  },
  'Backend Engineer': {
    core: [['Go', 0.35, 0.45], ['Java', 0.4, 0.3], ['PostgreSQL', 0.6, 0.6], ['Docker', 0.55, 0.6], ['Kubernetes', 0.3, 0.55], ['AWS', 0.5, 0.5], ['REST APIs', 0.5, 0.4], ['Git', 0.4, 0.4]],
    extra: [['Kafka', 0.25, 0.3], ['Redis', 0.3, 0.3], ['gRPC', 0.1, 0.2], ['Terraform', 0.15, 0.3], ['Rust', 0.05, 0.15], ['Node.js', 0.3, 0.25], ['Spring Boot', 0.2, 0.15], ['C#', 0.1, 0.1], ['.NET', 0.1, 0.1], ['microservices', 0.35, 0.3]],
  },
  'Frontend Engineer': {
    core: [['JavaScript', 0.8, 0.7], ['TypeScript', 0.5, 0.8], ['React', 0.65, 0.7], ['HTML', 0.6, 0.55], ['CSS', 0.6, 0.55], ['Git', 0.4, 0.4]],
    extra: [['Next.js', 0.15, 0.35], ['Vue', 0.2, 0.15], ['Angular', 0.2, 0.1], ['GraphQL', 0.2, 0.25], ['Jest', 0.2, 0.2], ['Cypress', 0.15, 0.2], ['Figma', 0.2, 0.25], ['Node.js', 0.2, 0.2], ['Tailwind', 0.05, 0.25]],
  },
  'MLOps Engineer': {
    core: [['Kubernetes', 0.45, 0.75], ['Docker', 0.7, 0.75], ['Python', 0.8, 0.8], ['MLflow', 0.3, 0.4], ['Terraform', 0.3, 0.45], ['CI/CD', 0.5, 0.55], ['AWS', 0.45, 0.45]],
    extra: [['Kubeflow', 0.25, 0.15], ['SageMaker', 0.2, 0.25], ['Vertex AI', 0.05, 0.2], ['Prometheus', 0.2, 0.3], ['Grafana', 0.2, 0.3], ['Helm', 0.15, 0.3], ['Argo CD', 0.05, 0.2], ['vLLM', 0.0, 0.25], ['Triton Inference Server', 0.02, 0.15]],
  },
  'AI Engineer': {
    core: [['Python', 0.95, 0.95], ['large language models (LLMs)', 0.6, 0.9], ['LangChain', 0.25, 0.45], ['RAG', 0.3, 0.7], ['vector databases', 0.3, 0.6], ['prompt engineering', 0.35, 0.5]],
    extra: [['OpenAI API', 0.3, 0.4], ['PyTorch', 0.3, 0.4], ['Hugging Face', 0.3, 0.4], ['LlamaIndex', 0.1, 0.25], ['Pinecone', 0.1, 0.2], ['Weaviate', 0.05, 0.15], ['fine-tuning', 0.15, 0.4], ['AI agents', 0.02, 0.45], ['FastAPI', 0.2, 0.35], ['Docker', 0.3, 0.4], ['LLM evaluation', 0.02, 0.3]],
  },
};
// How many postings of each role a month, at the start and at the end: AI roles grow.
const ROLE_MIX = [
  ['Machine Learning Engineer', 3, 3], ['Data Scientist', 3, 2], ['Data Engineer', 3, 3], ['Backend Engineer', 2, 2],
  ['Frontend Engineer', 1.5, 1.5], ['MLOps Engineer', 1, 2], ['AI Engineer', 0.3, 3],
];

const REQ_HEADINGS = ['Requirements', "What you'll bring", 'You have', 'Qualifications', 'Must haves', 'What we are looking for', 'About you', 'Skills & experience'];
const PREF_HEADINGS = ['Nice to have', 'Bonus points', 'Preferred qualifications', "It's a plus if you have", 'Nice-to-haves', 'Extra credit'];
const DO_HEADINGS = ["What you'll do", 'Responsibilities', 'The role', 'In this role you will', 'Your day to day'];
const PERK_HEADINGS = ['Benefits', 'Perks', 'What we offer', 'Why join us'];
const REQ_LINES = [
  (s) => `${pick(['2+', '3+', '4+', '5+', 'Three or more', 'At least two'])} years of experience with ${s}`,
  (s) => `Strong, hands-on experience with ${s}`,
  (s) => `You have shipped production work in ${s}`,
  (s) => `Solid knowledge of ${s}`,
  (s) => `Comfortable working with ${s} every day`,
  (s) => `${s} (required)`,
];
const PREF_LINES = [
  (s) => `Experience with ${s}`,
  (s) => `Familiarity with ${s} is a plus`,
  (s) => `Some exposure to ${s}`,
  (s) => `${s} would be nice`,
];
const DUTIES = [
  'Own features from the first sketch to production and the alerts that watch them',
  'Pair with product managers to decide what to build next and why',
  'Review code and help teammates grow',
  'Keep our services fast, observable and cheap to run',
  'Write down what you learn so the next person starts ahead',
  'Work closely with customers when something breaks and react to feedback quickly',
  'Help the go-to-market team understand what the product can and cannot do',
  'Take part in a light on-call rotation, one week in eight',
];
const INTROS = [
  (c, d) => `${c} ${d}. We are a team of forty and growing carefully.`,
  (c, d) => `At ${c} we ${d.replace(/^(\w+)s\b/, '$1')}. Our R&D group is small, senior and remote-friendly.`,
  (c, d) => `${c} ${d}. We like boring technology, clear writing and people who can go deep on a problem.`,
  (c, d) => `${c} ${d}. Our engineers spark new ideas in weekly demos and excel at shipping small changes.`,
];
const PERKS = ['Learning budget of 1,500 a year', 'Four-day weeks in August', 'Home office setup', 'Private health insurance', 'Equity for everyone', 'Two volunteering days'];

function skillsFor(role, t) {
  const spec = ROLES[role];
  const chosen = (list) => list.filter(([, a, b]) => chance(lerp(a, b, t))).map(([s]) => s);
  const required = chosen(spec.core);
  const preferred = chosen(spec.extra).filter((s) => !required.includes(s));
  return { required: shuffle(required), preferred: shuffle(preferred) };
}

/** Groups skills into lines: one per line, or a few in a list ("Python, SQL and dbt", "Python/R/SQL"). */
function lines(skills, templates) {
  const out = [];
  const rest = [...skills];
  while (rest.length) {
    const n = Math.min(rest.length, chance(0.4) ? 1 : chance(0.5) ? 2 : 3);
    const group = rest.splice(0, n);
    const text = group.length === 1 ? group[0] : chance(0.15) && group.every((g) => !g.includes(' ')) ? group.join('/') : `${group.slice(0, -1).join(', ')} and ${group[group.length - 1]}`;
    out.push(pick(templates)(text));
  }
  return out;
}

function heading(text, style) {
  if (style === 'md') return `## ${text}`;
  if (style === 'caps') return text.toUpperCase();
  if (style === 'colon') return `${text}:`;
  if (style === 'bold') return `**${text}**`;
  return text;
}

function composePosting(role, month, k, t) {
  const [company, does] = pick(COMPANIES);
  const senior = pick(['', '', 'Senior ', 'Staff ', 'Junior ', 'Lead ']);
  const title = `${senior}${role}`;
  const { required, preferred } = skillsFor(role, t);
  const style = pick(['md', 'caps', 'colon', 'bold', 'plain']);
  const bullet = pick(['- ', '* ', '• ']);
  const parts = [pick(INTROS)(company, does), ''];
  parts.push(heading(pick(DO_HEADINGS), style), ...shuffle(DUTIES).slice(0, 3).map((d) => bullet + d), '');
  parts.push(heading(pick(REQ_HEADINGS), style), ...lines(required, REQ_LINES).map((l) => bullet + l), '');
  if (preferred.length) parts.push(heading(pick(PREF_HEADINGS), style), ...lines(preferred, PREF_LINES).map((l) => bullet + l), '');
  if (chance(0.6)) parts.push(heading(pick(PERK_HEADINGS), style), ...shuffle(PERKS).slice(0, 3).map((p) => bullet + p), '');
  const day = String(1 + Math.floor(rand() * 28)).padStart(2, '0');
  const location = pick(LOCATIONS);
  return {
    id: `demo-${month}-${String(k).padStart(2, '0')}`,
    title,
    company,
    location,
    date: `${month}-${day}`,
    ...(chance(0.5) && { salary: salaryFor(role, senior, location) }),
    text: parts.join('\n').trim(),
  };
}

// Yearly pay bands in thousands, by role, in the currency of the location.
const PAY = { 'Machine Learning Engineer': 120, 'Data Scientist': 105, 'Data Engineer': 110, 'Backend Engineer': 105, 'Frontend Engineer': 95, 'MLOps Engineer': 115, 'AI Engineer': 130 };
function salaryFor(role, senior, location) {
  const level = { 'Senior ': 1.25, 'Staff ': 1.45, 'Lead ': 1.35, 'Junior ': 0.7 }[senior] ?? 1;
  const [symbol, factor] = /UK/.test(location) ? ['£', 0.6] : /Remote \(US\)|TX|NY/.test(location) ? ['$', 1] : /Canada/.test(location) ? ['CAD ', 1.1] : /Switzerland/.test(location) ? ['CHF ', 1.05] : /India/.test(location) ? ['₹', 25] : /Australia/.test(location) ? ['AUD ', 1.3] : ['€', 0.7];
  const low = Math.round((PAY[role] * level * factor * (0.9 + rand() * 0.2)) / 5) * 5;
  return `${symbol}${low}k - ${symbol}${Math.round(low * 1.2 / 5) * 5}k`;
}

function toMarkdown(p) {
  return [`# ${p.title}`, `Company: ${p.company}`, `Location: ${p.location}`, `Date: ${p.date}`, ...(p.salary ? [`Salary: ${p.salary}`] : []), '', p.text, ''].join('\n');
}

function escapeHtml(s) {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function toHtml(p) {
  const body = [];
  let list = false;
  for (const line of p.text.split('\n')) {
    const item = /^(?:- |\* |• )(.*)$/.exec(line);
    if (item) {
      if (!list) body.push('<ul>');
      list = true;
      body.push(`  <li>${escapeHtml(item[1])}</li>`);
      continue;
    }
    if (list) body.push('</ul>');
    list = false;
    if (line.trim() === '') continue;
    const h = line.replace(/^## |\*\*|:$/g, '').replace(/\*\*$/, '');
    body.push(/^(## |\*\*)|:$|^[A-Z' &]+$/.test(line) || line.length < 40 ? `<h3>${escapeHtml(h)}</h3>` : `<p>${escapeHtml(line)}</p>`);
  }
  if (list) body.push('</ul>');
  const ld = { '@context': 'https://schema.org/', '@type': 'JobPosting', title: p.title, datePosted: p.date, hiringOrganization: { '@type': 'Organization', name: p.company }, description: body.join('\n') };
  return `<!doctype html>
<html>
<head>
<meta charset="utf-8">
<title>${escapeHtml(p.title)} at ${escapeHtml(p.company)}</title>
<script type="application/ld+json">${JSON.stringify(ld)}</script>
</head>
<body>
<nav>Jobs | Teams | About</nav>
<h1>${escapeHtml(p.title)}</h1>
${body.join('\n')}
</body>
</html>
`;
}

rmSync(values.out, { recursive: true, force: true });
mkdirSync(values.out, { recursive: true });
let total = 0;
MONTHS.forEach((month, i) => {
  const t = i / (MONTHS.length - 1);
  const postings = [];
  for (const [role, a, b] of ROLE_MIX) {
    const expected = lerp(a, b, t);
    const n = Math.floor(expected) + (chance(expected - Math.floor(expected)) ? 1 : 0);
    for (let j = 0; j < n; j++) postings.push(composePosting(role, month, postings.length + 1, t));
  }
  const jsonl = [];
  postings.forEach((p, j) => {
    if (j === 0 && i % 3 === 0) writeFileSync(join(values.out, `${p.id}.md`), toMarkdown(p));
    else if (j === 1 && i % 3 === 1) writeFileSync(join(values.out, `${p.id}.html`), toHtml(p));
    else jsonl.push(JSON.stringify(p));
  });
  writeFileSync(join(values.out, `${month}.jsonl`), `${jsonl.join('\n')}\n`);
  total += postings.length;
});
console.log(`wrote ${total} postings over ${MONTHS.length} months to ${values.out}`);
