import { badUserInput } from '../../../../internal/errors/index.js';
import type { SignUpInput } from './auth.input.js';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Throws BAD_USER_INPUT naming `field` unless `password` is acceptable for a new password. */
export function validatePassword(password: string, field = 'password'): void {
  if (password.length < 10) throw badUserInput('The password must have at least 10 characters.', field);
  if (password.length > 256) throw badUserInput('The password must have at most 256 characters.', field);
}

/** Returns the cleaned input, or throws BAD_USER_INPUT naming the field at fault. */
export function validateSignUp(input: SignUpInput): SignUpInput {
  const email = normalizeEmail(input.email);
  const name = input.name.trim();
  if (email.length > 254 || !EMAIL.test(email)) throw badUserInput('Enter a valid email address.', 'email');
  validatePassword(input.password);
  if (name.length === 0 || name.length > 100) throw badUserInput('The name must have 1 to 100 characters.', 'name');
  return { email, name, password: input.password };
}
