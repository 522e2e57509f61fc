import { Type } from 'typebox';
import { replies } from '../api/v1/reply-schemas.js';

// Form fields arrive as strings; a field sent twice arrives as an array and is refused by these schemas.
export const LoginBody = Type.Object({ username: Type.String(), password: Type.String() });
export const PasswdBody = Type.Object({ old_password: Type.String(), new_password: Type.String() });

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
