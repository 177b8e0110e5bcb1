// Local accounts with a role. The first run creates an administrator and says how to log in. Every change that
// could leave the console without an enabled administrator is refused by the database statement itself.
import type { UserRecord } from '../../../shared/contract/users.ts';
import type { Role, User } from '../../../shared/domain.ts';
import type { Database } from '../store/database.ts';
import type { Clock } from '../clock.ts';
import { generatePassword, type PasswordHasher } from './password.ts';

interface UserRow {
  username: string;
  display_name: string;
  role: Role;
  password_hash: string;
  created_at: number;
  disabled: number;
  must_change_password: number;
}

const toUser = (r: UserRow): User => ({ username: r.username, displayName: r.display_name, role: r.role });
const toRecord = (r: UserRow): UserRecord => ({
  ...toUser(r), createdAt: r.created_at, disabled: r.disabled === 1, mustChangePassword: r.must_change_password === 1,
});

/** Holds while another enabled administrator remains besides the row being changed. */
const ANOTHER_ADMIN = "(role != 'admin' OR disabled = 1 OR (SELECT COUNT(*) FROM users WHERE role = 'admin' AND disabled = 0) > 1)";

export type AccountChange = 'ok' | 'not-found' | 'last-admin';

export class Accounts {
  constructor(private readonly db: Database, private readonly clock: Clock, private readonly hasher: PasswordHasher) {}

  async count(): Promise<number> {
    return (await this.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM users'))?.n ?? 0;
  }

  async create(username: string, displayName: string, role: Role, password: string, mustChangePassword = true): Promise<UserRecord> {
    const hash = await this.hasher.hash(password);
    const now = this.clock.now();
    await this.db.run(
      'INSERT INTO users (username, display_name, role, password_hash, created_at, must_change_password) VALUES (?, ?, ?, ?, ?, ?)',
      [username, displayName, role, hash, now, mustChangePassword ? 1 : 0],
    );
    return { username, displayName, role, createdAt: now, disabled: false, mustChangePassword };
  }

  /** The account for these credentials, or null. Unknown users cost the same time as wrong passwords. */
  async verify(username: string, password: string): Promise<UserRecord | null> {
    const row = await this.db.get<UserRow>('SELECT * FROM users WHERE username = ?', [username]);
    const ok = await this.hasher.verify(password, row?.password_hash ?? null);
    return row && ok ? toRecord(row) : null;
  }

  async find(username: string): Promise<UserRecord | null> {
    const row = await this.db.get<UserRow>('SELECT * FROM users WHERE username = ?', [username]);
    return row ? toRecord(row) : null;
  }

  async list(): Promise<UserRecord[]> {
    const rows = await this.db.all<UserRow>('SELECT * FROM users ORDER BY id');
    return rows.map(toRecord);
  }

  async exists(username: string): Promise<boolean> {
    return (await this.db.get('SELECT 1 FROM users WHERE username = ?', [username])) !== undefined;
  }

  /** Sets a new password chosen by its owner. */
  async setOwnPassword(username: string, newPassword: string): Promise<void> {
    await this.db.run('UPDATE users SET password_hash = ?, must_change_password = 0 WHERE username = ?', [await this.hasher.hash(newPassword), username]);
  }

  /** An administrator sets a temporary password: its owner must change it at the next sign-in. */
  async resetPassword(username: string, password: string): Promise<AccountChange> {
    const r = await this.db.run('UPDATE users SET password_hash = ?, must_change_password = 1 WHERE username = ?', [await this.hasher.hash(password), username]);
    return r.changes ? 'ok' : 'not-found';
  }

  async setDisabled(username: string, disabled: boolean): Promise<AccountChange> {
    const guard = disabled ? ` AND ${ANOTHER_ADMIN}` : '';
    return this.change(username, await this.db.run(`UPDATE users SET disabled = ? WHERE username = ?${guard}`, [disabled ? 1 : 0, username]));
  }

  async setRole(username: string, role: Role): Promise<AccountChange> {
    const guard = role === 'admin' ? '' : ` AND ${ANOTHER_ADMIN}`;
    return this.change(username, await this.db.run(`UPDATE users SET role = ? WHERE username = ?${guard}`, [role, username]));
  }

  private async change(username: string, r: { changes: number }): Promise<AccountChange> {
    if (r.changes) return 'ok';
    return (await this.exists(username)) ? 'last-admin' : 'not-found';
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
