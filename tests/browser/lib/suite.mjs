// The hooks every browser suite here shares. Before the suite: one ocellus (config merged over
// the test defaults), one headless Chromium and, unless withPage is false, a first page; then
// `ready` gets them ({server, browser, page}) and may prepare more. After it: both are closed.
// `launch`: options of Browser.launch (e.g. {args: FAKE_MEDIA_FLAGS}).
import { after, before } from 'node:test';
import { Browser } from './browser.mjs';
import { Server } from './server.mjs';

export function serverAndBrowser(config, ready, { withPage = true, launch = {} } = {}) {
  let server;
  let browser;
  before(async () => {
    server = await Server.create(config);
    await server.start();
    browser = await Browser.launch(launch);
    const page = withPage ? await browser.newPage() : undefined;
    await ready({ server, browser, page });
  });
  after(async () => {
    await browser?.close();
    await server?.dispose();
  });
}
