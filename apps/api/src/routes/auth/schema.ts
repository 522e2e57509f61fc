import { Type } from 'typebox';

// Form fields arrive as strings; a field sent twice arrives as an array and is refused by these schemas.
export const LoginBody = Type.Object({ username: Type.String(), password: Type.String() });
export const PasswdBody = Type.Object({ old_password: Type.String(), new_password: Type.String() });

export const loginSchema = { body: LoginBody };
export const passwdSchema = { body: PasswdBody };
