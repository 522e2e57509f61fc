// Adds a user, the password read from standard input (never from the command line, where `ps` and shell
// history would show it):  printf '%s\n' 'Very$ecret' | npm run user:add -- alice editor
import { text } from 'node:stream/consumers';
import { ConfigError, loadConfig } from '@tickwork/config';
import { isRole } from '@tickwork/domain';
import { Store } from '@tickwork/store';
import { ApiError } from '../errors/api-error.js';
import { PasswordHasher } from '../services/password-hasher.js';
import { UserService } from '../services/user-service.js';

const USAGE = 'usage: add-user <username> [viewer|editor|admin] < password (default role: viewer)';

function fail(message: string, code = 1): never {
  console.error(`tickwork add-user: ${message}`);
  process.exit(code);
}

const [username, role = 'viewer', ...extra] = process.argv.slice(2);
if (!username || extra.length > 0) fail(USAGE, 2);
if (!isRole(role)) fail(`role must be viewer, editor or admin, got ${JSON.stringify(role)}`, 2);

let mongodbUrl: string | undefined;
try {
  mongodbUrl = loadConfig().mongodbUrl;
} catch (err) {
  if (err instanceof ConfigError) fail(`configuration error: ${err.message}`, 2);
  throw err;
}
if (!mongodbUrl) fail('MONGODB_URL is required', 2);

// The first line of stdin, without its line ending: `echo secret |` and a typed line both work.
const password = (await text(process.stdin)).split(/\r?\n/)[0] ?? '';
if (password === '') fail('no password on standard input');

const store = await Store.open(mongodbUrl);
try {
  await new UserService(store, new PasswordHasher()).add(username, password, role);
  console.log(`added user ${username} (${role})`);
} catch (err) {
  if (!(err instanceof ApiError)) throw err;
  fail(err.message);
} finally {
  await store.close();
}
