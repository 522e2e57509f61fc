import { hash, verify } from '@node-rs/argon2';

/**
 * argon2id with @node-rs/argon2's defaults (m=19 MiB, t=2, p=1: OWASP's recommendation). A login for a
 * name that does not exist still verifies against a dummy hash, so it costs what a wrong password costs.
 */
export class PasswordHasher {
  private dummy: Promise<string> | undefined;
  /** Verifications done, dummy ones included: lets a test see that the unknown-user path hashes too. */
  verifications = 0;

  async hash(password: string): Promise<string> {
    return hash(password);
  }

  async verify(passwordHash: string, password: string): Promise<boolean> {
    this.verifications++;
    try {
      return await verify(passwordHash, password);
    } catch {
      return false; // a malformed stored hash matches nothing
    }
  }

  /** Spends what a verification spends, for a login whose user does not exist. */
  async verifyDummy(password: string): Promise<void> {
    this.dummy ??= hash("tickwork's dummy password, nobody's");
    await this.verify(await this.dummy, password);
  }
}
