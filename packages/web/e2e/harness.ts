/**
 * What every browser test needs: the web app built (once, and again only when its
 * sources changed), a real Parley server on a fresh SQLite database serving that build,
 * and the system's Chromium driven by playwright-core (which never downloads browsers).
 * Without Chromium the suites are skipped with a message — unless
 * PARLEY_TEST_REQUIRE_SERVICES=1, as in CI, where that is a failure.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createParleyClient, type ParleyClient } from '@parley/sdk';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { loadConfig } from '../../server/src/config.js';
import { createParleyServer, type ParleyServer } from '../../server/src/server.js';
import { CHEAP_PASSWORD_HASHING, createTestDatabase, startTestServer, type TestServer } from '../../server/src/test/test-server.js';

export const CHROMIUM_PATH = process.env.PARLEY_CHROMIUM_PATH ?? '/usr/bin/chromium';
const REQUIRE_SERVICES = process.env.PARLEY_TEST_REQUIRE_SERVICES === '1';

const WEB_ROOT = fileURLToPath(new URL('..', import.meta.url));
const PACKAGES = path.dirname(WEB_ROOT);
export const WEB_DIST = path.join(WEB_ROOT, 'dist');
const BUILD_INPUTS = [
  path.join(WEB_ROOT, 'index.html'),
  path.join(WEB_ROOT, 'vite.config.ts'),
  path.join(WEB_ROOT, 'package.json'),
  path.join(WEB_ROOT, 'build'),
  path.join(WEB_ROOT, 'public'),
  path.join(WEB_ROOT, 'src'),
  path.join(PACKAGES, 'sdk', 'src'),
  path.join(PACKAGES, 'protocol', 'src'),
];
const BUILD_LOCK = path.join(os.tmpdir(), `parley-web-build-${Buffer.from(WEB_ROOT).toString('base64url').slice(-24)}.lock`);

export const VIEWPORTS = {
  desktop: { width: 1280, height: 800 },
  phone: { width: 390, height: 844 },
} as const;

function chromiumAvailable(): boolean {
  if (fs.existsSync(CHROMIUM_PATH)) return true;
  const message = `Chromium is not installed at ${CHROMIUM_PATH} (apt-get install -y chromium)`;
  if (REQUIRE_SERVICES) throw new Error(`${message}, and PARLEY_TEST_REQUIRE_SERVICES=1 requires it`);
  console.warn(`[parley tests] ${message}: skipping the browser tests`);
  return false;
}

export const CHROMIUM_AVAILABLE = chromiumAvailable();

function newestModification(entry: string): number {
  if (!fs.existsSync(entry)) return 0;
  const stat = fs.statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const child of fs.readdirSync(entry)) newest = Math.max(newest, newestModification(path.join(entry, child)));
  return newest;
}

function buildIsCurrent(): boolean {
  const built = path.join(WEB_DIST, 'index.html');
  if (!fs.existsSync(built)) return false;
  return fs.statSync(built).mtimeMs >= Math.max(...BUILD_INPUTS.map(newestModification));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Builds the app if dist/ is missing or older than its sources. Test files run in
 * parallel processes, so a lock directory makes one of them build while the others wait.
 */
