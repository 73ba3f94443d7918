import { timingSafeEqual } from 'node:crypto';

/**
 * Whether two MACs in text form (hex or base64, as stored) are equal, compared in constant time for
 * equal lengths (Node's timingSafeEqual), so a caller who can ask for many comparisons (verification
 * over HTTP, say) learns nothing from how long each took. Different lengths are unequal at once: the
 * length of a MAC is public.
 */
export const sameMac = (a: string, b: string): boolean => {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  return left.length === right.length && timingSafeEqual(left, right);
};
