import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Debian's chromium package (.ci/run installs it when missing). */
export const CHROMIUM = '/usr/bin/chromium';

/**
 * Whether the browser tests run: always when Chromium is installed; without it they are skipped with a
 * visible message on a developer's machine, and fail under CI=true (CI must have the browser).
 */
export const browserAvailable = (): boolean => {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.CI === 'true' || process.env.CI === '1') throw new Error(`${CHROMIUM} is missing: CI must install Debian's chromium package (.ci/run does)`);
  console.warn(`SKIPPED: the web console's browser tests need ${CHROMIUM} (apt-get install -y chromium)`);
  return false;
};

/** The flags the issue asks for; a fresh profile directory is given by launchPersistentContext. */
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic'];

export interface Browser {
  readonly context: BrowserContext;
  /** A new tab. */
  page(): Promise<Page>;
  close(): Promise<void>;
}

/** Real Chromium in a fresh, throw-away profile (`--user-data-dir`, removed on close). */
export const launchChromium = async (): Promise<Browser> => {
  const profile = mkdtempSync(join(tmpdir(), 'strongroom-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport: { width: 1280, height: 860 },
    timeout: 120_000,
  });
  context.setDefaultTimeout(60_000);
  return {
    context,
    page: () => context.newPage(),
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
};

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly nodes: readonly { readonly target: readonly unknown[] }[];
}

/**
 * axe-core's serious and critical violations on the page as it is now. axe is evaluated through the
 * DevTools protocol, not added as a script tag: the console's CSP refuses inline scripts, as it should.
 */
export const seriousViolations = async (page: Page): Promise<AxeViolation[]> => {
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(context: unknown, options: unknown): Promise<{ violations: AxeViolation[] }> } }).axe;
    return (await axe.run((globalThis as unknown as { document: unknown }).document, { resultTypes: ['violations'] })).violations;
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
};

/**
 * Retries `check` (an assertion) until it passes or `timeoutMs` has gone by, then throws its last
 * failure: pages update asynchronously, so a check of what a page shows must wait for it.
 */
export const eventually = async (check: () => Promise<void>, timeoutMs = 60_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
};
