// Drives Hawtio in headless Chromium as an operator would: logs in, opens the Camel routes view, checks that
// every route is listed, stops and starts a route from the console, and saves screenshots.
// Then logs in as the viewer and checks that stopping a route is refused.
// Usage: node check-hawtio.js <base url> <user> <password> <viewer password> <screenshot dir> <route id>...
const { chromium } = require('playwright-core');

const [base, user, password, viewerPassword, shots, ...routes] = process.argv.slice(2);

async function login(browser, name, secret) {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  await page.goto(`${base}/actuator/hawtio/camel/routes`);
  if (!page.url().endsWith('/login')) throw new Error(`expected the login page, got ${page.url()}`);
  await page.fill('input[name=username]', name);
  await page.fill('input[name=password]', secret);
  await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
  await page.goto(`${base}/actuator/hawtio/camel/routes`);
  await page.locator('table').getByText('pipeline', { exact: true }).waitFor({ timeout: 60000 });
  return page;
}

(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  let failed = false;
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(`${base}/actuator/hawtio/camel/routes`);
    if (!page.url().endsWith('/login')) throw new Error(`expected the login page, got ${page.url()}`);
    console.log('login page shown for an anonymous visitor: ok');
    await page.fill('input[name=username]', user);
    await page.fill('input[name=password]', password);
    await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
    await page.goto(`${base}/actuator/hawtio/camel/routes`);
    const table = page.locator('table');
    await table.getByText('pipeline', { exact: true }).waitFor({ timeout: 60000 });
    for (const id of routes) {
      const row = table.locator('tr', { has: page.getByText(id, { exact: true }) });
      const count = await row.count();
      const state = count ? (await row.first().innerText()).split('\t').map(s => s.trim()).filter(Boolean)[1] : 'missing';
      console.log(`route ${id}: ${count ? 'listed, ' + state : 'MISSING'}`);
      if (!count) failed = true;
    }
    await page.screenshot({ path: `${shots}/hawtio-routes.png`, fullPage: true });

    // an operation through Jolokia (a POST with the CSRF token): stop files.auto, then start it again
    const target = table.locator('tr', { has: page.getByText('files.auto', { exact: true }) });
    await target.locator('input[type=checkbox]').check();
    await page.getByRole('button', { name: 'Stop' }).click();
    await target.getByText('Stopped').waitFor({ timeout: 30000 });
    console.log('files.auto stopped from Hawtio: ok');
    await target.locator('input[type=checkbox]').check();
    await page.getByRole('button', { name: 'Start' }).click();
    await target.getByText('Started').waitFor({ timeout: 30000 });
    console.log('files.auto started again from Hawtio: ok');

    await page.goto(`${base}/actuator/hawtio/camel/routeDiagram`);
    await page.waitForTimeout(5000);
    await page.screenshot({ path: `${shots}/hawtio-diagram.png`, fullPage: true });
    console.log('route diagram view opened: ok');

    // one route's source (camel-spring-boot-xml-starter dumps it)
    await page.locator('[role=tree]').getByText('pipeline', { exact: true }).first().click();
    await page.getByText('Source', { exact: true }).first().click();
    await page.getByText('direct:ingest').first().waitFor({ timeout: 30000 });
    await page.screenshot({ path: `${shots}/hawtio-source.png`, fullPage: true });
    console.log('source of route pipeline shown: ok');

    const viewer = await login(browser, 'viewer', viewerPassword);
    const row = viewer.locator('table').locator('tr', { has: viewer.getByText('files.auto', { exact: true }) });
    await row.locator('input[type=checkbox]').check();
    await viewer.getByRole('button', { name: 'Stop' }).click();
    await viewer.waitForTimeout(5000);
    await viewer.reload();
    await viewer.locator('table').getByText('files.auto', { exact: true }).waitFor({ timeout: 60000 });
    const state = await viewer.locator('table').locator('tr', { has: viewer.getByText('files.auto', { exact: true }) })
      .getByText('Started').count();
    if (state !== 1) throw new Error('the viewer stopped files.auto');
    console.log('viewer sees the routes but cannot stop one: ok');
  } catch (e) {
    console.error(`FAILED: ${e.message}`);
    failed = true;
  } finally {
    await browser.close();
  }
  process.exit(failed ? 1 : 0);
})();
