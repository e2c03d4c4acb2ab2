/**
 * Browser tests run in Debian's Chromium (CHROMIUM_PATH or /usr/bin/chromium), driven by
 * playwright-core. Missing Chromium fails in CI (CI is set) and skips elsewhere, with a note.
 */
import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import { describe } from 'vitest';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const HAS_CHROMIUM = existsSync(CHROMIUM_PATH);
const IN_CI = Boolean(process.env.CI);

/**
 * `describe` for a browser suite: skipped where Chromium is missing, except in CI, where the suite
 * runs and `launchChromium` fails it.
 */
export function browserSuite(label: string): typeof describe | ReturnType<typeof describe.skipIf> {
  if (HAS_CHROMIUM || IN_CI) return describe;
  console.warn(
    `[${label}] Chromium is missing at ${CHROMIUM_PATH}: the browser tests are skipped. ` +
      'Install it (apt-get install chromium) or set CHROMIUM_PATH.',
  );
  return describe.skipIf(true);
}

/** Headless Chromium without the background connections this machine's closed network refuses. */
export async function launchChromium(): Promise<Browser> {
  if (!HAS_CHROMIUM) {
    throw new Error(
      `CI is set but Chromium is missing at ${CHROMIUM_PATH}: install it (apt-get install chromium) or set CHROMIUM_PATH.`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
