import sparticuzChromium from '@sparticuz/chromium';
import { type Browser, chromium } from 'playwright-core';

/** Flags for a Chromium named by CHROMIUM_PATH (for example a distribution's /usr/bin/chromium). */
const CHROMIUM_PATH_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];

/** Playwright gives up (and kills the browser) before a suite's 60 s beforeAll timeout. */
const LAUNCH_TIMEOUT_MS = 30_000;

export interface BrowserBinary {
  readonly executablePath: string;
  readonly args: readonly string[];
  readonly source: 'CHROMIUM_PATH' | '@sparticuz/chromium';
}

/**
 * The Chromium the browser suites drive: CHROMIUM_PATH when set (with the flags above), otherwise
 * the headless Chromium that `npm install` brought with @sparticuz/chromium, extracted to
 * <tmpdir>/chromium on first use (about 1.5 s, once per machine) and launched with its own flags.
 */
export async function browserBinary(): Promise<BrowserBinary> {
  const ownPath = process.env.CHROMIUM_PATH?.trim();
  if (ownPath)
    return { executablePath: ownPath, args: CHROMIUM_PATH_ARGS, source: 'CHROMIUM_PATH' };
  return {
    executablePath: await sparticuzChromium.executablePath(),
    args: sparticuzChromium.args,
    source: '@sparticuz/chromium',
  };
}

/**
 * Extracts the bundled Chromium once, before Jest starts its workers, so browser suites running in
 * parallel never race to write (or start) a half-written binary. Called from the global setup.
 */
export async function prepareBrowser(): Promise<void> {
  await browserBinary();
}

function hintFor(binary: BrowserBinary, message: string): string {
  if (/error while loading shared libraries/.test(message)) {
    return (
      'The browser binary is missing a system library (the bundled Chromium links against NSS: ' +
      'on Debian/Ubuntu `apt-get install libnss3`).'
    );
  }
  if (binary.source === 'CHROMIUM_PATH') {
    return 'CHROMIUM_PATH must name a Chromium or Chrome binary (unset it to use the bundled one).';
  }
  return (
    `If ${binary.executablePath} was left half-written by an interrupted run (or belongs to ` +
    'another user), delete it and run the tests again; set CHROMIUM_PATH to use another binary.'
  );
}

/** Launches the test browser; callers close it in afterAll (`await closeAll(browser, t)`). */
export async function launchBrowser(): Promise<Browser> {
  const binary = await browserBinary();
  try {
    return await chromium.launch({
      executablePath: binary.executablePath,
      args: [...binary.args],
      timeout: LAUNCH_TIMEOUT_MS,
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(
      `Could not launch the test browser ${binary.executablePath} (from ${binary.source}): ` +
        `${message}\n${hintFor(binary, message)}`,
      { cause: error },
    );
  }
}
