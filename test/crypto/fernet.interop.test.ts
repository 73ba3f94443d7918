import { spawnSync } from 'node:child_process';
import fernetPackage from 'fernet';
import { fernetDecrypt, fernetEncrypt, generateFernetKey, parseFernetKey } from '../../src/crypto/fernet.js';

/** Our tokens against independent implementations: the npm `fernet` package and Python's `cryptography`. */
type FernetPackage = {
  Secret: new (key: string) => unknown;
  Token: new (opts: { secret: unknown; token?: string; ttl?: number }) => { encode(message: string): string; decode(token?: string): string };
};
const npmFernet = fernetPackage as unknown as FernetPackage;

const python = (script: string, input: object): { ok: boolean; out: string } => {
  const r = spawnSync('python3', ['-c', script], { input: JSON.stringify(input), encoding: 'utf8' });
  return { ok: r.status === 0, out: r.stdout.trim() };
};
const hasPythonCryptography = spawnSync('python3', ['-c', 'import cryptography.fernet'], { encoding: 'utf8' }).status === 0;

const samples = ['', 'hello', 'ünïcødé ✓', 'x'.repeat(1000)];

describe('Fernet interoperability: npm fernet package', () => {
  it.each(samples)('npm fernet reads our token and we read its token (%#)', (message) => {
    const keyText = generateFernetKey();
    const key = parseFernetKey(keyText);
    const secret = new npmFernet.Secret(keyText);
    expect(new npmFernet.Token({ secret, token: fernetEncrypt(key, message), ttl: 0 }).decode()).toBe(message);
    const theirs = new npmFernet.Token({ secret }).encode(message);
    expect(fernetDecrypt(key, theirs).toString('utf8')).toBe(message);
  });
});

if (!hasPythonCryptography) {
  console.warn('SKIPPED: Python interoperability — python3 with the `cryptography` package is not available here');
}
(hasPythonCryptography ? describe : describe.skip)("Fernet interoperability: Python's cryptography", () => {
  it.each(samples)('Python reads our token and we read its token (%#)', (message) => {
    const keyText = generateFernetKey();
    const key = parseFernetKey(keyText);
    const decrypt = python(
      'import json,sys\nfrom cryptography.fernet import Fernet\nd=json.load(sys.stdin)\nsys.stdout.write(Fernet(d["key"].encode()).decrypt(d["token"].encode()).decode())',
      { key: keyText, token: fernetEncrypt(key, message) },
    );
    expect(decrypt).toEqual({ ok: true, out: message.trim() });
    const encrypt = python(
      'import json,sys\nfrom cryptography.fernet import Fernet\nd=json.load(sys.stdin)\nsys.stdout.write(Fernet(d["key"].encode()).encrypt(d["msg"].encode()).decode())',
      { key: keyText, msg: message },
    );
    expect(encrypt.ok).toBe(true);
    expect(fernetDecrypt(key, encrypt.out).toString('utf8')).toBe(message);
  });
});
