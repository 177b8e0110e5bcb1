import { describe, expect, it } from 'vitest';
import { ResumeTokens } from '../../src/main/core/auth/resume-tokens.ts';
import { ManualClock } from '../../src/main/core/clock.ts';

const duty = { username: 'duty', displayName: '李明', role: 'operator' as const };
const drill = { username: 'drill', displayName: '王芳', role: 'coordinator' as const };

describe('resume tokens', () => {
  it('resume a session until revoked, expired, or the password changes', () => {
    const clock = new ManualClock();
    const tokens = new ResumeTokens(clock, 60_000);
    const a = tokens.issue(duty);
    const b = tokens.issue(duty);
    const c = tokens.issue(drill);
    expect(a).not.toBe(b);
    expect(tokens.resume(a)).toEqual(duty);
    expect(tokens.resume(a.slice(0, -1) + (a.endsWith('A') ? 'B' : 'A'))).toBeNull();
    tokens.revoke(a);
    expect(tokens.resume(a)).toBeNull();
    tokens.revokeUser('duty');
    expect(tokens.resume(b)).toBeNull();
    expect(tokens.resume(c)).toEqual(drill);
    clock.advance(60_000);
    expect(tokens.resume(c)).toBeNull();
  });
});
