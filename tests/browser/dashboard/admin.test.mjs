// The administration pages against a real ocellus: cameras (add, a refused save shown beside the
// field it concerns, edit, delete; ocellus.yml's demo camera read-only), API tokens (the secret
// shown once, then never again, even after a reload; edit permissions; revoke), users (a viewer
// created here sees no admin page and the API refuses it anyway), storage and system figures.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { api, assertNoConsoleErrors, consoleErrors, screenshots, signIn } from '../lib/dashboard.mjs';
import { enterLoopbackNamespace } from '../lib/netns.mjs';
import { withDiagnostics } from '../lib/player.mjs';
import { serverAndBrowser } from '../lib/suite.mjs';

await enterLoopbackNamespace();

const kTimeout = 120000; // per test: a hang guard only
const kWait = { timeout: 15000 };

describe('dashboard administration', () => {
  let server;
  let browser;
  let page;
  let errors;
  let adminToken;
  const diag = (t, fn) => withDiagnostics(t, { server, browser, page }, fn);
  const open = async (route, heading) => {
    await page.goto(server.http(`/#${route}`));
    await page.getByRole('heading', { level: 1, name: heading }).waitFor(kWait);
  };
  const row = (text) => page.getByRole('row').filter({ hasText: text });
  // The field's error: the control is aria-invalid and described by an element saying `message`.
  const assertFieldError = async (label, message) => {
    const input = page.getByLabel(label, { exact: true });
    await page.waitForFunction((el) => el.getAttribute('aria-invalid') === 'true', await input.elementHandle(), kWait);
    const described = await input.evaluate((el) =>
      (el.getAttribute('aria-describedby') ?? '').split(' ').map((id) => document.getElementById(id)?.textContent).join(' | '));
    assert.match(described, message);
  };

  serverAndBrowser({}, async (made) => {
    ({ server, browser, page } = made);
    errors = consoleErrors(page);
    adminToken = await server.login();
    await signIn(page, server, { route: '/admin/cameras' });
  });

  test('cameras: add, refused saves beside their field, edit, delete; ocellus.yml cameras are read-only',
       { timeout: kTimeout }, async (t) => diag(t, async () => {
         await open('/admin/cameras', 'Cameras');
         const demo = row('demo');
         await demo.waitFor(kWait);
         assert.match(await demo.textContent(), /ocellus\.yml/);
         assert.equal(await demo.getByRole('button', { name: 'Edit' }).count(), 0, 'the demo camera is editable');

         await page.getByRole('button', { name: 'Add camera' }).click();
         const form = page.getByRole('form', { name: 'Add a camera' });
         await form.getByLabel('Id (optional)').fill('yard');
         await form.getByLabel('Name', { exact: true }).fill('Yard');
         await form.getByLabel('Source', { exact: true }).fill('publisher');
         await form.getByLabel('Serial number').fill('SN-YARD-1');
         await form.getByLabel('Company').fill('Axis');
         await form.getByRole('button', { name: 'Add camera' }).click();
         await row('Yard').waitFor(kWait);
         assert.match(await row('Yard').textContent(), /SN-YARD-1/);
         assert.equal((await api(server, adminToken, 'GET', '/cameras/yard')).body.company, 'Axis');

         // A second camera: a source the server refuses, then the serial number of the first.
         await page.getByRole('button', { name: 'Add camera' }).click();
         await form.getByLabel('Name', { exact: true }).fill('Yard two');
         await form.getByLabel('Source', { exact: true }).fill('ftp://192.0.2.1/cam');
         await form.getByLabel('Serial number').fill('SN-YARD-1');
         await form.getByRole('button', { name: 'Add camera' }).click();
         await assertFieldError('Source', /.+/);
         assert.equal(await form.getByLabel('Serial number').getAttribute('aria-invalid'), null);
         assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('name')), 'source', 'focus on the refused field');
         await screenshots(page, 'admin-camera-invalid');
         await form.getByLabel('Source', { exact: true }).fill('publisher');
         await form.getByRole('button', { name: 'Add camera' }).click();
         await assertFieldError('Serial number', /already used/);
         assert.equal(await form.getByLabel('Source', { exact: true }).getAttribute('aria-invalid'), null);
         await form.getByRole('button', { name: 'Cancel' }).click();
         assert.equal(await row('Yard two').count(), 0);

         await row('Yard').getByRole('button', { name: 'Edit' }).click();
         const edit = page.getByRole('form', { name: 'Edit Yard' });
         await edit.getByLabel('Location').fill('North gate');
         await edit.getByLabel('On demand').check();
         await edit.getByRole('button', { name: 'Save' }).click();
         await page.waitForFunction(() => [...document.querySelectorAll('tr')].some((r) => /Yard/.test(r.textContent) && /North gate/.test(r.textContent)), null, kWait);
         const saved = (await api(server, adminToken, 'GET', '/cameras/yard')).body;
         assert.equal(saved.location, 'North gate');
         assert.equal(saved.on_demand, true);
         assert.equal(saved.serial_number, 'SN-YARD-1', 'an unchanged field changed');
         await screenshots(page, 'admin-cameras');

         await row('Yard').getByRole('button', { name: 'Delete' }).click();
         await row('Yard').getByRole('button', { name: 'Delete camera' }).click();
         await row('Yard').waitFor({ state: 'detached', ...kWait });
         assert.equal((await api(server, adminToken, 'GET', '/cameras/yard')).status, 404);
         assertNoConsoleErrors(errors.splice(0), [/^HTTP 400 (POST|PUT) \/api\/v1\/cameras/]);
       }));

  test('tokens: the secret is shown once, then never again; permissions edited; revoked',
       { timeout: kTimeout }, async (t) => diag(t, async () => {
         await open('/admin/tokens', 'API tokens');
         await page.getByRole('button', { name: 'Create token' }).click();
         const form = page.getByRole('form', { name: 'Create an API token' });
         await form.getByRole('button', { name: 'Create token' }).click();
         await assertFieldError('Name', /name/i); // checked before any request
         await form.getByLabel('Name', { exact: true }).fill('ci-reader');
         await form.getByLabel('Remark').fill('the CI job');
         await form.getByLabel('cameras:read').check();
         await form.getByLabel('recordings:read').check();
         await form.getByRole('group', { name: /Cameras/ }).getByLabel(/demo/).check();
         assert.equal(await form.getByLabel('Rate limit (requests per hour)').inputValue(), '1000');
         await form.getByRole('button', { name: 'Create token' }).click();

         const dialog = page.getByRole('dialog', { name: 'Token ci-reader created' });
         await dialog.waitFor(kWait);
         assert.match(await dialog.textContent(), /you will not see it again/i);
         const secret = await dialog.getByLabel('Secret', { exact: true }).inputValue();
         assert.ok(secret.length >= 20, `secret: ${secret}`);
         await dialog.getByRole('button', { name: 'Copy secret' }).waitFor();
         await screenshots(page, 'admin-token-secret');
         const seen = await api(server, secret, 'GET', '/cameras');
         assert.equal(seen.status, 200);
         assert.deepEqual(seen.body.cameras.map((c) => c.id), ['demo'], 'the camera scope');

         await dialog.getByRole('button', { name: 'Close' }).click();
         await dialog.waitFor({ state: 'detached', ...kWait });
         const tokenRow = row('ci-reader');
         assert.match(await tokenRow.textContent(), /cameras:read, recordings:read/);
         assert.match(await tokenRow.textContent(), /1000\/h/);
         assert.ok(!(await page.content()).includes(secret), 'the secret is still in the page');
         await page.reload();
         await page.getByRole('heading', { level: 1, name: 'API tokens' }).waitFor(kWait);
         await row('ci-reader').waitFor(kWait);
         const kept = await page.evaluate(() => document.documentElement.outerHTML + JSON.stringify({ ...sessionStorage }) + JSON.stringify({ ...localStorage }));
         assert.ok(!kept.includes(secret), 'the secret came back after a reload');

         await row('ci-reader').getByRole('button', { name: 'Edit permissions' }).click();
         const edit = page.getByRole('form', { name: 'Permissions of ci-reader' });
         await edit.getByLabel('alerts:read').check();
         await edit.getByRole('button', { name: 'Save permissions' }).click();
         await page.waitForFunction(() => [...document.querySelectorAll('tr')].some((r) => /ci-reader/.test(r.textContent) && /alerts:read/.test(r.textContent)), null, kWait);
         assert.equal((await api(server, secret, 'GET', '/alerts')).status, 200, 'alerts:read was not granted');

         await row('ci-reader').getByRole('button', { name: 'Revoke' }).click();
         await screenshots(page, 'admin-tokens');
         await row('ci-reader').getByRole('button', { name: 'Revoke token' }).click();
         await row('ci-reader').waitFor({ state: 'detached', ...kWait });
         assert.equal((await api(server, secret, 'GET', '/cameras')).status, 401);
         assertNoConsoleErrors(errors.splice(0));
       }));

  test('users: a viewer created here sees no admin page, and the API refuses it anyway',
       { timeout: kTimeout }, async (t) => diag(t, async () => {
         await open('/admin/users', 'Users');
         const form = page.getByRole('form', { name: 'Add a user' });
         await form.getByLabel('Username').fill('vera');
         await form.getByLabel('Password').fill('vera-pass-1234');
         await form.getByLabel('Role').selectOption('viewer');
         await form.getByRole('button', { name: 'Create user' }).click();
         await row('vera').waitFor(kWait);
         assert.equal(await row('vera').getByLabel('Role of vera').inputValue(), 'viewer');
         await screenshots(page, 'admin-users');
         assertNoConsoleErrors(errors.splice(0));

         const tab = await browser.newPage(); // its own sessionStorage: signed out
         try {
           const tabErrors = consoleErrors(tab);
           await withDiagnostics(t, { server, browser, page: tab }, async () => {
             await signIn(tab, server, { username: 'vera', password: 'vera-pass-1234', route: '/live' });
             const links = await tab.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents();
             assert.deepEqual(links, ['Live', 'Recordings', 'Alerts']);
             await tab.goto(server.http('/#/admin/users'));
             await tab.getByRole('heading', { level: 1, name: 'Not allowed' }).waitFor(kWait);
             assert.equal(await tab.getByRole('table').count(), 0);
             await screenshots(tab, 'viewer-not-allowed');
             const refused = await tab.evaluate(async () => {
               const { access } = JSON.parse(sessionStorage.getItem('ocellus.session'));
               const r = await fetch('/api/v1/users', { headers: { Authorization: `Bearer ${access}` } });
               return { status: r.status, code: (await r.json()).error.code };
             });
             assert.deepEqual(refused, { status: 403, code: 'AUTH_INSUFFICIENT_PERMISSIONS' });
             assertNoConsoleErrors(tabErrors, [/^HTTP 403 /]);
           });
         } finally {
           await tab.close();
         }
       }));

  test('storage and system show figures; retention saved; clean-up reports; the system view refreshes',
       { timeout: kTimeout }, async (t) => diag(t, async () => {
         await open('/admin/storage', 'Storage');
         const figure = (name) => page.locator('dl.figures div').filter({ has: page.locator('dt', { hasText: new RegExp(`^${name}$`) }) }).locator('dd');
         await figure('Total').waitFor(kWait);
         for (const name of ['Used', 'Free', 'Total', 'Recordings', 'Snapshots']) {
           assert.match(await figure(name).textContent(), /^\d+(\.\d+)? (B|KiB|MiB|GiB|TiB)/, name);
         }
         const percent = Number(await page.getByRole('meter').getAttribute('aria-valuenow'));
         assert.ok(percent > 0 && percent <= 100, `usage ${percent}`);

         const retention = page.getByRole('form', { name: 'Retention policy' });
         // The policy in force shows from the start: ocellus.yml's 30 days by default.
         await retention.getByText('In force: automatic, 30 days').waitFor(kWait);
         assert.equal(await retention.getByLabel('Maximum age (days)').inputValue(), '30');
         await retention.getByLabel('Maximum age (days)').fill('0');
         await retention.getByRole('button', { name: 'Save policy' }).click();
         await assertFieldError('Maximum age (days)', /more than 0/);
         await retention.getByLabel('Maximum age (days)').fill('14');
         await retention.getByRole('button', { name: 'Save policy' }).click();
         await retention.getByText('In force: automatic, 14 days').waitFor(kWait);

         await page.getByRole('button', { name: 'Clean up now' }).click();
         await page.getByRole('button', { name: 'Clean up', exact: true }).click();
         await page.getByText(/Clean-up done: \d+ files? deleted, .+ freed/).waitFor(kWait);
         await screenshots(page, 'admin-storage');

         await open('/admin/system', 'System');
         await figure('Uptime').waitFor(kWait);
         assert.equal(await figure('Health').textContent(), 'healthy');
         assert.match(await figure('Version').textContent(), /\d+\.\d+/);
         assert.match(await figure('Memory').textContent(), /\d+(\.\d+)? (KiB|MiB|GiB)/);
         assert.match(await page.locator('#server-title + dl').textContent(), /webrtc/);
         assert.match(await figure('Requests').textContent(), /^\d+$/);
         // get_status again within the 5 s refresh: the uptime moves on without a reload.
         const uptime = await figure('Uptime').textContent();
         assert.match(uptime, /^\d+(\.\d)? (s|min|h|d)/);
         await page.waitForFunction((before) => {
           const dd = [...document.querySelectorAll('dl.figures div')].find((d) => d.querySelector('dt')?.textContent === 'Uptime')?.querySelector('dd');
           return dd && dd.textContent !== before;
         }, uptime, { timeout: 20000 });
         await screenshots(page, 'admin-system');
         assertNoConsoleErrors(errors.splice(0));
       }));
});
