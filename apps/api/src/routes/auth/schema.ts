import { Type } from 'typebox';
import { replies } from '../api/v1/reply-schemas.js';

// Form fields arrive as strings; a field sent twice arrives as an array and is refused by these schemas.
// No user name is longer than 64 characters, no password longer than 1024: longer ones are refused before
// anything is hashed, counted or logged.
const Username = Type.String({ maxLength: 64 });
const Password = Type.String({ maxLength: 1024 });
export const LoginBody = Type.Object({ username: Username, password: Password });
export const PasswdBody = Type.Object({ old_password: Password, new_password: Password });
/** The most a /login or /passwd body may hold: its fields at their longest, percent-encoded, and then some. */
export const AUTH_BODY_LIMIT = 16 * 1024;

const UserReply = Type.Object(
  { user: Type.String(), role: Type.String() },
  { examples: [{ user: 'admin', role: 'admin' }] },
);
const tags = ['authentication'];

export const loginSchema = {
  tags,
  summary: 'Log in: form fields (or JSON) username and password; sets the session cookie. A browser is redirected.',
  body: { ...LoginBody, examples: [{ username: 'admin', password: 'Very$ecret' }] },
  response: replies({ 200: UserReply }),
};
export const logoutSchema = {
  tags,
  summary: 'End the session',
  response: replies({ 200: Type.Object({ logged_out: Type.Boolean() }, { examples: [{ logged_out: true }] }) }),
};
export const passwdSchema = {
  tags,
  summary: "Change one's own password (the old one is required); other sessions end",
  body: { ...PasswdBody, examples: [{ old_password: 'Very$ecret', new_password: 'An0ther$ecret' }] },
  response: replies({ 200: UserReply }),
};
export const loginPageSchema = { hide: true };
