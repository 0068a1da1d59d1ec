import { passwordProblem, temporaryPassword } from '../../src/modules/identity/password-policy';

describe('temporaryPassword', () => {
  it('is 18 URL-safe characters and never breaks the policy, even for a username random characters often spell', () => {
    // One letter: about 44 % of raw 18-character draws contain "a" or "A"; every answer must not.
    for (const username of ['a', 'Al', 'bob']) {
      for (let i = 0; i < 500; i++) {
        const password = temporaryPassword(username);
        expect(password).toMatch(/^[A-Za-z0-9_-]{18}$/);
        expect(passwordProblem(password, username)).toBeNull();
      }
    }
  });

  it('differs from draw to draw', () => {
    const seen = new Set(Array.from({ length: 200 }, () => temporaryPassword('carol')));
    expect(seen.size).toBe(200);
  });
});
