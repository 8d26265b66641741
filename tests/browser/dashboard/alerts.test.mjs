// Alerts live: a camera fed by an ffmpeg publisher goes offline when the publisher is killed; the
// camera_offline alert shows up in the admin's open alert list and as a toast on a viewer's other
// page, without a reload. The admin acknowledges it; the viewer sees it with no Acknowledge button.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { api, assertNoConsoleErrors, consoleErrors, screenshots, signIn } from '../lib/dashboard.mjs';
import { enterLoopbackNamespace } from '../lib/netns.mjs';
import { withDiagnostics } from '../lib/player.mjs';
import { Publisher } from '../lib/publisher.mjs';
import { waitUntil } from '../lib/server.mjs';
import { serverAndBrowser } from '../lib/suite.mjs';

await enterLoopbackNamespace();

const kTimeout = 120000; // a hang guard only
const kWait = { timeout: 20000 };
const kViewer = { username: 'otto', password: 'otto-pass-1234' };

describe('dashboard alerts', () => {
  let server;
  let browser;
  let page;
  let viewer;
  let publisher;
  const diag = (t, fn) => withDiagnostics(t, { server, browser, page }, fn);

  // The alert comes 1 s after the camera goes down (events.camera_offline_delay_seconds).
  serverAndBrowser({ events: { camera_offline_delay_seconds: 1 } }, async (made) => {
    ({ server, browser, page } = made);
    const token = await server.login();
    assert.equal((await api(server, token, 'POST', '/users', { ...kViewer, role: 'viewer', is_active: true })).status, 201);
    assert.equal((await api(server, token, 'POST', '/cameras', { id: 'gate', name: 'Gate', source: 'publisher' })).status, 201);
    publisher = Publisher.start(server, 'cameras/gate');
    await waitUntil(async () => (await api(server, token, 'GET', '/cameras/gate')).body.stream_status === 'online',
                    { timeout: 30000, what: 'camera gate online' });
  });

  test('a camera going offline raises an alert, listed and toasted live; acknowledged by the admin', { timeout: kTimeout },
       async (t) => diag(t, async () => {
         const adminErrors = consoleErrors(page);
         await signIn(page, server, { route: '/alerts' });
         await page.getByRole('heading', { level: 1, name: 'Alerts' }).waitFor(kWait);
         viewer = await browser.newPage();
         const viewerErrors = consoleErrors(viewer);
         await signIn(viewer, server, { ...kViewer, route: '/recordings' });

         const items = page.getByRole('list', { name: 'Alerts' }).getByRole('listitem').filter({ hasText: "camera 'gate'" });
         // Alerts raised before the publisher connected (the camera starts offline) do not count.
         await page.getByText(/\d+ alerts?, \d+ not acknowledged/).waitFor(kWait);
         const before = await items.count();
         await page.evaluate(() => { window.notReloaded = true; });
         await viewer.evaluate(() => { window.notReloaded = true; });

         await publisher.stop();
         await waitUntil(async () => (await items.count()) > before, { timeout: 30000, what: 'the alert in the list' });
         const item = items.first();
         assert.match(await item.textContent(), /camera offline/);
         assert.match(await item.textContent(), /warning/);
         assert.match(await item.textContent(), /New/);
         const toast = (p) => p.locator('.toast').filter({ hasText: /Warning · camera offline: camera 'gate'/ });
         await toast(page).waitFor(kWait);
         await toast(viewer).waitFor(kWait); // on the recordings page: the toast follows the user
         assert.equal(await page.evaluate(() => window.notReloaded), true, 'the alerts page reloaded');
         assert.equal(await viewer.evaluate(() => window.notReloaded), true, 'the viewer page reloaded');
         await screenshots(page, 'alerts-live');
         await screenshots(viewer, 'viewer-alert-toast');

         await item.getByRole('button', { name: 'Acknowledge' }).click();
         await item.getByText(/^Acknowledged/).waitFor(kWait);
         assert.equal(await item.getByRole('button', { name: 'Acknowledge' }).count(), 0);
         const stored = (await api(server, await server.login(), 'GET', '/alerts?camera=gate&type=camera_offline')).body.alerts[0];
         assert.equal(stored.acknowledged, true);

         // Filters go to the API and the address bar; a filter nothing matches says so.
         await page.getByLabel('Severity').selectOption('critical');
         await page.getByText('No alerts match the filter.').waitFor(kWait);
         assert.match(page.url(), /#\/alerts\?severity=critical$/);
         await page.getByLabel('Severity').selectOption('');
         await page.getByLabel('Camera').selectOption('gate');
         await items.first().waitFor(kWait);
         assert.equal(await page.getByRole('list', { name: 'Alerts' }).getByRole('listitem').count(), await items.count(), 'another camera listed');
         await screenshots(page, 'alerts-filtered');

         // Viewers see alerts but cannot acknowledge them (operator and up, x-ocellus-role).
         await viewer.goto(server.http('/#/alerts'));
         await viewer.getByRole('list', { name: 'Alerts' }).getByRole('listitem').first().waitFor(kWait);
         assert.equal(await viewer.getByRole('button', { name: 'Acknowledge' }).count(), 0);
         await screenshots(viewer, 'viewer-alerts');
         assertNoConsoleErrors(adminErrors);
         assertNoConsoleErrors(viewerErrors);
       }));
});
