/**
 * Operators and support staff in a real browser (issue 17): headless Chromium (Debian's, test/helpers/browser.ts)
 * on the real stack — the Temporal dev server, Temporal's own UI server configured as `npm start` configures it
 * (devtools/ui-server.ts), PostgreSQL, the worker and the API.
 */
import type { Browser, Page } from 'puppeteer-core';
import { startUiServer, uiOrigins, type RunningUiServer } from '../devtools/ui-server';
import { sampleIin, sampleSubmission } from './helpers/applications';
import { freshPage, launchBrowser, screenshot, textOf } from './helpers/browser';
import { inHours, READ_ONLY_KEY, startDevStack, type DevStack } from './helpers/dev-stack';
import { TEST_API_KEY, eventually } from './helpers/http';
import { freePort } from './helpers/ports';

/** A working morning a few working days back: registered at once, its decision already owed (test/helpers/dev-stack.ts). */
const IN_HOURS = inHours();

let stack: DevStack;
let ui: RunningUiServer;
let browser: Browser;
/** The API as the browser reaches it: by the same host name as the UI, so the session cookie is same-site. */
let api: string;

beforeAll(async () => {
  // Not the UI's default port, and the origins `npm start` allows for whatever port it gives the UI (issue 27).
  const uiPort = await freePort();
  expect(uiPort).not.toBe(8233);
  stack = await startDevStack('browser', { codecCorsOrigins: uiOrigins(uiPort) });
  api = stack.baseUrl.replace('127.0.0.1', 'localhost');
  ui = await startUiServer({ temporalAddress: stack.server.address, port: uiPort, dataDir: stack.dataDir, codecEndpoint: `${api}/codec` });
  browser = await launchBrowser();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await ui?.stop();
  await stack?.stop();
});

/** Every case this file submits: each one's decision is owed at once, so each one becomes stuck (decision-overdue). */
const submitted: string[] = [];

/** Submits an application in hours a few working days back: its decision is overdue as soon as it is registered. */
async function submitOwed(serial: number, fields: { fullName?: string } = {}): Promise<{ applicationId: string; workflowId: string }> {
  const answer = await stack.http('POST', '/applications', sampleSubmission({ iin: sampleIin(serial), submittedAt: IN_HOURS, ...fields }));
  expect(answer.status).toBe(202);
  submitted.push(answer.body.applicationId as string);
  return answer.body as { applicationId: string; workflowId: string };
}

/** Waits until the page's visible text contains `text` (the UI renders after its own API calls). */
const shows = (page: Page, text: string) => page.waitForFunction(`document.body.innerText.includes(${JSON.stringify(text)})`);

async function signIn(page: Page, key: string, button: string): Promise<void> {
  await page.type('#key', key);
  await page.click(button);
}

