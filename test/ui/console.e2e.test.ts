import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { Page, Response as PageResponse } from 'playwright-core';
import { CONSOLE_BUNDLE } from '../../src/interfaces/http/console/serve-console.js';
import { startTestServer, type ApiClient, type TestServer } from '../http/http-harness.js';
import { browserAvailable, eventually, launchChromium, seriousViolations, type Browser } from './chromium.js';

/**
 * The web console end to end: a real server (real SQLite, real HTTP), real Chromium driven by
 * playwright-core, the bundle `npm run build` made. Set STRONGROOM_SCREENSHOTS=docs to refresh the
 * README's screenshots (docs/console-*.png) while the tests run.
 */
const SECRETS = 2000;
const TARGET = 'payments/stripe-api-key';
const TARGET_VALUE = 'sk_live_console_e2e_7f3a';
const SCREENSHOTS = process.env.STRONGROOM_SCREENSHOTS;

const run = browserAvailable() ? describe : describe.skip;

/** Stores `count` secrets through the API, 50 requests at a time (group commit keeps it quick). */
const seed = async (client: ApiClient, count: number): Promise<void> => {
  const names = Array.from({ length: count }, (_, i) => `app/service-${String(i).padStart(5, '0')}/db-password`);
  for (let i = 0; i < names.length; i += 50) {
    const replies = await Promise.all(names.slice(i, i + 50).map((name, j) => client.post('/v1/envs/default/secrets', { name, value: `v-${i + j}`, tags: { team: 'apps' } })));
    const bad = replies.find((r) => r.status !== 201);
    if (bad) throw new Error(`seeding failed: ${bad.status} ${bad.text}`);
  }
};