export async function ensureWebBuild(): Promise<string> {
  for (;;) {
    if (buildIsCurrent()) return WEB_DIST;
    try {
      fs.mkdirSync(BUILD_LOCK);
    } catch {
      // Another process is building; a lock older than two minutes was left by a crash.
      const age = Date.now() - (fs.statSync(BUILD_LOCK, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 120_000) fs.rmSync(BUILD_LOCK, { recursive: true, force: true });
      await sleep(250);
      continue;
    }
    try {
      if (!buildIsCurrent()) {
        const vite = path.join(path.dirname(createRequire(import.meta.url).resolve('vite/package.json')), 'bin', 'vite.js');
        // Vitest sets NODE_ENV=test, which would make Vite bundle React's development build:
        // bigger than the budget allows, and not what people run.
        await promisify(execFile)(process.execPath, [vite, 'build', '--logLevel', 'warn'], {
          cwd: WEB_ROOT,
          env: { ...process.env, NODE_ENV: 'production' },
        });
      }
      return WEB_DIST;
    } finally {
      fs.rmSync(BUILD_LOCK, { recursive: true, force: true });
    }
  }
}

// Tests sign in many times from one address; the throttle is tested elsewhere.
const APP_ENV = { LOGIN_ACCOUNT_MAX_FAILURES: '1000', LOGIN_IP_MAX_FAILURES: '10000', ...CHEAP_PASSWORD_HASHING };

/** A Parley server on a fresh database, serving the built app. */
export async function startAppServer(env: Record<string, string> = {}): Promise<TestServer> {
  const webDir = await ensureWebBuild();
  return startTestServer('sqlite', { WEB_DIR: webDir, ...APP_ENV, ...env });
}

/** A server that can be stopped and started again on the same port and database: "the server went away". */
export interface RestartableServer {
  url: string;
  client(): ParleyClient;
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

export async function startRestartableAppServer(extraEnv: Record<string, string> = {}): Promise<RestartableServer> {
  const webDir = await ensureWebBuild();
  const database = await createTestDatabase('sqlite');
  const env = { HOST: '127.0.0.1', LOG_LEVEL: 'silent', WEB_DIR: webDir, ...APP_ENV, ...extraEnv, ...database.env };
  let server: ParleyServer | null = await createParleyServer(loadConfig({ ...env, PORT: '0' }));
  const url = await server.listen();
  const port = new URL(url).port;
  return {
    url,
    client: () => createParleyClient({ baseUrl: url }),
    async stop() {
      await server?.close();
      server = null;
    },
    async start() {
      server = await createParleyServer(loadConfig({ ...env, PORT: port }));
      await server.listen();
    },
    async close() {
      await server?.close();
      await database.drop();
    },
  };
}

/** `extraArgs`: e.g. Chromium's fake camera and microphone for recording tests. */
export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
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
  });
}

const openPages = new Set<Page>();

/**
 * For an afterEach hook: when the test failed, a picture of every page still open goes
 * to test-results/failures, named after the test, so a failure can be seen, not guessed.
 */
export async function screenshotOnFailure(context: { task: { name: string; result?: { state?: string } } }) {
  const pages = [...openPages].filter((page) => !page.isClosed());
  openPages.clear();
  if (context.task.result?.state !== 'fail') return;
  const dir = path.join(WEB_ROOT, '..', '..', 'test-results', 'failures');
  fs.mkdirSync(dir, { recursive: true });
  const name = context.task.name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60);
  await Promise.all(pages.map((page, i) => page.screenshot({ path: path.join(dir, `${name}-${i}.png`) }).catch(() => undefined)));
}

/** Uncaught script errors and console errors (a CSP violation, say) in any page; each suite asserts there were none. */
export const pageErrors: Error[] = [];

export interface OpenOptions {
  viewport?: keyof typeof VIEWPORTS;
  colorScheme?: 'light' | 'dark';
  /** A touch screen (phones): taps and long presses, no hover. */
  touch?: boolean;
}

/** A fresh browser profile (its own cookies and storage: one "device") on the server. */
export async function openDevice(
  browser: Browser,
  ts: Pick<TestServer, 'url'>,
  options: OpenOptions = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    baseURL: ts.url,
    viewport: VIEWPORTS[options.viewport ?? 'desktop'],
    colorScheme: options.colorScheme ?? 'light',
    locale: 'en-US',
    timezoneId: 'UTC',
    deviceScaleFactor: 1,
    hasTouch: options.touch ?? false,
  });
  // Fail a step within the test's own timeout, naming the locator that never showed up.
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  openPages.add(page);
  page.on('pageerror', (error) => pageErrors.push(error));
  page.on('console', (message) => {
    // The browser logs every 4xx answer (such as 401 before signing in); those are expected.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) pageErrors.push(new Error(message.text()));
  });
  return { context, page };
}

let sequence = 0;
/** Names no other test uses, and a password the policy accepts. */
export function newAccount(prefix = 'web') {
  sequence += 1;
  const suffix = `${sequence}${Math.random().toString(36).slice(2, 8)}`;
  const username = `${prefix}_${suffix}`.slice(0, 32);
  return { username, email: `${username}@example.org`, password: `correct horse ${suffix}` };
}

