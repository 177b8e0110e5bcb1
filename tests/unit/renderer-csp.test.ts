// The renderer page carries the CSP as a meta as well as getting it as a header: the meta must be the header's
// policy (src/shared/csp.ts), no looser anywhere but where a configured map server's origin, known only at run
// time, has to get through — and then the header, enforced together with it, still admits that origin only.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../src/shared/csp.ts';

const html = readFileSync(new URL('../../src/renderer/index.html', import.meta.url), 'utf8');

type Policy = Map<string, string[]>;
const parse = (policy: string): Policy =>
  new Map(policy.split(';').map((d) => d.trim()).filter(Boolean).map((d) => {
    const [name, ...sources] = d.split(/\s+/);
    return [name, sources];
  }));

function metaPolicy(): { policy: Policy; index: number } {
  const m = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]+)"\s*\/?>/i.exec(html);
  expect(m, 'src/renderer/index.html has no <meta http-equiv="Content-Security-Policy" content="…">').not.toBeNull();
  return { policy: parse(m![1]), index: m!.index };
}

/** Whether a source list admits a URL's origin (the subset of CSP matching this policy uses). */
const admits = (sources: string[], url: string) => {
  const u = new URL(url);
  return sources.includes(u.origin) || sources.includes(u.protocol);
};

const WIDENED = ['img-src', 'connect-src'];

describe('renderer CSP meta', () => {
  it('is the header policy directive for directive: the same sources, widened only in img-src and connect-src, to http: and https:', () => {
    const { policy: meta } = metaPolicy();
    const header = parse(contentSecurityPolicy());
    header.delete('frame-ancestors'); // a meta cannot carry it
    expect([...meta.keys()].sort()).toEqual([...header.keys()].sort());
    for (const [name, sources] of header) {
      expect(meta.get(name), name).toEqual(WIDENED.includes(name) ? [...sources, 'https:', 'http:'] : sources);
    }
  });

  it('comes before anything it governs in <head>', () => {
    const { index } = metaPolicy();
    const firstGoverned = html.search(/<(script|link|style)\b/i);
    expect(index).toBeLessThan(firstGoverned);
  });

  it('lets a configured map server through, which the header alone narrows to that one origin', () => {
    const { policy: meta } = metaPolicy();
    const header = parse(contentSecurityPolicy({ imageryOrigin: 'https://pgis.example:8443' }));
    for (const name of WIDENED) {
      for (const policy of [meta, header]) expect(admits(policy.get(name)!, 'https://pgis.example:8443/tiles/1/2/3.png'), name).toBe(true);
      expect(admits(header.get(name)!, 'https://elsewhere.example/x.png'), name).toBe(false);
    }
    expect(admits(meta.get('img-src')!, 'http://10.1.2.3/wmts')).toBe(true); // a plain-http internal server too
  });
});
