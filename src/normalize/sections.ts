import type { Section, SectionKind } from '../types.js';

/**
 * Heading patterns per section kind, tried in order on a cleaned heading ("Preferred
 * qualifications" is preferred before it is requirements).
 */
const HEADINGS: [SectionKind, RegExp][] = [
  ['preferred', /\b(?:nice[- ]to[- ]haves?|preferred|bonus(?: points)?|pluses|plus(?:es)? if|good to have|desir(?:ed|able)|ideal(?:ly)?|ideal candidates?|extra credit|would be (?:great|nice|a plus)|not required|added advantage|even better|brownie points|optional|wants|additional (?:skills|qualifications|experience)|particularly (?:great|good|strong) fit|(?:may|might) also have)\b|would like|^additional$/],
  ['benefits', /\b(?:benefits|perks|what we offer|we offer|our offer|compensation|salary|pay|why (?:join|work)|what'?s in it for you|rewards|package)\b/],
  ['stack', /^(?:(?:our|the|current|primary|main|core|tech(?:nology|nical)?|software|engineering|backend|back-end|frontend|front-end|data|infrastructure|dev) )*(?:tech ?)?stack$|^(?:our |the )?(?:technolog(?:y|ies)|tools)(?: we use| used| and technologies| & technologies)?$|^tech$|^what we use$|^built with$/],
  ['requirements', /\b(?:requirements?|required|must|(?:great|good|strong|perfect) fit|qualifications?|what you(?:'ll| will)? (?:bring|need|have)|what we(?:'re| are) looking for|what we (?:need|expect|require)|who you are|you have|you are|you bring|must[- ]haves?|need to haves?|(?:key |technical |core )?skills|experience|about you|your (?:profile|background|skills|experience)|we expect|looking for|competenc(?:ies|e)|prerequisites|you(?:'ll)? need|you should have|minimum|basic)\b|^you$|^needs?$/],
  ['responsibilities', /\b(?:projects (?:[\w-]+ ){0,4}(?:may|will|could|might) include|responsibilit(?:y|ies)|what you(?:'ll| will) (?:do|work on|own|build)|the role|your role|role description|duties|day[- ]to[- ]day|in this role|your impact|the job|your mission|what the job involves|the opportunity|you will|tasks|key accountabilities)\b/],
  ['about', /^about\b|\b(?:who we are|our (?:mission|story|company|team|culture|values|investors)|the team|company overview|the company|how we'?re different|come work with us|life at|working at)\b/],
  ['other', /\b(?:how to apply|to apply|equal opportunity|eeo|diversity|(?:application|interview|hiring|recruit(?:ing|ment)|selection|verification) process|location|logistics|contact)\b/],
];

const MAX_HEADING = 70;

/** Words of the headings that HEADINGS matches only as the whole heading ("You:", "Tech stack"). */
const ANCHORED_HEADING_WORDS = /\b(?:you|about|needs?|additional|tech|technolog(?:y|ies)|tools|built with|what we use)\b|stack\b/;

/** Headings over a list of open positions, which describe no role by themselves. */
const OPENINGS = /\b(?:roles|positions|openings|jobs|hiring|vacancies)\b/i;

/** A horizontal rule: a line of nothing but "=", "-", "_" or "*", three or more. */
const RULE = /^\s*(?:={3,}|-{3,}|_{3,}|\*{3,})\s*$/;

/** A line marked as a heading by markdown's "#" or by "==" on both sides, short. */
const MARKED_HEADING = /^\s*(?:#{1,6}[ \t]+\S.{0,70}|==[^=\n]{1,70}==)\s*$/;

/**
 * A list of the employer's past work ("Selected publications", "you can read about past projects,
 * including:"): description, not demand. Only for a heading that names nothing else or that
 * introduces a list with its colon: "Mentors, research areas, & past projects" also names the areas
 * the role works in.
 */
const PAST_WORK = /\b(?:past|previous|prior|recent|selected|representative) (?:[\w-]+ ){0,2}(?:projects|papers|publications|examples?)\b|\b(?:blog posts|publications)\b/;

const REQUIREMENTS_HEADING = HEADINGS.find(([k]) => k === 'requirements')?.[1] as RegExp;
const PREFERRED_HEADING = HEADINGS.find(([k]) => k === 'preferred')?.[1] as RegExp;

/** The kind a heading's words name. A heading that joins a requirement list to a preferred one ("Desired skills and requirements") is requirements. */
function kindOfHeading(clean: string): SectionKind | undefined {
  if (PREFERRED_HEADING.test(clean)) {
    const parts = clean.split(/\s+(?:and|&)\s+|\s*\/\s*/);
    if (parts.length > 1 && parts.some((p) => REQUIREMENTS_HEADING.test(p) && !PREFERRED_HEADING.test(p))) return 'requirements';
    return 'preferred';
  }
  for (const [kind, pattern] of HEADINGS) {
    if (pattern.test(clean)) return kind;
  }
  return undefined;
}

/** An unmarked line that reads like a list item, not a heading: "Experience with AWS or GCP", "A Master's degree is preferred". */
const ITEM_LIKE = /^(?:(?:experience|knowledge|familiarity|proficiency|understanding|expertise|background|strong|solid)\s+\S+\s+\S+|\S+\s+\S+.*\b(?:is|are)\s+(?:preferred|required|a plus|desired|desirable|optional|helpful|a bonus|nice to have)\b)/;

/** A line that names an opening ("Senior Engineer, Developer Experience"), not a section. */
const OPENING = /\b(?:Engineer|Developer|Manager|Leader|Scientist|Designer|Architect|Analyst|Researcher|Specialist|Administrator|Consultant|Intern|Lead|Programmer|Hacker|Guru|Ninja|Wizard|Technician|Evangelist)s?\b/;

/** A list item: a line that starts with a bullet. */
const ITEM = /^\s*(?:[-*•·▪◦]|\d+[.)])\s*\S/;

/** A line that is only an opening's title: title-cased, short, no sentence ("Marketing and Product Management Guru"). */
function titleOfOpening(line: string): boolean {
  const t = line.trim();
  if (t.length > 70 || /[.!?:,;]$/.test(t) || ITEM.test(t) || !OPENING.test(t)) return false;
  const words = t.split(/\s+/);
  return words.length <= 8 && words.every((w) => /^[\p{Lu}\d(&/-]/u.test(w) || /^(?:of|and|for|in|the|at|to|with|on|or|a|an)$/.test(w));
}

/**
 * A line is a heading when it is marked as one (markdown #, **bold**, a trailing colon) or is
 * short and title-like, and it names a known section; "Requirements: Python, SQL" is a heading
 * with content on the same line.
 */
export function classifyHeading(line: string): { kind: SectionKind; heading: string; inline?: 'line' | 'paragraph' } | undefined {
  const trimmed = line.trim();
  // Most lines of a posting are prose: a long line is a heading only with a colon near its start.
  if (trimmed === '' || (trimmed.length > MAX_HEADING + 4 && !trimmed.slice(0, MAX_HEADING + 8).includes(':') && !(trimmed.length <= 200 && trimmed.endsWith(':')))) return undefined;
  // Prose starts in lower case and has no colon early on: no heading, and no need to look further.
  const first = trimmed.charCodeAt(0);
  if (first >= 97 && first <= 122 && !trimmed.slice(0, MAX_HEADING + 8).includes(':')) return undefined;
  const bullet = /^(?:[-•·▪◦]|\*(?!\*))\s*/.exec(trimmed)?.[0] ?? '';
  const marked = /^(#{1,6}\s+|\*\*|__|==)/.test(trimmed) || /^[A-Z][A-Z &/'-]{2,}:?$/.test(trimmed);
  let heading = trimmed.slice(bullet.length).replace(/^#{1,6}\s+/, '').replace(/^[*_]{2}(.+?)[*_]{2}/, '$1');
  if (heading.length > 4 && heading.startsWith('==') && heading.endsWith('==')) heading = heading.slice(2, -2).trim();
  const colon = heading.indexOf(':');
  let colonHeading = false;
  let inline = false;
  if (colon > 0 && colon === heading.length - 1) {
    // "You might be a great fit if you:" introduces a list, however long.
    heading = heading.slice(0, colon);
    colonHeading = true;
  } else if (colon > 0 && colon <= MAX_HEADING) {
    inline = true;
    heading = heading.slice(0, colon);
    colonHeading = true;
  } else if (bullet !== '' || heading.length > MAX_HEADING || /[.!?]$/.test(heading)) {
    return undefined;
  }
  const clean = heading.toLowerCase().replace(/[’`]/g, "'").replace(/[*_#]/g, '').trim();
  const words = clean.split(/\s+/).length;
  // A sentence that introduces a list of past work, however long.
  if (colonHeading && !inline && PAST_WORK.test(clean)) return { kind: 'about', heading: heading.trim() };
  if (clean === '' || words > (colonHeading && !inline ? 16 : 8)) return undefined;
  const titleLike = marked || colonHeading || /^[\p{Lu}]/u.test(heading);
  if (!titleLike) return undefined;
  if (!marked && !colonHeading && (ITEM_LIKE.test(clean) || words > 6 || OPENING.test(heading))) return undefined;
  // A mid-sentence colon ("We use the following tools: ...") is not a heading.
  if (inline && !marked && words > 6) return undefined;
  const kind = words <= 3 && PAST_WORK.test(clean) ? 'about' : kindOfHeading(clean);
  return kind && { kind, heading: heading.trim(), ...(inline && { inline: bullet !== '' ? 'line' : 'paragraph' }) };
}

/**
 * Headings inside a line: text whose line breaks were lost ("... in Australia. Preferred
 * qualifications 8+ years ...") or glued by a page ("experiencePreferred Qualifications"). A
 * known heading phrase counts when it starts with a capital and is followed by a colon, "==", a
 * capital, a bullet, a digit or a bracket (checked in code: the pattern itself ignores case).
 */
const INLINE_HEADING = new RegExp(
  `(${[
    '(?:minimum|basic|required|preferred|key|additional|desired|technical|bonus|must[- ]have) (?:qualifications|requirements|skills|experience)(?: (?:and|&) (?:experience|skills|requirements|qualifications))?',
    'qualifications',
    'requirements',
    'responsibilities',
    'key responsibilities',
    "what (?:you'll|you’ll|you will|we're|we’re|we are|you) (?:do|need|bring|have|be doing|looking for|offer)",
    'who you are',
    'about (?:you|us|the role|the team|the company|the job)',
    "how we(?:'re|’re| are) different",
    'nice[- ]to[- ]haves?',
    'bonus(?: points)?',
    'must[- ]haves?',
    'need to have',
    'ideal(?:ly)?(?: candidates?(?: will have)?(?: the following(?: skills)?)?)?',
    'benefits',
    'perks',
    'how to apply',
    'logistics',
    'tech stack',
    'our stack',
    'the role',
    'your role',
    'skills',
    'pluses',
    'stack',
    String.raw`about [a-z][\w.&-]+`,
  ].join('|')})`,
  'iy',
);
const HEADING_START = new RegExp(
  `(?:${['Minimum', 'Basic', 'Required', 'Preferred', 'Key', 'Additional', 'Desired', 'Technical', 'Bonus', 'Must', 'Qualifications', 'Requirements', 'Responsibilities', 'What', 'Who', 'About', 'How', 'Nice', 'Need', 'Ideal', 'Benefits', 'Perks', 'Logistics', 'Tech', 'Our', 'The', 'Your', 'Skills', 'Pluses', 'Stack']
    .flatMap((w) => [w, w.toUpperCase()])
    .join('|')})`,
  'g',
);

/** A heading inside a line: where it starts, and where the list item it opens ends, if it opens one. */
interface InlineHeading {
  at: number;
  kind: SectionKind;
  heading: string;
  item?: number;
}

/**
 * Heading events found inside one line, as offsets into the line. A phrase counts after a
 * sentence end, a bullet, a colon or a lower-case letter it is glued to ("experiencePreferred");
 * after a plain space only when it has two words or more ("... operations Minimum qualifications
 * Hands-on ..."), since one capitalized word mid-sentence is usually a name.
 */
function inlineHeadings(line: string): InlineHeading[] {
  if (line.length < 60) return [];
  const found: InlineHeading[] = [];
  // A case-sensitive scan for the first words finds the few places worth the full pattern.
  let consumed = 0;
  for (const w of line.matchAll(HEADING_START)) {
    if ((w.index as number) < consumed) continue;
    INLINE_HEADING.lastIndex = w.index as number;
    const m = INLINE_HEADING.exec(line);
    if (!m) continue;
    const phrase = m[1] as string;
    const at = m.index as number;
    consumed = at + phrase.length;
    if (at === 0 || !/^\p{Lu}/u.test(phrase)) continue;
    if (/[\p{Lu}\p{N}'’-]/u.test(line[at - 1] as string)) continue;
    const after = line.slice(at + phrase.length, at + phrase.length + 3);
    if (!/^(?:\s*:|\s*==|\s+[\p{Lu}•·▪\d(-]|\p{Lu})/u.test(after)) continue;
    const before = line.slice(Math.max(0, at - 3), at);
    const afterBreak = /(?:[.!?:;|•·▪)=]\s*|\s[-*]\s*|\p{Ll})$/u.test(before);
    // A colon or a bullet right after it marks even one word as a heading ("... Some R Benefits • Health").
    const colon = /^\s*(?::|[•·▪])/.test(after);
    if (!afterBreak && !colon && !/\s\S/.test(phrase)) continue;
    if (/^about /i.test(phrase) && !/^About (?:You|Us|the)\b/i.test(phrase) && (!afterBreak || !/^About \p{Lu}/u.test(phrase))) continue;
    const kind = kindOfHeading(phrase.toLowerCase().replace(/[’`]/g, "'"));
    if (!kind) continue;
    // "• Bonus: Kafka • Strong SQL": a heading that opens a list item speaks for that item only.
    const bullet = colon && /^\s*:/.test(after) ? /(?:^|\s)([•·▪]|[-*](?=\s))\s*$/.exec(line.slice(Math.max(0, at - 3), at))?.[1] : undefined;
    const next = bullet === undefined ? -1 : line.indexOf(bullet === '-' || bullet === '*' ? ` ${bullet} ` : bullet, at + phrase.length);
    found.push({ at, kind, heading: phrase, ...(next >= 0 && { item: next + (bullet === '-' || bullet === '*' ? 1 : 0) }) });
  }
  // Only a long line can hold a lead and its list run together: shorter ones have their own headings.
  if (line.length >= 200) {
    // A lead that overlaps a heading found above is that heading. Both come in text order: one
    // walk over the headings serves every lead (a form can hold thousands of fields).
    const named = found.length;
    let k = 0;
    for (const h of colonLeads(line)) {
      while (k < named && (found[k] as InlineHeading).at + (found[k] as InlineHeading).heading.length <= h.at) k++;
      const f = found[k];
      if (k < named && f !== undefined && f.at < h.at + h.heading.length) continue;
      found.push(h);
    }
  }
  found.sort((a, b) => a.at - b.at);
  // An item's heading ends at the next heading if that comes first.
  found.forEach((h, i) => {
    const next = found[i + 1];
    if (h.item !== undefined && next && next.at <= h.item) delete h.item;
  });
  return found;
}

/**
 * A form field's label at the end of a phrase, as short as it can be read: "Family" of "Job
 * Family:", "Type of Requisition". Text whose line breaks were lost gives no sign where the value
 * before it ends, and a label that took the value's last word ("SQL, Statistics Certifications:")
 * would take a skill with it.
 */
const FIELD_LABEL = /(?:^|\s)((?:\p{Lu}[\p{L}/&-]*\s+of\s+)?\p{Lu}[\p{L}/&-]*)$/u;

/** A colon glued to the letters on both sides ("Family:Data"), as a form writes its fields. */
const GLUED = /^[A-Za-z]:[A-Za-z0-9]/;
/** The end of the last sentence, item or bracket before a colon lead; in a form, also the end of the field before. */
const BOUNDARY = /.*(?:[.!?;:)•·▪|]\s+|\s[-*]\s+)/s;
const FORM_BOUNDARY = /.*(?:[.!?;:)•·▪|]\s+|\s[-*]\s+|[A-Za-z]:(?=[A-Za-z0-9]))/s;

/**
 * Leads that end in a colon inside a line whose breaks were lost ("... as a whole. You may be a
 * good fit if you: Have ..."): the words from the last sentence end to the colon, read as a
 * heading that introduces what follows.
 */
function colonLeads(line: string): { at: number; kind: SectionKind; heading: string }[] {
  const found: { at: number; kind: SectionKind; heading: string }[] = [];
  // A form's fields glued to their values ("Travel:None Family:Data Science"): two or more make a
  // form (counted at the first glued colon: most lines have none).
  let form: boolean | undefined;
  for (let colon = line.indexOf(':'); colon !== -1; colon = line.indexOf(':', colon + 1)) {
    // A lead ends in a word: not a link's "https:", a time's "10:30" or "e.g.:".
    if (line[colon + 1] === '/' || colon < 3 || !/\p{L}/u.test(line[colon - 1] as string)) continue;
    const window = line.slice(Math.max(0, colon - 160), colon);
    const glued = GLUED.test(line.slice(colon - 1, colon + 2));
    if (glued) form ??= (line.match(/[A-Za-z]:[A-Za-z0-9]/g)?.length ?? 0) >= 2;
    // A field glued to its value ("Clearance:Secret Job Family:...") ends where its value does.
    const boundary = (form ? FORM_BOUNDARY : BOUNDARY).exec(window);
    const from = boundary ? boundary[0].length : 0;
    if (window.length - from < 3) continue;
    const phrase = window.slice(from);
    // "Job Family:Data Science", "Skills:SQL, Tableau": a form's field glued to its value, named by
    // its label alone. A label the headings don't know still ends the field before it.
    if (form && glued) {
      const label = FIELD_LABEL.exec(phrase)?.[1];
      if (label) found.push({ at: colon - label.length, kind: classifyHeading(`${label}:`)?.kind ?? 'other', heading: label });
      continue;
    }
    // Only a phrase that holds some heading's words can end in one.
    const lower = phrase.toLowerCase().replace(/[’`]/g, "'");
    if (kindOfHeading(lower) === undefined && !PAST_WORK.test(lower) && !ANCHORED_HEADING_WORDS.test(lower)) continue;
    const sentence = boundary !== null && phrase.split(/\s+/).length <= 24;
    let lead = sentence && /^\p{Lu}/u.test(phrase) ? classifyHeading(`${phrase}:`) : undefined;
    let at = colon - phrase.length;
    // No sentence end before it (a list of names ran into it), or the whole phrase is no heading:
    // the shortest run of words from a capitalized one that reads as a lead ("... Dana Lee On our
    // blog you can read about past projects:").
    if (!lead) {
      const words = [...phrase.matchAll(/(?:^|\s)(\p{Lu})/gu)].slice(-12).reverse();
      for (const w of words) {
        const start = (w.index as number) + w[0].length - 1;
        lead = classifyHeading(`${phrase.slice(start)}:`);
        if (lead) {
          at = colon - phrase.length + start;
          break;
        }
      }
    }
    // A lead whose words ran together with the text before it ("... exploits Projects in this
    // workstream may include:") starts where its heading words do, when they start capitalized.
    const named = lead && sentence ? HEADINGS.find(([k]) => k === lead?.kind)?.[1].exec(lower) : undefined;
    const start = named?.index ?? 0;
    if (start > 0 && phrase[start - 1] === ' ' && /\p{Lu}/u.test(phrase[start] as string)) {
      const shorter = classifyHeading(`${phrase.slice(start)}:`);
      if (shorter?.kind === lead?.kind) {
        lead = shorter;
        at = colon - phrase.length + start;
      }
    }
    if (lead) found.push({ at, kind: lead.kind, heading: lead.heading });
  }
  return found;
}

/** Sections of a plain text, each from its heading (a line, or a phrase inside a long line) to the next heading. */
export function findSections(text: string): Section[] {
  const sections: Section[] = [];
  const open = (kind: SectionKind, start: number, heading: string) => {
    const last = sections[sections.length - 1];
    if (last && last.end > start) last.end = start;
    sections.push({ kind, start, end: text.length, heading });
  };
  let offset = 0;
  // "Tech stack: Go, Postgres" speaks for its paragraph; what follows a blank line belongs to the section before it.
  let resume: { kind: SectionKind; heading: string } | undefined;
  // A rule under a heading underlines it ("About us\n\n--------"); anywhere else it separates.
  let underHeading = false;
  // The last line with text.
  let lastText = '';
  for (const line of text.split('\n')) {
    const found = classifyHeading(line);
    if (resume && line.trim() === '') {
      open(resume.kind, offset, resume.heading);
      resume = undefined;
    }
    if (found) {
      const previous = resume ?? sections[sections.length - 1] ?? { kind: 'other', heading: '' };
      resume = undefined;
      open(found.kind, offset, found.heading);
      // "• Bonus: Kafka" speaks for its own line only; the list it stands in goes on after it.
      if (found.inline === 'line') open(previous.kind, offset + line.length + 1, previous.heading);
      else if (found.inline === 'paragraph') resume = previous;
    } else if (/^(?:requirements|preferred|responsibilities)$/.test(sections[sections.length - 1]?.kind ?? '') && titleOfOpening(line) && ITEM.test(lastText) && !RULE.test(lastText)) {
      // "- Familiarity with GPUs\nMarketing and Product Management Guru": an opening's title
      // without the bullet of the items before it ends their list; another opening starts.
      resume = undefined;
      open('other', offset, line.trim());
    } else if (/^(?:about|benefits)$/.test(sections[sections.length - 1]?.kind ?? '') && ((MARKED_HEADING.test(line) && !OPENINGS.test(line)) || (RULE.test(line) && !underHeading))) {
      // "== Position ==" or a horizontal rule after "== About Us ==": a marked heading of no known
      // kind still ends the employer's description before it (a sub-heading of a list of
      // requirements does not).
      resume = undefined;
      open('other', offset, RULE.test(line) ? '' : line.replace(/^\s*(?:#+|==)\s*|\s*==\s*$/g, ''));
    } else {
      for (const h of inlineHeadings(line)) {
        const previous = sections[sections.length - 1] ?? { kind: 'other', heading: '' };
        open(h.kind, offset + h.at, h.heading);
        if (h.item !== undefined) open(previous.kind, offset + h.item, previous.heading);
      }
      // "... We are hiring. Ideal candidates will have the following skills:" introduces the lines below.
      const last = line.trimEnd().endsWith(':') ? /(?:^|[.!?]\s+)([^.!?]{3,120}:)\s*$/.exec(line) : null;
      const lead = last && last.index > 0 ? classifyHeading(last[1] as string) : undefined;
      if (last && lead) open(lead.kind, offset + line.length - (last[1] as string).length, lead.heading);
    }
    offset += line.length + 1;
    if (line.trim() !== '') {
      underHeading = found !== undefined;
      lastText = line;
    }
  }
  return sections.filter((s) => s.end > s.start);
}
