/**
 * Test harness: Debian's headless Chromium driven by puppeteer-core (which downloads no browser).
 * Each launch gets a fresh, temporary profile and no background networking, so a test run makes
 * no request beyond 127.0.0.1.
 *
 * If Chromium is missing, {@link requireChromium} fails loudly under `CI=true` and otherwise
 * prints a notice and skips the calling suite (`.ci/run` installs it: `apt-get install -y chromium`).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';

const CANDIDATE_PATHS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/lib/chromium/chromium'];

/** The flags every launch uses (besides a fresh --user-data-dir). */
export const CHROMIUM_FLAGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

let cachedPath: string | null | undefined;

/**
 * The Chromium executable, or undefined when it is not installed. `CHROMIUM` overrides the search.
 *
 * @example
 * if (chromiumPath() === undefined) console.warn('no chromium');
 */
export function chromiumPath(): string | undefined {
  if (cachedPath === undefined) {
    const chosen = process.env.CHROMIUM;
    const candidates = chosen !== undefined && chosen !== '' ? [chosen] : CANDIDATE_PATHS;
    cachedPath = candidates.find((p) => spawnSync(p, ['--version'], { stdio: 'ignore', timeout: 20_000 }).status === 0) ?? null;
  }
  return cachedPath ?? undefined;
}

/**
 * Call first in a suite's `before`: skips it with a printed notice when Chromium is missing, and
 * fails it under `CI=true`.
 *
 * @example
 * before(function () { requireChromium(this); });
 */
export function requireChromium(context: Mocha.Context): void {
  if (chromiumPath() !== undefined) return;
  const reason = 'Chromium is not installed (apt-get install -y chromium, or set CHROMIUM to its path)';
  if (process.env.CI === 'true') throw new Error(`${reason}; it is required under CI`);
  console.warn(`\n  !!! SKIPPING browser suite "${context.test?.parent?.fullTitle() ?? ''}": ${reason}\n`);
  context.skip();
}

/** A launched browser and how to dispose of it (closes it, removes its profile). */
export interface LaunchedChromium {
  readonly browser: Browser;
  close(): Promise<void>;
}

/**
 * Launch headless Chromium with a fresh profile.
 *
 * @example
 * const { browser, close } = await launchChromium();
 */
export async function launchChromium(): Promise<LaunchedChromium> {
  const executablePath = chromiumPath();
  if (executablePath === undefined) throw new Error('Chromium is not installed');
  const profile = mkdtempSync(path.join(tmpdir(), 'explorer-chromium-'));
  const browser = await puppeteer.launch({
    executablePath,
    headless: true,
    args: [...CHROMIUM_FLAGS, `--user-data-dir=${profile}`],
    timeout: 60_000,
  });
  return {
    browser,
    close: async () => {
      try {
        await browser.close();
      } finally {
        rmSync(profile, { recursive: true, force: true });
      }
    },
  };
}
