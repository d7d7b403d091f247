/** robots.txt rules for one user agent: the longest matching Allow or Disallow path wins. */
export interface RobotsRules {
  allow: string[];
  disallow: string[];
}

/**
 * Parses robots.txt for our agent: the group naming our product token if there is one, else `*`.
 * Pure; `*` and `$` in paths are honoured.
 */
export function parseRobots(text: string, agentToken: string): RobotsRules {
  const groups: { agents: string[]; allow: string[]; disallow: string[] }[] = [];
  let current: (typeof groups)[number] | undefined;
  let lastWasAgent = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/#.*$/, '').trim();
    const m = /^([A-Za-z-]+)\s*:\s*(.*)$/.exec(line);
    if (!m) continue;
    const key = (m[1] as string).toLowerCase();
    const value = (m[2] as string).trim();
    if (key === 'user-agent') {
      if (!lastWasAgent || !current) {
        current = { agents: [], allow: [], disallow: [] };
        groups.push(current);
      }
      current.agents.push(value.toLowerCase());
      lastWasAgent = true;
      continue;
    }
    lastWasAgent = false;
    if (!current) continue;
    if (key === 'allow' && value) current.allow.push(value);
    if (key === 'disallow' && value) current.disallow.push(value);
  }
  const token = agentToken.toLowerCase();
  const mine = groups.filter((g) => g.agents.some((a) => a !== '*' && token.includes(a)));
  const chosen = mine.length > 0 ? mine : groups.filter((g) => g.agents.includes('*'));
  return { allow: chosen.flatMap((g) => g.allow), disallow: chosen.flatMap((g) => g.disallow) };
}

function matchLength(pattern: string, path: string): number {
  const anchored = pattern.endsWith('$');
  const body = anchored ? pattern.slice(0, -1) : pattern;
  const re = new RegExp(`^${body.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}${anchored ? '$' : ''}`);
  return re.test(path) ? body.length : -1;
}

/** Whether the rules let us fetch `path` (path plus query). */
export function isAllowed(rules: RobotsRules, path: string): boolean {
  let allowLen = -1;
  let disallowLen = -1;
  for (const p of rules.allow) allowLen = Math.max(allowLen, matchLength(p, path));
  for (const p of rules.disallow) disallowLen = Math.max(disallowLen, matchLength(p, path));
  return disallowLen < 0 || allowLen >= disallowLen;
}
