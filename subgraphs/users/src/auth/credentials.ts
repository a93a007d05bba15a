/** The rules for what an account's email, password and name may be. */
import { badUserInput } from '#internal/errors';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** The address, normalized; BAD_USER_INPUT naming `field` unless it is one. */
export function validEmail(email: string, field: string): string {
  const clean = normalizeEmail(email);
  if (clean.length > 254 || !EMAIL.test(clean)) throw badUserInput('Enter a valid email address.', field);
  return clean;
}

/** Throws BAD_USER_INPUT naming `field` unless `password` is acceptable for a new password. */
export function validatePassword(password: string, field = 'password'): void {
  if (password.length < 10) throw badUserInput('The password must have at least 10 characters.', field);
  if (password.length > 256) throw badUserInput('The password must have at most 256 characters.', field);
}

export interface SignUp {
  email: string;
  name: string;
  password: string;
}

/** Returns the cleaned sign-up, or throws BAD_USER_INPUT naming the field at fault. */
export function validateSignUp(input: SignUp): SignUp {
  const email = validEmail(input.email, 'email');
  const name = input.name.trim();
  validatePassword(input.password);
  if (name.length === 0 || name.length > 100) throw badUserInput('The name must have 1 to 100 characters.', 'name');
  return { email, name, password: input.password };
}
