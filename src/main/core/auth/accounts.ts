// Local accounts with a role: hashing, verification and the first-run accounts, over a UserRepository. The
// first run creates an administrator (and in demo mode one account per role) and says how to sign in.
import type { UserRecord } from '../../../shared/contract/users.ts';
import type { Role } from '../../../shared/domain.ts';
import type { Clock } from '../clock.ts';
import { generatePassword, type PasswordHasher } from './password.ts';
import type { AccountChange, StoredUser, UserRepository } from './user-repository.ts';

export type { AccountChange };

const record = ({ passwordHash: _hash, ...user }: StoredUser): UserRecord => user;

export class Accounts {
  constructor(private readonly repo: UserRepository, private readonly clock: Clock, private readonly hasher: PasswordHasher) {}

  count(): Promise<number> {
    return this.repo.count();
  }

  /** A unit's terminal account (role `unit`) speaks for one unit: `unitId` is required for it, and only for it. */
  async create(username: string, displayName: string, role: Role, password: string, mustChangePassword = true, unitId: string | null = null): Promise<UserRecord> {
    if ((role === 'unit') !== (unitId !== null)) {
      throw new Error(role === 'unit' ? `the unit account ${username} needs the unit it speaks for` : `only a unit account has a unit (${username} is ${role})`);
    }
    const user: StoredUser = {
      username, displayName, role, createdAt: this.clock.now(), disabled: false, mustChangePassword, passwordHash: await this.hasher.hash(password),
      ...(unitId === null ? {} : { unitId }),
    };
    await this.repo.insert(user);
    return record(user);
  }

  /**
   * Demo: the units' terminal accounts that are missing, all with the demo password (to be changed at first
   * sign-in). One hash serves them all, as they share the password anyway: a dozen scrypt runs would hold up
   * every start. Returns the usernames made.
   */
  async ensureUnitAccounts(units: ReadonlyArray<{ username: string; displayName: string; unitId: string }>, password: string): Promise<string[]> {
    const missing: typeof units[number][] = [];
    for (const u of units) if (!(await this.repo.find(u.username))) missing.push(u);
    if (!missing.length) return [];
    const passwordHash = await this.hasher.hash(password);
    for (const u of missing) {
      await this.repo.insert({
        username: u.username, displayName: u.displayName, role: 'unit', unitId: u.unitId, createdAt: this.clock.now(), disabled: false, mustChangePassword: true, passwordHash,
      });
    }
    return missing.map((u) => u.username);
  }

  /** The account for these credentials, or null. Unknown users cost the same time as wrong passwords. */
  async verify(username: string, password: string): Promise<UserRecord | null> {
    const user = await this.repo.find(username);
    const ok = await this.hasher.verify(password, user?.passwordHash ?? null);
    return user && ok ? record(user) : null;
  }

  async find(username: string): Promise<UserRecord | null> {
    const user = await this.repo.find(username);
    return user ? record(user) : null;
  }

  list(): Promise<UserRecord[]> {
    return this.repo.list();
  }

  async exists(username: string): Promise<boolean> {
    return (await this.repo.find(username)) !== null;
  }

  /** Sets a new password chosen by its owner. */
  async setOwnPassword(username: string, newPassword: string): Promise<void> {
    await this.repo.setPassword(username, await this.hasher.hash(newPassword), false);
  }

  /** An administrator sets a temporary password: its owner must change it at the next sign-in. */
  async resetPassword(username: string, password: string): Promise<AccountChange> {
    return this.repo.setPassword(username, await this.hasher.hash(password), true);
  }

  setDisabled(username: string, disabled: boolean): Promise<AccountChange> {
    return this.repo.setDisabled(username, disabled);
  }

  setRole(username: string, role: Role): Promise<AccountChange> {
    return this.repo.setRole(username, role);
  }

  /**
   * On first run: an administrator, and in demo mode one account per role, all with one password taken
   * from SKYFENCE_ADMIN_PASSWORD or generated, each to be changed at its first sign-in.
   */
  async ensureFirstAccounts(opts: { demo: boolean; password?: string }): Promise<{ usernames: string[]; password: string } | null> {
    if ((await this.count()) > 0) return null;
    const password = opts.password || generatePassword();
    const accounts: Array<[string, string, Role]> = [['admin', '系统管理员', 'admin']];
    if (opts.demo) {
      accounts.push(['duty', '李明', 'operator'], ['drill', '王芳', 'coordinator'], ['command', '陈刚', 'commander']);
    }
    for (const [u, d, r] of accounts) await this.create(u, d, r, password, true);
    return { usernames: accounts.map((a) => a[0]), password };
  }
}