describe('in a real browser', () => {
  test('the sign-in page runs no script a link brings (a hostile ?then=), and every page of ours carries a CSP with a nonce', async () => {
    const page = await freshPage(browser);
    const hostile = '/support/console</script><script>window.pwned = 1</script>';
    const answer = await page.goto(`${api}/support/console/sign-in?then=${encodeURIComponent(hostile)}`);
    expect(await page.evaluate('window.pwned')).toBeUndefined();
    // Not a console page: the sign-in returns to the listing, and the value is nowhere in a script.
    expect(await page.evaluate("document.getElementById('sign-in').dataset.then")).toBe('/support/console');
    expect(answer!.headers()['content-security-policy']).toMatch(/script-src 'nonce-[A-Za-z0-9+/=]{24}'; .*frame-ancestors 'none'/);
    // Each HTML page, signed in or not, and every answer: the policy, no sniffing, HTTPS kept once met.
    for (const url of [
      '/support/console/sign-in',
      '/codec/login',
      '/support/console',
      '/support/console/cases/00000000-0000-8000-8000-00000000beef',
    ]) {
      const response = await fetch(`${api}${url}`, { headers: { authorization: `Bearer ${READ_ONLY_KEY}` } });
      expect({ url, type: response.headers.get('content-type'), csp: response.headers.get('content-security-policy') }).toEqual({
        url,
        type: 'text/html; charset=utf-8',
        csp: expect.stringMatching(/^default-src 'none'; .*script-src 'nonce-[^']+'; .*frame-ancestors 'none'/),
      });
      const nonce = /'nonce-([^']+)'/.exec(response.headers.get('content-security-policy')!)![1];
      const html = await response.text();
      expect([...html.matchAll(/<script([^>]*)>/g)].map((m) => m[1])).toEqual([...html.matchAll(/<script/g)].map(() => ` nonce="${nonce}"`));
    }
    const json = await fetch(`${api}/openapi.json`);
    expect([json.headers.get('x-content-type-options'), json.headers.get('strict-transport-security')]).toEqual([
      'nosniff',
      'max-age=31536000; includeSubDomains',
    ]);
  });

  test("the Temporal UI shows an application's input decoded to an operator signed in to the codec server, and encrypted to anyone else", async () => {
    const fullName = 'Жансая Ерланқызы Сәрсенбаева';
    const { workflowId } = await submitOwed(1701, { fullName });
    const workflowPage = `${ui.url}/namespaces/default/workflows/${workflowId}`;

    const page = await freshPage(browser);
    await page.goto(workflowPage);
    await shows(page, 'Payloads are encrypted');
    await shows(page, 'applicationWorkflow');
    expect(await textOf(page)).not.toContain(fullName);
    await screenshot(page, 'temporal-ui-encrypted');

    // A key that may only read is no key to personal data.
    await page.goto(`${api}/codec/login`);
    await signIn(page, READ_ONLY_KEY, '#go');
    await page.waitForFunction("document.getElementById('out').textContent.length > 0");
    expect(await page.$eval('#out', (e) => e.textContent)).toContain('lacks the decode scope');

    await page.reload();
    await signIn(page, TEST_API_KEY, '#go');
    await shows(page, 'Signed in');
    await page.goto(workflowPage);
    await shows(page, fullName);
    expect(await textOf(page)).not.toContain('Payloads are encrypted');
    await screenshot(page, 'temporal-ui-decoded');

    // Another browser, never signed in, still sees it encrypted.
    const stranger = await freshPage(browser);
    await stranger.goto(workflowPage);
    await shows(stranger, 'Payloads are encrypted');
    expect(await textOf(stranger)).not.toContain(fullName);
  });

  test('the support console signs in with a read key, lists a stuck case with its reason in words and opens its story, in Russian and Kazakh', async () => {
    const late = (await submitOwed(1702)).applicationId;
    await eventually(
      () => stack.http('GET', '/support/stuck'),
      (r) =>
        (r.body.cases as Array<{ applicationId: string; reason: string }>).some((c) => c.applicationId === late && c.reason === 'decision-overdue'),
    );

    const page = await freshPage(browser);
    await page.goto(`${api}/support/console`);
    expect(new URL(page.url()).pathname).toBe('/support/console/sign-in'); // no session: to the sign-in page
    await signIn(page, 'not-a-key-of-this-service', '#sign-in button');
    await shows(page, 'send Authorization');
    await page.evaluate("document.getElementById('key').value = ''");
    await Promise.all([page.waitForNavigation(), signIn(page, READ_ONLY_KEY, '#sign-in button')]);
    expect(new URL(page.url()).pathname).toBe('/support/console');

    const row = await page.$(`tr[data-reason="decision-overdue"] a[href*="${late}"]`);
    expect(row).not.toBeNull();
    const text = await textOf(page);
    expect(text).toContain('Дела, которым нужен человек');
    expect(text).toContain('Решение просрочено');
    expect(text).toContain('Попросите услугодателя принять решение');
    await screenshot(page, 'support-console');

    // The search by id opens the case's story.
    await page.type('input[name=id]', late);
    await Promise.all([page.waitForNavigation(), page.click('form[role=search] button')]);
    expect(new URL(page.url()).pathname).toBe(`/support/console/cases/${late}`);
    expect(await page.$eval('#state', (e) => e.textContent)).toBe('на рассмотрении');
    const story = await textOf(page);
    expect(story).toContain('ПРОСРОЧЕНО');
    expect(story).toContain('Услугодатель');
    const timeline = await page.$$eval('#timeline li', (items) => items.map((li) => li.textContent ?? ''));
    expect(timeline[0]).toContain('Подано');
    expect(timeline.some((t) => t.includes('решение просрочено'))).toBe(true);
    await screenshot(page, 'support-case', true);

    await Promise.all([page.waitForNavigation(), page.click('a[hreflang=kk]')]);
    expect(await page.$eval('html', (e) => e.getAttribute('lang'))).toBe('kk');
    expect(await page.$eval('#state', (e) => e.textContent)).toBe('қаралуда');
    expect(await textOf(page)).toContain('МЕРЗІМІ ӨТТІ');
    await screenshot(page, 'support-case-kk', true);

    // An id of no case: a page that says so, in the page's language.
    await page.goto(`${api}/support/console/cases/00000000-0000-8000-8000-00000000dead?lang=kk`);
    expect(await textOf(page)).toContain('Іс табылмады');

    // Signed out, the console asks for a key again.
    await Promise.all([page.waitForNavigation(), page.click('form[action$="sign-out"] button')]);
    await page.goto(`${api}/support/console`);
    expect(new URL(page.url()).pathname).toBe('/support/console/sign-in');
  });

  test('the stuck listing pages: each page shows other cases, the total stays', async () => {
    // Two cases of its own whose decisions are overdue. The listing is live: the pages are read once every case this
    // file submitted is listed, so that none becomes stuck between the two reads (the total would grow by it).
    await submitOwed(1703);
    await submitOwed(1704);
    await eventually(
      () => stack.http('GET', '/support/stuck?pageSize=200'),
      (r) => submitted.every((id) => (r.body.cases as Array<{ applicationId: string }>).some((c) => c.applicationId === id)),
    );
    const first = (await stack.http('GET', '/support/stuck?pageSize=1&page=1')).body;
    const second = (await stack.http('GET', '/support/stuck?pageSize=1&page=2')).body;
    expect(first.cases).toHaveLength(1);
    expect(second.cases).toHaveLength(1);
    expect(second.total).toBe(first.total);
    expect(second.cases[0].workflowId).not.toBe(first.cases[0].workflowId);
    expect((await stack.http('GET', '/support/stuck?pageSize=201')).status).toBe(400);
  });
});
