// The hooks every browser suite here shares. Before the suite: one ocellus (config merged over
// the test defaults), one headless Chromium and, unless withPage is false, a first page; then
// `ready` gets them ({server, browser, page}) and may prepare more. After it: both are closed.
import { after, before } from 'node:test';
import { Browser } from './browser.mjs';
import { Server } from './server.mjs';

export function serverAndBrowser(config, ready, { withPage = true } = {}) {
  let server;
  let browser;
  before(async () => {
    server = await Server.create(config);
    await server.start();
    browser = await Browser.launch();
    const page = withPage ? await browser.newPage() : undefined;
    await ready({ server, browser, page });
  });
  after(async () => {
    await browser?.close();
    await server?.dispose();
  });
}
