import robotsModule from 'robots-parser';

// robots-parser is CommonJS typed as if it had an ES default export: imported from ESM, the
// default import is module.exports, the parser function itself.
const robotsParser = robotsModule as unknown as typeof robotsModule.default;

/**
 * The longest Crawl-delay we honour. Some sites publish hours or days (or "Infinity") to mean
 * "go away"; waiting that long between two requests would stall a run with no word why, so a
 * larger value is treated as this one (a minute between requests stays polite).
 */
export const MAX_CRAWL_DELAY_MS = 60_000;

/** What one origin's robots.txt says to our agent. */
export interface RobotsPolicy {
  /** Whether we may fetch `url`, a URL of the origin the robots.txt came from. */
  isAllowed(url: string): boolean;
  /** The Crawl-delay of our group (else of `*`) in ms, capped at MAX_CRAWL_DELAY_MS; undefined when none. */
  crawlDelayMs: number | undefined;
}

/**
 * Parses the robots.txt at `robotsUrl` for the agent whose User-Agent is `userAgent`: the group
 * naming its product token (the part before `/` or a space) if there is one, else `*`.
 * robots-parser applies the rules: longest matching Allow or Disallow wins, `*` and `$` in paths.
 */
export function parseRobots(robotsUrl: string, text: string, userAgent: string): RobotsPolicy {
  const robots = robotsParser(robotsUrl, text);
  const agent = productToken(userAgent);
  return {
    // undefined means another origin: never asked, since policies are kept per origin.
    isAllowed: (url) => robots.isAllowed(url, agent) !== false,
    crawlDelayMs: crawlDelayMs(robots.getCrawlDelay(agent)),
  };
}

function productToken(userAgent: string): string {
  return /^[^\s/]+/.exec(userAgent.trim())?.[0] ?? '*';
}

function crawlDelayMs(seconds: number | undefined): number | undefined {
  if (seconds === undefined || !(seconds > 0)) return undefined;
  return Math.min(MAX_CRAWL_DELAY_MS, Math.round(seconds * 1000));
}