const shoot = async (page: Page, name: string): Promise<void> => {
  if (SCREENSHOTS === undefined) return;
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOTS}/console-${name}.png`, fullPage: false });
};

run('the web console in Chromium', () => {
  let server: TestServer;
  let browser: Browser;
  let readOnlyToken: string;
  let limitedWriterToken: string;
  const cspReports: string[] = [];
  const urls: string[] = [];

  const pages: Page[] = [];
  const open = async (): Promise<Page> => {
    const page = await browser.page();
    pages.push(page);
    page.on('console', (m) => {
      if (/Content.Security.Policy/i.test(m.text())) cspReports.push(m.text());
    });
    page.on('request', (r) => urls.push(r.url()));
    return page;
  };

  const signIn = async (page: Page, token: string): Promise<void> => {
    await page.goto(`${server.server.url}/ui/`);
    await page.getByLabel('API token').fill(token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Secrets', level: 1 }).waitFor();
  };

  const expectAccessible = async (page: Page): Promise<void> => {
    expect(await seriousViolations(page)).toEqual([]);
  };

  beforeAll(async () => {
    if (!existsSync(`${CONSOLE_BUNDLE}/index.html`)) throw new Error(`no console bundle in ${CONSOLE_BUNDLE}: run npm run build first (npm test does)`);
    server = await startTestServer();
    const { client } = server;
    await seed(client, SECRETS);
    expect((await client.post('/v1/envs/default/secrets', { name: TARGET, value: TARGET_VALUE, tags: { team: 'payments' } })).status).toBe(201);
    expect((await client.put('/v1/policies/read-only', { document: { rules: [{ allow: ['list', 'describe', 'read'] }] } })).status).toBe(200);
    const created = await client.post('/v1/tokens', { principal: 'auditor-readonly', kind: 'person', policies: ['read-only'] });
    expect(created.status).toBe(201);
    readOnlyToken = created.json.token as string;
    const writerPolicy = { rules: [{ allow: ['list', 'describe', 'read'] }, { allow: ['update'], secrets: ['payments/**'] }] };
    expect((await client.put('/v1/policies/payments-writer', { document: writerPolicy })).status).toBe(200);
    const writer = await client.post('/v1/tokens', { principal: 'payments-writer', kind: 'service', policies: ['payments-writer'] });
    expect(writer.status).toBe(201);
    limitedWriterToken = writer.json.token as string;
    browser = await launchChromium();
  }, 300_000);

  // A failing step leaves its page open: keep a picture and the text of it for whoever reads the failure.
  afterEach(async () => {
    for (const page of pages.splice(0)) {
      if (page.isClosed()) continue;
      const name = expect.getState().currentTestName?.replace(/\W+/g, '-').slice(0, 80) ?? 'unknown';
      await page.screenshot({ path: `${tmpdir()}/console-failure-${name}.png` }).catch(() => undefined);
      console.warn(`page left open by a failed step (${tmpdir()}/console-failure-${name}.png):\n${(await page.innerText('body').catch(() => '')).slice(0, 3000)}`);
      await page.close();
    }
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it('serves the console under /ui with a strict CSP, no cookies, and refuses to be framed', async () => {
    const response = await fetch(`${server.server.url}/ui/`);
    expect(response.status).toBe(200);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(response.headers.get('set-cookie')).toBeNull();
    const html = await response.text();
    // No inline script or style, nothing from another origin.
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/<style|style=/);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect((await fetch(`${server.server.url}/ui`, { redirect: 'manual' })).headers.get('location')).toBe('/ui/');
  }, 180_000);

  it('signs in with a token kept in memory only, finds one secret among thousands, and pages without loading them all', async () => {
    const page = await open();
    await page.goto(`${server.server.url}/ui/`);
    await expectAccessible(page);
    await shoot(page, 'sign-in');
    await page.getByLabel('API token').fill('sr_not-a-real-token');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'token was not accepted' }).waitFor();

    await signIn(page, server.client.token);
    await page.getByRole('option', { name: `default (${SECRETS + 1} secrets)` }).waitFor({ state: 'attached' });
    await eventually(async () => expect(await page.locator('table.secrets caption').first().textContent()).toContain('Page 1: 50 secrets'));
    await page.getByRole('button', { name: 'Next page' }).click();
    await eventually(async () => expect(await page.locator('table.secrets caption').first().textContent()).toContain('Page 2: 50 secrets'));
    await expectAccessible(page);
    await shoot(page, 'secrets');

    await page.getByLabel('Name starts with').fill('payments/');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('link', { name: TARGET }).click();
    await page.getByRole('heading', { name: TARGET, level: 1 }).waitFor();
    // Nothing kept where it would outlive the tab: no cookie, nothing in local or session storage.
    expect(await page.evaluate('[document.cookie, localStorage.length, sessionStorage.length]')).toEqual(['', 0, 0]);

    // Signing out forgets the token: every page asks to sign in again.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('API token').waitFor();
    await page.goto(`${server.server.url}/ui/#/admin`);
    await page.getByLabel('API token').waitFor();
    expect(await page.getByRole('link', { name: 'Tokens & policies' }).count()).toBe(0);
    await page.close();
  }, 180_000);

  it('reveals a value only on request, as an audited no-store read that appears on the timeline live, then hides it', async () => {
    const page = await open();
    await signIn(page, server.client.token);
    await page.goto(`${server.server.url}/ui/#/secret/default/${TARGET}`);
    await page.getByRole('heading', { name: /Timeline of this secret/ }).waitFor();
    await page.locator('tr[data-type="SecretCreated"], tr[data-type="SecretStored"]').first().waitFor();
    await eventually(async () => expect(await page.locator('tr[data-type="SecretAccessed"]').count()).toBe(0));
    await eventually(async () => expect(await page.getByLabel(/Value of version/).count()).toBe(0));

    const read = page.waitForResponse((r: PageResponse) => r.url().includes(`/secrets/${encodeURIComponent(TARGET)}`) && r.request().method() === 'GET');
    await page.getByRole('button', { name: 'Reveal value (this read is recorded in the audit log)' }).click();
    expect((await read).headers()['cache-control']).toBe('no-store');
    await eventually(async () => expect(await page.getByLabel(/Value of version 1/).inputValue()).toBe(TARGET_VALUE));
    // The read's SecretAccessed event arrives over the live feed, without a reload.
    await page.locator('tr[data-type="SecretAccessed"]').first().waitFor();
    await expectAccessible(page);
    await shoot(page, 'secret');
    await page.getByRole('button', { name: 'Hide now' }).click();
    await eventually(async () => expect(await page.getByLabel(/Value of version/).count()).toBe(0));

    // A new version, then a rollback to the first: the stages follow.
    await page.getByLabel('New value').fill('second-value');
    await page.getByRole('button', { name: 'Save new version' }).click();
    await page.getByText('Saved as version 2.').waitFor();
    await page.getByLabel('Make current (promote or roll back)').selectOption('1');
    await page.getByRole('button', { name: 'Promote' }).click();
    await page.getByText('Version 1 is current.').waitFor();
    await eventually(async () => expect(await page.locator('dl.facts').textContent()).toContain('current: v1, previous: v2'));
    await page.close();
  }, 180_000);

  it('shows the whole audit timeline live, with refusals highlighted and filters', async () => {
    const page = await open();
    await signIn(page, server.client.token);
    await page.getByRole('link', { name: 'Audit timeline' }).click();
    await page.getByRole('heading', { name: 'Audit timeline' }).waitFor();
    await page.getByText(/Live feed: connected/).waitFor();
    const firstShown = async (): Promise<number> => Number(/log positions (\d+) on/.exec((await page.locator('table.timeline caption').textContent()) ?? '')?.[1]);
    // The button is enabled once the recent history is in; only then is the first position shown settled.
    await page.waitForSelector('button:has-text("Load 500 earlier events"):enabled');
    await eventually(async () => expect(await firstShown()).toBeGreaterThan(1));
    const before = await firstShown();
    await page.getByRole('button', { name: 'Load 500 earlier events' }).click();
    await eventually(async () => expect(await firstShown()).toBe(Math.max(1, before - 500)));
    // Another client's refused read and a failed authentication, arriving while the page is open.
    expect((await server.client.as(readOnlyToken).put(`/v1/envs/default/secrets/${encodeURIComponent(TARGET)}`, { value: 'nope' })).status).toBe(403);
    expect((await server.client.get('/v1/envs', { token: 'sr_wrong' })).status).toBe(401);
    await page.locator('tr.refused[data-type="AccessDenied"]').first().waitFor();
    await page.getByLabel('Outcome').selectOption('refused');
    await eventually(async () => expect(await page.locator('table.timeline tbody tr:not(.refused)').count()).toBe(0));
    await eventually(async () => expect(await page.locator('tr.refused').first().textContent()).toContain('refused'));
    await expectAccessible(page);
    await shoot(page, 'timeline');
    await page.close();
  }, 180_000);

  it('does not offer a read-only token what it may not do, and explains a 403 when the server still refuses', async () => {
    const page = await open();
    await signIn(page, readOnlyToken);
    // No audit or admin capability (DescribeCaller at sign-in): neither the timeline nor tokens are offered.
    await eventually(async () => expect(await page.getByRole('link', { name: 'Audit timeline' }).count()).toBe(0));
    expect(await page.getByRole('link', { name: 'Tokens & policies' }).count()).toBe(0);
    expect(await page.getByRole('link', { name: 'Integrity' }).count()).toBe(0);
    // Nor is the live feed opened: signing in records no refusal of the audit trail.
    await page.getByText('Live feed: not available to this token').waitFor();
    const events = await server.server.strongroom.runtime.store.readAll({ maxCount: 100_000 });
    expect(events.filter((e) => e.type === 'AccessDenied' && e.metadata.actor === 'auditor-readonly' && (e.data as { useCase?: string }).useCase === 'GetAuditTrail')).toHaveLength(0);
    await page.goto(`${server.server.url}/ui/#/secret/default/${TARGET}`);
    await page.getByRole('heading', { name: TARGET, level: 1 }).waitFor();
    // Reading is allowed, so it is offered; rotating, deleting and writing are not, before any attempt.
    await eventually(async () => expect(await page.getByRole('button', { name: /Reveal value/ }).count()).toBe(1));
    expect(await page.getByRole('button', { name: /Rotate/ }).count()).toBe(0);
    expect(await page.getByRole('button', { name: /Delete/ }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Save new version' }).count()).toBe(0);
    await expectAccessible(page);
    await shoot(page, 'denied');
    await page.goto(`${server.server.url}/ui/#/admin`);
    await page.getByRole('alert').filter({ hasText: 'Access denied (403)' }).first().waitFor();
    await page.close();

    // The fallback: a token that may update payments/** only is offered "Save new version" in the
    // environment (the server decides per secret), is refused on another secret, and sees why.
    const writer = await open();
    await signIn(writer, limitedWriterToken);
    await writer.goto(`${server.server.url}/ui/#/secret/default/app/service-00001/db-password`);
    await writer.getByLabel('New value').fill('attempt');
    await writer.getByRole('button', { name: 'Save new version' }).click();
    const denied = writer.getByRole('alert').filter({ hasText: 'may not update' });
    await denied.waitFor();
    expect(await denied.textContent()).toContain('Access denied (403)');
    await eventually(async () => expect(await writer.getByRole('button', { name: 'Save new version' }).count()).toBe(0));
    await expectAccessible(writer);
    await writer.close();
  }, 180_000);

  it('creates a token (shown once) and revokes it', async () => {
    const page = await open();
    await signIn(page, server.client.token);
    await page.getByRole('link', { name: 'Tokens & policies' }).click();
    await page.getByLabel('Principal').fill('ci-deployer');
    await page.getByLabel('Policies (comma-separated)').fill('read-only');
    await page.getByRole('button', { name: 'Create token' }).click();
    const shown = page.getByLabel('New token');
    await shown.waitFor();
    const token = await shown.inputValue();
    expect((await server.client.get('/v1/envs', { token })).status).toBe(200);
    await expectAccessible(page);
    await shoot(page, 'tokens');
    await page.getByRole('button', { name: 'I have copied it' }).click();
    await eventually(async () => expect(await page.getByLabel('New token').count()).toBe(0));
    await page.getByRole('button', { name: 'Revoke the token of ci-deployer' }).click();
    await page.getByText('Token of ci-deployer revoked').waitFor();
    expect((await server.client.get('/v1/envs', { token })).status).toBe(401);

    // The what-if replay of a narrowed read-only policy: a read its holder made would be refused.
    expect((await server.client.as(readOnlyToken).get(`/v1/envs/default/secrets/${encodeURIComponent(TARGET)}`)).status).toBe(200);
    await page.getByLabel('Policy name').fill('read-only');
    // The policy's own document (a new policy's template reads the same): wait for it to load. An edit
    // made before it arrives is kept anyway (the console does not overwrite what the user typed).
    await page.getByText('History of read-only').waitFor();
    await page.getByLabel('Document (JSON)').fill('{"rules":[{"allow":["list","describe"]}]}');
    await eventually(async () => expect(await page.getByRole('button', { name: 'Save policy' }).isDisabled()).toBe(true));
    await page.getByRole('button', { name: 'Run what-if replay' }).click();
    await page.getByText(/\d+ of the \d+ recorded actions through log position \d+ would be refused/).waitFor({ timeout: 120_000 });
    const row = page.locator('table.what-if tbody tr').filter({ hasText: TARGET });
    await row.waitFor();
    expect(await row.textContent()).toContain('read');
    expect(await page.locator('table.what-if th[scope="rowgroup"]').filter({ hasText: 'auditor-readonly' }).count()).toBe(1);
    await expectAccessible(page);
    await page.locator('table.what-if').scrollIntoViewIfNeeded();
    await shoot(page, 'policy-what-if');

    // A policy edit is checked as the server checks it, and replayed, before it can be saved.
    await page.getByLabel('Policy name').fill('console-edited');
    await page.getByLabel('Document (JSON)').fill('{"rules":[{"allow":["fly"]}]}');
    await page.getByText(/capabilities are/).waitFor();
    await eventually(async () => expect(await page.getByRole('button', { name: 'Save policy' }).isDisabled()).toBe(true));
    await page.getByLabel('Document (JSON)').fill('{"rules":[{"allow":["list"],"environments":["default"]}]}');
    await eventually(async () => expect(await page.getByRole('button', { name: 'Save policy' }).isDisabled()).toBe(true));
    await page.getByRole('button', { name: 'Run what-if replay' }).click();
    await page.getByText(/None of the \d+ recorded actions/).waitFor({ timeout: 120_000 });
    await page.getByRole('button', { name: 'Save policy' }).click();
    await page.getByText('Policy console-edited saved as version 1.').waitFor();
    await page.close();
  }, 180_000);

  it('starts a data-key rotation and follows its progress live to completion', async () => {
    const page = await open();
    await signIn(page, server.client.token);
    await page.getByRole('link', { name: 'Rotations' }).click();
    await page.getByRole('heading', { name: 'Rotations', level: 1 }).waitFor();
    await page.getByText(/Live feed: connected/).waitFor();
    await page.getByRole('button', { name: 'Rotate data key' }).click();
    // The count comes from the live feed's SecretReEncrypted events; the completion note from the API's answer.
    await page.getByText(`${SECRETS + 1} re-encrypted of about ${SECRETS + 1}`).waitFor({ timeout: 240_000 });
    await page.getByText(`Rotation completed: ${SECRETS + 1} secrets re-encrypted, 0 failed.`).waitFor();
    expect(await page.locator('#rotation-progress').getAttribute('value')).toBe('100');
    await expectAccessible(page);
    await shoot(page, 'rotation');
    await page.close();
  }, 300_000);

  it('shows the chain verified up to the head', async () => {
    const page = await open();
    await signIn(page, server.client.token);
    await page.getByRole('link', { name: 'Integrity' }).click();
    await page.getByText(/The chain is intact: \d+ events verified through log position \d+/).waitFor();
    // Sign a checkpoint on demand; the page then shows it as the last one.
    await page.getByRole('button', { name: 'Sign a checkpoint now' }).click();
    await page.getByText(/Checkpoint \d+ signed at \S+ covers the log through position \d+/).waitFor({ timeout: 60_000 });
    // The auditor's export: a .jsonl file built in the browser from the SDK's answer.
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 120_000 }), page.getByRole('button', { name: 'Export the audit log' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^strongroom-audit-.+\.jsonl$/);
    const file = await download.path();
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(lines.length).toBeGreaterThan(SECRETS);
    const parsed = lines.map((l) => JSON.parse(l) as { position?: number; type?: string });
    expect(parsed.some((e) => e.type === 'AuditCheckpointSigned')).toBe(true);
    expect(readFileSync(file, 'utf8')).not.toContain(TARGET_VALUE);
    await page.getByText(`Exported ${lines.length} lines for the auditor.`).waitFor();
    await expectAccessible(page);
    await shoot(page, 'integrity');
    await page.close();
  }, 180_000);

  it('broke no CSP rule and never put the token in a URL', () => {
    expect(cspReports).toEqual([]);
    expect(urls.length).toBeGreaterThan(20);
    for (const url of urls) {
      expect(url).not.toContain(server.client.token);
      expect(url).not.toContain(readOnlyToken);
      expect(url).not.toContain(limitedWriterToken);
    }
  });
});
