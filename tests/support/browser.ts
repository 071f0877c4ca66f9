/**
 * Debian's Chromium driven by playwright-core (nothing downloaded: the executable comes from the
 * `chromium` package that .ci/run installs). Screenshots go to tests/artifacts/.
 */
import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type LaunchOptions } from 'playwright-core';

export const ARTIFACTS = path.join(__dirname, '..', 'artifacts');

const findChromium = () =>
  ([process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean) as string[]).find((candidate) =>
    existsSync(candidate)
  );

/**
 * Browser tests run where Chromium is (always in CI, whose .ci/run installs it) and are skipped,
 * saying so, on a machine with only Node and npm.
 */
export const describeInBrowser: jest.Describe = findChromium() || process.env.CI ? describe : (describe.skip as jest.Describe);
if (!findChromium() && !process.env.CI) {
  console.warn('Chromium not found: browser tests skipped (apt-get install chromium, or set CHROMIUM_PATH)');
}

export const chromiumPath = () => {
  const found = findChromium();
  if (!found) throw new Error("Chromium not found: install Debian's `chromium` package (.ci/run does) or set CHROMIUM_PATH");
  return found;
};

export const launchBrowser = (extraArgs: string[] = [], options: LaunchOptions = {}): Promise<Browser> => {
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: chromiumPath(),
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...extraArgs,
    ],
    ...options,
  });
};

/** A path in tests/artifacts/, which a fresh clone does not have yet. */
export const artifact = (name: string) => {
  mkdirSync(ARTIFACTS, { recursive: true });
  return path.join(ARTIFACTS, name);
};
