import { describe, expect, it } from 'vitest';
import { MAX_CRAWL_DELAY_MS, parseRobots } from '../../src/sources/robots.js';

const ORIGIN = 'https://jobs.example.test';
const UA = 'skillpulse/0.4 (+mailto:ops@example.test)';
const policy = (text: string, userAgent = UA) => parseRobots(`${ORIGIN}/robots.txt`, text, userAgent);
const allowed = (text: string, path: string) => policy(text).isAllowed(`${ORIGIN}${path}`);

describe('parseRobots', () => {
  it('chooses the group naming our product token over *, whatever the case or version', () => {
    const text = 'User-agent: *\nDisallow: /\n\nUser-agent: SkillPulse\nDisallow: /private\n';
    expect(allowed(text, '/jobs/1')).toBe(true);
    expect(allowed(text, '/private/1')).toBe(false);
    expect(policy(text, 'otherbot/2').isAllowed(`${ORIGIN}/jobs/1`)).toBe(false);
  });

  it('matches the product token whole, not as a prefix of another agent', () => {
    expect(allowed('User-agent: skillpulse-beta\nDisallow: /\n', '/jobs')).toBe(true);
  });

  it.each([
    ['the longest match wins', 'User-agent: *\nDisallow: /jobs\nAllow: /jobs/public', '/jobs/public/1', true],
    ['the longest match wins (disallow)', 'User-agent: *\nAllow: /jobs\nDisallow: /jobs/draft', '/jobs/draft/1', false],
    ['allow wins a tie', 'User-agent: *\nDisallow: /jobs\nAllow: /jobs', '/jobs', true],
    ['* matches any run', 'User-agent: *\nDisallow: /*/apply', '/jobs/7/apply', false],
    ['$ anchors the end', 'User-agent: *\nDisallow: /*.pdf$', '/jobs/7.pdf', false],
    ['$ anchors the end (not at the end)', 'User-agent: *\nDisallow: /*.pdf$', '/jobs/7.pdf?x=1', true],
    ['the query is part of the path', 'User-agent: *\nDisallow: /search?', '/search?q=go', false],
    ['an empty Disallow allows all', 'User-agent: *\nDisallow:', '/anything', true],
    ['comments are ignored', 'User-agent: * # everyone\nDisallow: /tmp # scratch', '/tmp/x', false],
  ])('%s', (_name, text, path, expected) => {
    expect(allowed(text, path)).toBe(expected);
  });

  it('reads Crawl-delay in ms from our group, else from *', () => {
    expect(policy('User-agent: *\nCrawl-delay: 30\n\nUser-agent: skillpulse\nCrawl-delay: 1.5\n').crawlDelayMs).toBe(1500);
    expect(policy('User-agent: *\nCrawl-delay: 2\n').crawlDelayMs).toBe(2000);
    // Our group is chosen even when it gives no delay: the one of * is not ours.
    expect(policy('User-agent: *\nCrawl-delay: 30\n\nUser-agent: skillpulse\nDisallow: /x\n').crawlDelayMs).toBeUndefined();
  });

  it('caps an absurd Crawl-delay and ignores a meaningless one', () => {
    expect(policy('User-agent: *\nCrawl-delay: 86400\n').crawlDelayMs).toBe(MAX_CRAWL_DELAY_MS);
    expect(policy('User-agent: *\nCrawl-delay: Infinity\n').crawlDelayMs).toBe(MAX_CRAWL_DELAY_MS);
    expect(policy('User-agent: *\nCrawl-delay: soon\n').crawlDelayMs).toBeUndefined();
    expect(policy('User-agent: *\nCrawl-delay: -5\n').crawlDelayMs).toBeUndefined();
    expect(policy('User-agent: *\nDisallow: /x\n').crawlDelayMs).toBeUndefined();
  });
});
