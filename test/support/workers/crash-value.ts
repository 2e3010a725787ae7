/** The value the crash test's writer sets in its n-th commit: of varying length, so versions differ in size. */
export const crashValue = (n: number): string => `v${n}${'x'.repeat(n % 7)}`;
