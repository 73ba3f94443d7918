import { parsePolicyDocument } from '../../../src/access/domain/policy-document.js';

/**
 * Checks a policy being edited before it is sent: the JSON itself, then the server's own validation
 * (the same pure parsePolicyDocument the SetPolicy use case runs, bundled into the console), so the
 * editor names the problem as the server would. Returns the parsed document, or the problem in words.
 */
export const checkPolicyText = (text: string): { ok: true; document: unknown } | { ok: false; problem: string } => {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (e) {
    return { ok: false, problem: `not valid JSON: ${e instanceof Error ? e.message : 'unreadable'}` };
  }
  try {
    parsePolicyDocument(document);
  } catch (e) {
    return { ok: false, problem: e instanceof Error ? e.message : 'invalid policy' };
  }
  return { ok: true, document };
};