export type Account = ReturnType<typeof newAccount>;

/** Creates the account through the API and signs that client out again (for tests about something other than signing up). */
export async function registerAccount(ts: Pick<TestServer, 'client'>, account: Account = newAccount()): Promise<Account> {
  const client = ts.client();
  await client.auth.register({ email: account.email, username: account.username, password: account.password });
  await client.auth.logout();
  return account;
}

export async function signIn(page: Page, login: string, password: string) {
  await page.goto('/signin');
  await page.getByLabel('Username or email').fill(login);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Chats' }).waitFor();
}

export async function openSettings(page: Page) {
  await page.getByRole('button', { name: 'Account menu' }).click();
  await page.getByRole('menuitem', { name: 'Settings', exact: true }).click();
  await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
}

// ---- Conversations ----

/** Signs up through the form (the fresh account lands in the empty app). */
/** Fills in the sign-up form and submits it. */
export async function submitSignUp(page: Page, account: Account) {
  await page.goto('/signup');
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Username').fill(account.username);
  await page.getByLabel('Password', { exact: true }).fill(account.password);
  await page.getByText(`@${account.username} is available`).waitFor();
  await page.getByRole('button', { name: 'Create account' }).click();
}

export async function signUpInBrowser(page: Page, account: Account) {
  await submitSignUp(page, account);
  await page.getByRole('heading', { name: 'Chats' }).waitFor();
}

/** Sets a display name through the API (the sign-up form has none); the signed-in page hears of it live. */
export async function setDisplayName(ts: Pick<TestServer, 'client'>, account: Account, displayName: string) {
  const client = ts.client();
  await client.auth.login({ login: account.username, password: account.password });
  await client.users.updateMe({ displayName });
  await client.auth.logout();
}

/** A registered person with a display name and an API client signed in as them. */
export async function signedInPerson(ts: Pick<TestServer, 'client'>, prefix: string, displayName: string) {
  const account = await registerAccount(ts, newAccount(prefix));
  await setDisplayName(ts, account, displayName);
  const client = ts.client();
  const { user } = await client.auth.login({ login: account.username, password: account.password });
  return { account, client, user };
}

/** Opens one entry of the "New chat" menu. */
export async function newChatMenu(page: Page, item: 'New message' | 'New group' | 'Browse rooms' | 'New room') {
  await page.getByRole('button', { name: 'New chat' }).click();
  await page.getByRole('menuitem', { name: item }).click();
}

/** Starts (or reopens) a direct chat by searching for the person (by display name) and picking their username. */
export async function startDirectChat(page: Page, query: string, username: string) {
  await newChatMenu(page, 'New message');
  const dialog = page.getByRole('dialog', { name: 'New message' });
  await dialog.getByLabel('Find a person').fill(query);
  await dialog.getByRole('button', { name: new RegExp(`@${username}`) }).click();
  await page.getByRole('combobox', { name: 'Message' }).waitFor();
}

export const composer = (page: Page) => page.getByRole('combobox', { name: 'Message' });

export async function send(page: Page, text: string) {
  const field = composer(page);
  await field.fill(text);
  await field.press('Enter');
}

/** The row of the (single) message containing `text` in the open conversation. */
export const messageRow = (page: Page, text: string) =>
  page.locator('.message-row').filter({ has: page.locator('.rich-text', { hasText: text }) });

/** A system line ("Ann added Bob") in the open conversation. */
export const systemRow = (page: Page, text: string) => page.locator('.system-row', { hasText: text });

/** Opens a message's menu (right-click) and picks an item. */
export async function messageAction(page: Page, text: string, item: string) {
  await messageRow(page, text).locator('.bubble').click({ button: 'right' });
  await page.getByRole('menu', { name: 'Message actions' }).getByRole('menuitem', { name: item, exact: true }).click();
}

/** A chat in the list, by its name (not by a preview that mentions the name). */
export const chatLink = (page: Page, name: string) =>
  page
    .getByRole('navigation', { name: 'Conversations' })
    .getByRole('link')
    .filter({ has: page.locator('.chat-row-name', { hasText: name }) });
