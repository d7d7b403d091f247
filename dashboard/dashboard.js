// The live dashboard of `skillpulse serve`: a hand-written ES module, no dependencies, nothing
// fetched from elsewhere. The server lays out every chart (the same layout code as the HTML
// report); this module only draws it. Every string that comes from the data is set with
// textContent or as an attribute value, never parsed as markup.

const SVG = 'http://www.w3.org/2000/svg';
const form = /** @type {HTMLFormElement} */ (document.getElementById('controls'));
const status = /** @type {HTMLElement} */ (document.getElementById('status'));
const report = /** @type {HTMLElement} */ (document.getElementById('report'));
const postings = /** @type {HTMLElement} */ (document.getElementById('postings'));
const postingsTitle = /** @type {HTMLElement} */ (document.getElementById('postings-title'));
const postingsList = /** @type {HTMLElement} */ (document.getElementById('postings-list'));
const postingsMore = /** @type {HTMLButtonElement} */ (document.getElementById('postings-more'));

/** Rows of a table shown at most. */
const MAX_ROWS = 50;

/** An element with its text (never markup) and attributes. */
function el(tag, text, attrs = {}) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  return e;
}

function svgEl(tag, attrs = {}, text) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

function say(message, isError = false) {
  status.textContent = message;
  status.classList.toggle('error', isError);
}

/** GET an API path: the JSON, or an Error with the server's message. */
async function api(path, params = {}) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') q.set(k, v);
  const res = await fetch(`${path}${q.size ? `?${q}` : ''}`, { credentials: 'same-origin', headers: { accept: 'application/json' } });
  const body = await res.json().catch(() => ({ message: `${res.status} ${res.statusText}` }));
  if (!res.ok) throw new Error(body.message ?? `${res.status} ${res.statusText}`);
  return body;
}

const fmt = (x) => String(Math.round(x * 10) / 10);

function label(l, cls) {
  const attrs = { class: cls, x: fmt(l.x), y: fmt(l.y) };
  if (l.anchor !== 'start') attrs['text-anchor'] = l.anchor;
  const t = svgEl('text', attrs, l.text);
  if (l.full) t.prepend(svgEl('title', {}, l.full));
  return t;
}

function marker(kind, p, color) {
  const r = 3.5;
  const { x, y } = p;
  const poly = (pts) => svgEl('polygon', { class: 'marker', fill: color, points: pts.map(([a, b]) => `${fmt(x + a)},${fmt(y + b)}`).join(' ') });
  switch (kind) {
    case 'circle':
      return svgEl('circle', { class: 'marker', fill: color, cx: fmt(x), cy: fmt(y), r });
    case 'square':
      return svgEl('rect', { class: 'marker', fill: color, x: fmt(x - r), y: fmt(y - r), width: 2 * r, height: 2 * r });
    case 'triangle':
      return poly([[0, -r - 1], [r + 0.5, r], [-r - 0.5, r]]);
    case 'triangle-down':
      return poly([[0, r + 1], [r + 0.5, -r], [-r - 0.5, -r]]);
    case 'diamond':
      return poly([[0, -r - 1], [r + 1, 0], [0, r + 1], [-r - 1, 0]]);
    case 'cross':
      return svgEl('path', { class: 'marker-stroke', stroke: color, d: `M${fmt(x - r)},${fmt(y - r)}L${fmt(x + r)},${fmt(y + r)}M${fmt(x - r)},${fmt(y + r)}L${fmt(x + r)},${fmt(y - r)}` });
    default:
      return svgEl('path', { class: 'marker-stroke', stroke: color, d: `M${fmt(x - r - 1)},${fmt(y)}L${fmt(x + r + 1)},${fmt(y)}M${fmt(x)},${fmt(y - r - 1)}L${fmt(x)},${fmt(y + r + 1)}` });
  }
}

function chartSvg(layout, title, cls, kind) {
  const svg = svgEl('svg', { class: `chart ${kind} ${cls}`, role: 'img', viewBox: `0 0 ${layout.width} ${fmt(layout.height)}`, width: layout.width, height: fmt(layout.height) });
  svg.append(svgEl('title', {}, title));
  return svg;
}

/**
 * A series layout (chart-layout.ts SeriesLayout) as SVG, with a focusable target on every point:
 * the k-th line met across the panels is `points[k]`, its points in the order of its runs.
 */
