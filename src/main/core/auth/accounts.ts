// Local accounts with a role. The first run creates an administrator and says how to log in.
import type { UserRecord } from '../../../shared/contract/users.ts';
import type { Role, User } from '../../../shared/domain.ts';
import type { Database } from '../store/database.ts';
import type { Clock } from '../clock.ts';
import { generatePassword, hashPassword, verifyPassword } from './password.ts';

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

export class Accounts {
  constructor(private readonly db: Database, private readonly clock: Clock) {}

  async count(): Promise<number> {
    return (await this.db.get<{ n: number }>('SELECT COUNT(*) AS n FROM users'))?.n ?? 0;
  }

  async create(username: string, displayName: string, role: Role, password: string, mustChangePassword = true): Promise<UserRecord> {
    const hash = await hashPassword(password);
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
    const ok = await verifyPassword(password, row?.password_hash ?? DUMMY_HASH);
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
    await this.db.run('UPDATE users SET password_hash = ?, must_change_password = 0 WHERE username = ?', [await hashPassword(newPassword), username]);
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

// A valid hash of a random password, verified against when the user does not exist.
const DUMMY_HASH = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';
