/**
 * Mainland mobile numbers (MSISDN without the country code): 11 digits starting with 1.
 * Back-office files and hand-typed forms carry spaces, hyphens and a +86/0086 prefix; we accept
 * those and store the bare 11 digits.
 */
export function normalizeMsisdn(raw: string): string {
  let s = raw.replace(/[\s-]+/g, '');
  if (/^(\+86|0086)\d{11}$/.test(s)) s = s.slice(s.length - 11);
  return s;
}

export function isValidMsisdn(normalized: string): boolean {
  return /^1\d{10}$/.test(normalized);
}