function seriesSvg(layout, title, cls, points, onPoint) {
  const svg = chartSvg(layout, title, cls, 'series');
  const targets = [];
  let k = 0;
  for (const p of layout.panels) {
    if (p.title) svg.append(label(p.title, 'panel-title'));
    for (const t of p.yTicks) svg.append(svgEl('line', { class: 'grid', x1: fmt(p.plot.x), x2: fmt(p.plot.x + p.plot.w), y1: fmt(t.y), y2: fmt(t.y) }), label(t.label, 'axis y'));
    for (const t of p.xTicks) svg.append(label(t.label, 'axis'));
    for (const line of p.lines) {
      const { color, dash } = line.style;
      const meaning = points?.[k++];
      const flat = line.runs.flatMap((run) => run.points);
      for (const run of line.runs) {
        if (run.band) {
          const upper = run.band.map((b) => `${fmt(b.x)},${fmt(b.high)}`);
          const lower = [...run.band].reverse().map((b) => `${fmt(b.x)},${fmt(b.low)}`);
          svg.append(svgEl('polygon', { class: 'band', fill: color, points: [...upper, ...lower].join(' ') }));
        }
        if (run.points.length === 1) {
          if (line.markers.length === 0) svg.append(svgEl('circle', { class: 'dot', fill: color, cx: fmt(run.points[0].x), cy: fmt(run.points[0].y), r: 3 }));
        } else {
          const attrs = { class: 'line', stroke: color, points: run.points.map((q) => `${fmt(q.x)},${fmt(q.y)}`).join(' ') };
          if (line.dashed && dash) attrs['stroke-dasharray'] = dash;
          svg.append(svgEl('polyline', attrs));
        }
      }
      for (const m of line.markers) svg.append(marker(line.style.marker, m, color));
      if (meaning?.skill) {
        flat.forEach((q, i) => {
          const period = meaning.periods[i];
          if (period !== undefined) targets.push({ q, skill: meaning.skill, period, name: line.label });
        });
      }
    }
  }
  for (const item of layout.legend) {
    const { x1, x2, y } = item.sample;
    const attrs = { class: 'line', stroke: item.style.color, x1: fmt(x1), x2: fmt(x2), y1: fmt(y), y2: fmt(y) };
    if (item.style.dash) attrs['stroke-dasharray'] = item.style.dash;
    svg.append(svgEl('line', attrs), marker(item.style.marker, { x: (x1 + x2) / 2, y }, item.style.color), label(item.label, 'legend'));
  }
  // Targets last, so that they lie above the lines they stand for.
  for (const t of targets) {
    const c = svgEl('circle', { class: 'target', cx: fmt(t.q.x), cy: fmt(t.q.y), r: cls === 'narrow' ? 9 : 7, tabindex: 0, role: 'button', 'data-skill': t.skill, 'data-period': t.period });
    c.append(svgEl('title', {}, `${t.name}, ${t.period}: read the postings`));
    c.addEventListener('click', () => onPoint(t.skill, t.period, t.name));
    c.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        onPoint(t.skill, t.period, t.name);
      }
    });
    svg.append(c);
  }
  return svg;
}

function barsSvg(layout, title, cls) {
  const svg = chartSvg(layout, title, cls, 'bars');
  const spans = layout.empty ? [] : layout.labelsAbove ? layout.rows.map((r) => [r.bar.y - 2, r.bar.y + r.bar.h + 2]) : [[0, layout.height]];
  for (const [a, b] of spans) svg.append(svgEl('line', { class: 'zero', x1: fmt(layout.zero), x2: fmt(layout.zero), y1: fmt(a), y2: fmt(b) }));
  for (const r of layout.rows) {
    svg.append(
      label(r.label, 'legend'),
      svgEl('rect', { class: `bar ${r.negative ? 'neg' : 'pos'}`, fill: r.negative ? '#D55E00' : '#0072B2', x: fmt(r.bar.x), y: fmt(r.bar.y), width: fmt(r.bar.w), height: fmt(r.bar.h) }),
      label(r.value, 'axis'),
    );
  }
  if (layout.empty) svg.append(label(layout.empty, 'axis'));
  return svg;
}

function chartFigure(chart, onPoint) {
  const fig = el('figure');
  fig.append(el('figcaption', chart.title));
  if (chart.type === 'bars') {
    fig.append(barsSvg(chart.wide, chart.title, 'wide'), barsSvg(chart.narrow, chart.title, 'narrow'));
    return fig;
  }
  chart.wide.forEach((w, k) => {
    if (w.view === 'multiples') fig.append(el('p', 'Each alone, shaded: its 95% interval; the same scale in every panel.', { class: 'caption' }));
    fig.append(seriesSvg(w, chart.title, 'wide', chart.points, onPoint), seriesSvg(chart.narrow[k], chart.title, 'narrow', chart.points, onPoint));
  });
  return fig;
}

function tableSection(t) {
  const s = el('section');
  s.append(el('h2', t.title));
  if (t.rows.length === 0) {
    s.append(el('p', '(none)'));
    return s;
  }
  const table = el('table');
  const head = el('tr');
  for (const [i, c] of t.columns.entries()) head.append(el('th', c, t.numeric[i] ? { class: 'num' } : {}));
  table.append(el('thead'));
  table.tHead.append(head);
  const body = el('tbody');
  t.rows.slice(0, MAX_ROWS).forEach((r, k) => {
    const dir = t.trend?.[k] ?? 0;
    const tr = el('tr', undefined, dir ? { class: dir > 0 ? 'up' : 'down' } : {});
    // A date or a period ("2026-10-28", "2026-W07") never breaks at its hyphens.
    for (const [i, c] of r.entries()) tr.append(el('td', c, t.numeric[i] ? { class: 'num' } : /^\d{4}-[\dW]{2,3}(?:-\d{2})?$/.test(c) ? { class: 'date' } : {}));
    body.append(tr);
  });
  table.append(body);
  const scroll = el('div', undefined, { class: 'scroll' });
  scroll.append(table);
  s.append(scroll);
  if (t.rows.length > MAX_ROWS) s.append(el('p', `${t.rows.length - MAX_ROWS} more rows: the API has them all.`, { class: 'note' }));
  return s;
}

