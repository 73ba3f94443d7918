import { createHash } from 'node:crypto';
import { CreateToken } from '../src/access/commands/create-token/create-token.use-case.js';
import { SetPolicy } from '../src/access/commands/set-policy/set-policy.use-case.js';
import { TokenAuthenticator } from '../src/access/token-authenticator.js';
import type { Principal } from '../src/kernel/caller.js';
import { GetSecret } from '../src/secrets/queries/get-secret/get-secret.use-case.js';
import { concurrently, openAt, storeMany, withHome } from './strongroom.bench.js';

const CALLERS = 64;

/** A policy of `rules` rules in which only the last one allows the benchmark's reads: the worst case to scan. */
const bigPolicy = (rules: number): object => ({
  rules: [
    ...Array.from({ length: rules - 2 }, (_, k) => ({ allow: ['read', 'list'], secrets: [`team-${k}/**`], environments: ['prod', 'staging'] })),
    { deny: ['read'], secrets: ['s-*/admin/**'] },
    { allow: ['read'], secrets: ['s-*'] },
  ],
});

export interface PolicyFigures {
  /** Audited reads/s by a token holding one policy of `rules` rules. */
  readonly manyRules: number;
  /** The same reads by a token whose policy is one allow-all rule, in the same run. */
  readonly oneRule: number;
}

/**
 * Audited GetSecret through the whole pipeline (gate included) as two token principals on one store:
 * one whose policy has `rules` rules (the one that allows the read last), one with a single allow rule.
 * Runs alternate so neither always gets the warmer process.
 */
export const benchPolicyReads = (secrets: number, reads: number, rules: number): Promise<PolicyFigures> =>
  withHome(async (home) => {
    const s = await openAt(home);
    try {
      const { ids } = await storeMany(s, secrets);
      await s.execute(SetPolicy, { name: 'many', document: bigPolicy(rules) });
      await s.execute(SetPolicy, { name: 'one', document: { rules: [{ allow: ['read'] }] } });
      const principal = async (policy: string): Promise<Principal> =>
        s.authenticate((await s.execute(CreateToken, { principal: `bench-${policy}`, policies: [policy] })).token);
      const many = await principal('many');
      const one = await principal('one');
      const reader = (p: Principal) => (i: number) => s.execute(GetSecret, { ref: ids[i % secrets] }, s.caller(p));
      await concurrently(CALLERS, secrets, reader(many));
      await concurrently(CALLERS, secrets, reader(one));
      global.gc?.();
      const oneRule = await concurrently(CALLERS, reads, reader(one));
      global.gc?.();
      const manyRules = await concurrently(CALLERS, reads, reader(many));
      return { manyRules, oneRule };
    } finally {
      await s.close();
    }
  });

/**
 * What authenticating a request costs: TokenAuthenticator.authenticate (parse, find by id, SHA-256,
 * constant-time compare, expiry) per call, beside a bare SHA-256 of the same token text.
 */
export const benchTokenCheck = (checks: number): Promise<{ authenticate: number; sha256: number }> =>
  withHome(async (home) => {
    const s = await openAt(home);
    try {
      await s.execute(SetPolicy, { name: 'one', document: { rules: [{ allow: ['read'] }] } });
      const { token } = await s.execute(CreateToken, { principal: 'bench', policies: ['one'] });
      const authenticator = s.app.get(TokenAuthenticator);
      const presented = { token, interface: 'http' as const, client: null };
      for (let i = 0; i < 10_000; i++) authenticator.authenticate(presented);
      let t0 = process.hrtime.bigint();
      for (let i = 0; i < checks; i++) authenticator.authenticate(presented);
      const authenticate = Number(process.hrtime.bigint() - t0) / 1e3 / checks;
      t0 = process.hrtime.bigint();
      for (let i = 0; i < checks; i++) createHash('sha256').update(token).digest();
      const sha256 = Number(process.hrtime.bigint() - t0) / 1e3 / checks;
      return { authenticate, sha256 };
    } finally {
      await s.close();
    }
  });
