import { randomBytes } from 'node:crypto';
import { BadInputError } from '../../common/errors';

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 200;

/**
 * Passwords of twelve or more characters that lists of leaked passwords put near the top, and
 * this project's own well-known ones (the demo password is documented in the README: the seeds
 * write it directly, bypassing this policy, but no account made through the API may use it).
 */
const COMMON = new Set([
  '123456789012',
  '1234567890123',
  '12345678901234',
  '123456789123',
  '111111111111',
  '000000000000',
  'qwertyuiopas',
  'qwertyuiop123',
  'qwerty123456',
  '1q2w3e4r5t6y',
  '1qaz2wsx3edc',
  'zaq12wsxcde3',
  'password1234',
  'password12345',
  'password123!',
  'passw0rd1234',
  'p@ssw0rd1234',
  'iloveyou1234',
  'administrator',
  'admin1234567',
  'admin123456789',
  'welcome12345',
  'welcome123456',
  'letmein12345',
  'changeme1234',
  'changeme12345',
  'abcdefghijkl',
  'abcd12345678',
  'abc123456789',
  'a1b2c3d4e5f6',
  'football1234',
  'baseball1234',
  'sunshine1234',
  'princess1234',
  'superman1234',
  'trustno11234',
  'woaini1314520',
  'woaini520520',
  '5201314520131',
  'aa123456789',
  'qq1234567890',
  'asdfghjkl123',
  'demo-password',
  'demopassword',
  'agentnet1234',
  'agentnet-admin',
  'temporary1234',
  'newpassword1',
  'secret123456',
  'mypassword123',
  'password0000',
  'passwordpassword',
]);

/** What is wrong with a new password (null: nothing), in words that complete "<field>: ...". */
export function passwordProblem(password: string, username: string): string | null {
  if (password.length < PASSWORD_MIN_LENGTH) return `must be at least ${PASSWORD_MIN_LENGTH} characters`;
  if (password.length > PASSWORD_MAX_LENGTH) return `must be at most ${PASSWORD_MAX_LENGTH} characters`;
  const lower = password.toLowerCase();
  if (username && lower.includes(username.toLowerCase())) return 'must not be or contain the username';
  if (COMMON.has(lower) || /^(.)\1+$/.test(password)) return 'is too common or too simple: choose another';
  return null;
}

/** Throws BAD_USER_INPUT naming `field` when the password breaks the policy. */
export function assertPasswordPolicy(field: string, password: string, username: string): void {
  const problem = passwordProblem(password, username);
  if (problem) throw new BadInputError(field, problem);
}

/**
 * A password the system makes (a reset's one-time password, a generated first admin's): 18 random
 * URL-safe characters (108 bits), drawn again until it passes the policy a chosen one must pass.
 * Random characters can spell a short username ("bob" is in about one of 2,000 draws, "al" in one
 * of 60), and a password the policy would refuse must not be handed out, nor make the script fail.
 */
export function temporaryPassword(username: string): string {
  for (;;) {
    const password = randomBytes(18).toString('base64url').slice(0, 18);
    if (passwordProblem(password, username) === null) return password;
  }
}