/** The form as API parameters; `skills` split into a list. */
function formState() {
  const f = new FormData(form);
  const get = (k) => String(f.get(k) ?? '').trim();
  return { kind: get('kind'), period: get('period'), category: get('category'), source: get('source'), company: get('company'), skills: get('skills').split(',').map((s) => s.trim()).filter(Boolean) };
}

let search = null;

/** The form's fields kept in the address (?kind=trends&skills=python), so that a view can be linked to and reloaded. */
const FIELDS = ['kind', 'period', 'category', 'source', 'company', 'skills'];

function rememberForm() {
  const f = new FormData(form);
  const q = new URLSearchParams();
  for (const k of FIELDS) {
    const v = String(f.get(k) ?? '').trim();
    if (v) q.set(k, v);
  }
  history.replaceState(null, '', q.size ? `?${q}` : location.pathname);
}

/** Fills the form from the address; a value a select does not offer is left out. */
function restoreForm() {
  const q = new URLSearchParams(location.search);
  for (const k of FIELDS) {
    const v = q.get(k);
    const field = form.elements.namedItem(k);
    if (v === null || !field) continue;
    if (field instanceof HTMLSelectElement && ![...field.options].some((o) => o.value === v)) continue;
    field.value = v;
  }
}

async function show() {
  rememberForm();
  const s = formState();
  const params = { period: s.period, category: s.category, source: s.source, company: s.company };
  if (s.kind === 'skill' || s.kind === 'cooccurrence') {
    if (s.kind === 'skill' && s.skills.length === 0) return say('Pick a skill (the Skills field) to see its page.', true);
    if (s.skills[0]) params.skill = s.skills[0];
  } else if (s.skills.length) params.skills = s.skills.join(',');
  say('Loading…');
  try {
    const view = await api(`/api/v1/views/${encodeURIComponent(s.kind)}`, params);
    const parts = [el('h2', view.title)];
    for (const n of view.notes) parts.push(el('p', n, { class: 'note' }));
    for (const c of view.charts) parts.push(chartFigure(c, openPostings));
    for (const t of view.tables) parts.push(tableSection(t));
    report.replaceChildren(...parts);
    say(view.charts.some((c) => c.type === 'series') ? 'Click a point of a chart to read the postings behind it.' : '');
  } catch (err) {
    report.replaceChildren();
    say(err.message, true);
  }
}

/** The posting's sentence with the mention marked: text nodes and a <mark>, never markup. */
function sentenceWithMark(sentence, mention) {
  const q = el('blockquote');
  const at = mention ? sentence.indexOf(mention) : -1;
  if (at < 0) {
    q.textContent = sentence;
    return q;
  }
  q.append(document.createTextNode(sentence.slice(0, at)), el('mark', mention), document.createTextNode(sentence.slice(at + mention.length)));
  return q;
}

async function loadPostings() {
  if (!search) return;
  postingsMore.hidden = true;
  try {
    const r = await api('/api/v1/postings', { ...search.params, page: String(search.page), pageSize: '10' });
    for (const p of r.items) {
      const li = el('li');
      li.append(el('h3', p.title || '(no title)'));
      li.append(el('p', [p.company, p.date, p.location, p.source].filter(Boolean).join(' · '), { class: 'meta' }));
      for (const e of p.evidence) li.append(sentenceWithMark(e.sentence || e.text, e.text));
      postingsList.append(li);
    }
    postingsTitle.textContent = `${search.title}: ${r.total} posting${r.total === 1 ? '' : 's'}`;
    postingsMore.hidden = r.page * r.pageSize >= r.total;
    search.page++;
  } catch (err) {
    say(err.message, true);
  }
}

function openPostings(skill, period, name) {
  const s = formState();
  search = { params: { skill, period, source: s.source, company: s.company }, page: 1, title: `${name} in ${period}` };
  postingsList.replaceChildren();
  postings.hidden = false;
  loadPostings().then(() => postings.scrollIntoView({ behavior: 'smooth', block: 'start' }));
}

async function init() {
  postingsMore.addEventListener('click', loadPostings);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    postings.hidden = true;
    show();
  });
  try {
    const meta = await api('/api/v1/meta');
    const fill = (name, values) => {
      const select = form.elements.namedItem(name);
      for (const v of values) select.append(new Option(v, v));
    };
    fill('category', meta.categories);
    fill('source', meta.sources);
    const list = document.getElementById('skill-list');
    for (const s of meta.skills.slice(0, 500)) list.append(new Option(s.name, s.id));
  } catch (err) {
    return say(err.message, true);
  }
  restoreForm();
  await show();
}

init();
