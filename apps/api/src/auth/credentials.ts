import { ApiError } from '../errors/api-error.js';

const USERNAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;
const TOKEN_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
export const MIN_PASSWORD_LENGTH = 8;
// argon2 hashes any length, but a megabyte password per attempt is a cheap way to burn CPU.
export const MAX_PASSWORD_LENGTH = 1024;

export function assertUsername(value: string, field = 'username'): void {
  if (!USERNAME.test(value)) {
    throw ApiError.badRequest(`${field} must be 1-64 letters, digits or . _ @ - and start with a letter or digit`);
  }
}

export function assertTokenName(value: string): void {
  if (!TOKEN_NAME.test(value)) {
    throw ApiError.badRequest('name must be 1-64 letters, digits or . _ - and start with a letter or digit');
  }
}

export function assertPassword(value: string, field = 'password'): void {
  if (value.length < MIN_PASSWORD_LENGTH) {
    throw ApiError.badRequest(`${field} must be at least ${MIN_PASSWORD_LENGTH} characters`);
  }
  if (value.length > MAX_PASSWORD_LENGTH) {
    throw ApiError.badRequest(`${field} must be at most ${MAX_PASSWORD_LENGTH} characters`);
  }
}
