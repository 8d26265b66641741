// Accessibility of every dashboard page: axe-core (node_modules, pinned in package-lock.json) on
// the login page and on each signed-in route, at desktop and phone widths, in the light and the
// dark colour scheme (the stylesheet has both, and contrast is checked per scheme). A violation
// of impact "serious" or "critical" fails the page's test; lesser ones are printed as diagnostics.
// Then keyboard reachability: Tab from the top of the page reaches every main navigation link
// (on a phone, through the Menu button).
//
// axe is injected with page.evaluate, not page.addScriptTag({content}): the dashboard's CSP
// (script-src 'self') refuses the inline <script> that addScriptTag makes, and a context with
// `bypassCSP: true` would hide the CSP from the pages under test. DevTools' evaluate is not
// subject to the page's CSP, and axe itself needs no eval.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { describe, test } from 'node:test';
import { assertNoConsoleErrors, consoleErrors, DESKTOP, pageShown, PHONE, screenshots, signIn } from '../lib/dashboard.mjs';
import { enterLoopbackNamespace } from '../lib/netns.mjs';
import { withDiagnostics } from '../lib/player.mjs';
import { serverAndBrowser } from '../lib/suite.mjs';

await enterLoopbackNamespace();

const kTimeout = 120000; // per test: a hang guard only
const kAxe = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const kFailing = new Set(['serious', 'critical']);
const kRoutes = ['/live', '/live/demo', '/recordings', '/alerts', '/admin/cameras', '/admin/users', '/admin/tokens',
                 '/admin/storage', '/admin/system'];

/**
 * axe on the whole document at each width and colour scheme. Returns {failing, other}: one
 * readable entry per rule (impact, id, help, link, then each element and where it failed), and
 * `checked`, the fewest rules that passed in a run (proof that axe looked at something).
 */
async function audit(page) {
  const found = new Map(); // "impact id: help (url)" → element → {summary, where: [variant]}
  let checked = Infinity;
  for (const [size, viewport] of [['desktop', DESKTOP], ['phone', PHONE]]) {
    await page.setViewportSize(viewport);
    for (const colorScheme of ['light', 'dark']) {
      await page.emulateMedia({ colorScheme });
      // Two frames: layout and any effect that reacts to the new size or scheme have run.
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      if (!(await page.evaluate(() => typeof window.axe === 'object'))) await page.evaluate(kAxe);
      const { violations, passed } = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] })
        .then((r) => ({ passed: r.passes.length,
                        violations: r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                                                               nodes: v.nodes.map((n) => ({ target: n.target.join(' '),
                                                                                            summary: n.failureSummary })) })) })));
      checked = Math.min(checked, passed);
      for (const v of violations) {
        const rule = `${v.impact} ${v.id}: ${v.help} (${v.helpUrl.replace(/\?.*/, '')})`;
        if (!found.has(rule)) found.set(rule, new Map());
        for (const n of v.nodes) {
          const element = found.get(rule).get(n.target) ?? { summary: (n.summary || '').replace(/\s+/g, ' ').slice(0, 240), where: [] };
          element.where.push(`${size} ${colorScheme}`);
          found.get(rule).set(n.target, element);
        }
      }
    }
  }
  await page.emulateMedia({ colorScheme: null });
  await page.setViewportSize(DESKTOP);
  const failing = [];
  const other = [];
  for (const [rule, elements] of found) {
    const lines = [rule, ...[...elements].map(([target, e]) => `    ${target} [${e.where.join(', ')}]: ${e.summary}`)];
    (kFailing.has(rule.split(' ')[0]) ? failing : other).push(lines.join('\n'));
  }
  return { failing, other, checked };
}

function assertAccessible(t, where, { failing, other, checked }) {
  for (const line of other) t.diagnostic(`${where}: ${line}`);
  assert.ok(checked >= 10, `${where}: axe passed only ${checked} rules: did it run on the page?`);
  assert.deepEqual(failing, [], `${where}: serious or critical axe violations:\n${failing.join('\n')}`);
}

/**
 * Presses Tab until `done(focused)` holds for the focused element's {tag, name} or `limit` presses;
 * returns every element focused on the way.
 */
async function tabThrough(page, done, limit = 40) {
  const seen = [];
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const e = document.activeElement;
      return e && e !== document.body ? { tag: e.tagName.toLowerCase(), name: (e.getAttribute('aria-label') || e.textContent || '').trim(),
                                           nav: !!e.closest('nav') } : null;
    });
    if (focused) seen.push(focused);
    if (focused && done(focused)) break;
  }
  return seen;
}

describe('dashboard accessibility (axe-core, keyboard)', () => {
  let server;
  let browser;
  let page;
  let errors;
  const diag = (t, fn) => withDiagnostics(t, { server, browser, page }, fn);

  serverAndBrowser({}, (made) => {
    ({ server, browser, page } = made);
    errors = consoleErrors(page);
  });

  test('the login page', { timeout: kTimeout }, async (t) => diag(t, async () => {
    await page.goto(server.http('/'));
    await page.locator('input[name=username]').waitFor({ timeout: 20000 });
    await page.waitForFunction(pageShown, null, { timeout: 20000 });
    assertAccessible(t, 'login', await audit(page));
    await screenshots(page, 'a11y-login');
    assertNoConsoleErrors(errors.splice(0));
  }));

  test('signing in', { timeout: kTimeout }, async (t) => diag(t, async () => {
    await signIn(page, server);
    assert.match(new URL(page.url()).hash, /^#\/live/);
  }));

  for (const route of kRoutes) {
    test(`page ${route}`, { timeout: kTimeout }, async (t) => diag(t, async () => {
      await page.goto(server.http(`/#${route}`));
      await page.waitForFunction(pageShown, null, { timeout: 20000 });
      assert.ok(await page.locator('header.topbar').isVisible(), 'not signed in');
      assertAccessible(t, route, await audit(page));
      await screenshots(page, `a11y-${route.slice(1).replace(/\//g, '-')}`);
      assertNoConsoleErrors(errors.splice(0));
    }));
  }

  test('Tab from the top reaches every main navigation link (desktop; phone through the Menu button)', { timeout: kTimeout },
       async (t) => diag(t, async () => {
         const nav = page.getByRole('navigation', { name: 'Main' });
         for (const [size, viewport] of [['desktop', DESKTOP], ['phone', PHONE]]) {
           await page.setViewportSize(viewport);
           await page.goto(server.http('/#/alerts'));
           await page.reload(); // focus starts from the top of a fresh document
           await page.waitForFunction(pageShown, null, { timeout: 20000 });
           if (size === 'phone') {
             const seen = await tabThrough(page, (f) => f.tag === 'button' && f.name === 'Menu');
             assert.deepEqual(seen.at(-1), { tag: 'button', name: 'Menu', nav: false }, `phone: Tab never reached Menu: ${JSON.stringify(seen)}`);
             await page.keyboard.press('Enter');
             await nav.waitFor({ state: 'visible', timeout: 5000 });
           }
           const links = await nav.getByRole('link').allTextContents();
           assert.ok(links.includes('Live') && links.includes('System'), `${size}: main navigation is ${JSON.stringify(links)}`);
           const seen = await tabThrough(page, (f) => f.nav && f.name === links.at(-1));
           const reached = seen.filter((f) => f.nav && f.tag === 'a').map((f) => f.name);
           assert.deepEqual(reached, links, `${size}: Tab reached ${JSON.stringify(seen)}`);
         }
         await page.setViewportSize(DESKTOP);
         assertNoConsoleErrors(errors.splice(0));
       }));
});
