// Drives Hawtio in headless Chromium as an operator would, and finds everything by what a person sees: route
// names, column headers, link and button labels, the tree's search box. Never by a position in the tree, so
// route groups (collapsed "http-sources", "default", or new ones) do not matter.
//
// As the admin: the login form; every route id of routes/ listed in the Camel routes table with its state;
// one route stopped and started again from the console; the route diagram and the source of one route.
// As the viewer: the routes listed; stopping a route from the console refused; running an operation
// (stop()) on the route's MBean through the JMX tree refused. After each refusal the route must still be
// Started. Screenshots go to the screenshot folder, and one of the page where a step failed.
//
// Every wait is on a condition (a row, a label, an alert, a result), with generous timeouts: the machine may
// be busy. Prints one line per step and "hawtio-check: N of M steps passed"; exits 1 if any step failed.
// Usage: INGESTOR_SECURITY_PASSWORD=... INGESTOR_SECURITY_VIEWER_PASSWORD=... \
//   node check-hawtio.js <base url> <admin user> <screenshot dir> <route id>...
// (the passwords come from the environment, never the command line, which other users of the machine can read)
const { chromium } = require('playwright-core');

const [base, user, shots, ...routes] = process.argv.slice(2);
const password = process.env.INGESTOR_SECURITY_PASSWORD;
const viewerPassword = process.env.INGESTOR_SECURITY_VIEWER_PASSWORD;
if (!password || !viewerPassword) {
  console.log('check-hawtio.js: set INGESTOR_SECURITY_PASSWORD and INGESTOR_SECURITY_VIEWER_PASSWORD');
  process.exit(1);
}
const ROUTE_TO_STOP = 'files.auto'; // a file source: stopping it for a moment does no harm
const ROUTE_TO_OPEN = 'pipeline'; // its diagram and source are opened
const ROUTE_FROM = 'direct:ingest'; // what ROUTE_TO_OPEN consumes from, shown in its diagram and source
const FIRST_LOAD = 180_000; // the first page of a freshly started application on a busy machine
const STEP = 60_000; // any other wait

let passed = 0;
let failed = 0;
const ok = (message) => { passed++; console.log(`${message}: ok`); };

// Runs the steps in order; after the first failure the remaining steps of the list are counted as failed
// (each needs the one before it: the login, the page it is on).
async function steps(name, page, list) {
  for (let i = 0; i < list.length; i++) {
    try {
      await list[i].run();
    } catch (e) {
      failed++;
      console.log(`FAILED: ${list[i].title}: ${e.message.split('\n')[0]}`);
      const shot = `${shots}/hawtio-failed-${name}.png`;
      await page.screenshot({ path: shot, fullPage: true }).then(() => console.log(`  what the page showed: ${shot}`), () => {});
      for (const rest of list.slice(i + 1)) {
        failed++;
        console.log(`NOT RUN (the ${name}'s steps stopped at the failure above): ${rest.title}`);
      }
      return;
    }
  }
}

const fs = require('fs');
async function newPage(browser, who) {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  // the browser's own errors, for a person looking into a failure
  const log = (line) => fs.appendFileSync(`${shots}/browser-console.log`, `${new Date().toISOString()} ${who} ${line}\n`);
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') log(`${m.type()}: ${m.text()}`); });
  page.on('pageerror', (e) => log(`page error: ${e.message}`));
  page.setDefaultTimeout(STEP);
  page.setDefaultNavigationTimeout(FIRST_LOAD);
  return page;
}

async function logIn(page, name, secret) {
  await page.goto(`${base}/actuator/hawtio/camel/routes`);
  if (!page.url().endsWith('/login')) throw new Error(`expected the login form, got ${page.url()}`);
  await page.getByLabel('Username').fill(name);
  await page.getByLabel('Password').fill(secret);
  // Spring Security answers the form with a redirect: to the page asked for, or to /login?error
  await Promise.all([page.waitForURL((url) => !url.pathname.endsWith('/login') || url.searchParams.has('error')),
    page.getByRole('button', { name: 'Sign in' }).click()]);
  if (new URL(page.url()).searchParams.has('error')) throw new Error(`${name} could not log in (the form says: bad credentials)`);
}

const routesTable = (page) => page.getByRole('grid', { name: 'Camel routes table' });
const routeRow = (page, id) => routesTable(page).getByRole('row')
  .filter({ has: page.getByRole('gridcell', { name: id, exact: true }) });

// Opens the Camel routes table with every route: the "routes" folder of the Camel tree, whatever groups it has.
async function openRoutesTable(page) {
  await page.goto(`${base}/actuator/hawtio/camel/routes`);
  const folder = page.getByRole('tree').getByRole('button', { name: 'routes', exact: true });
  try {
    await folder.waitFor({ timeout: FIRST_LOAD });
  } catch (e) {
    // what a person does when a page hangs; said in the output, and only once
    console.log(`  (the Camel tree did not show in ${FIRST_LOAD / 1000} s: reloading the page once)`);
    await page.reload();
    await folder.waitFor({ timeout: FIRST_LOAD });
  }
  await folder.click();
  await page.getByRole('navigation', { name: 'Camel Nav' }).getByRole('link', { name: 'Routes', exact: true }).click();
  await routesTable(page).waitFor({ timeout: FIRST_LOAD });
}

// The text of a route's cell under the column a person reads as `header` ("State").
async function cell(page, id, header) {
  const headers = (await routesTable(page).getByRole('columnheader').allInnerTexts()).map((h) => h.trim());
  const column = headers.indexOf(header);
  if (column < 0) throw new Error(`no column "${header}" in the routes table (columns: ${headers.join(', ')})`);
  return (await routeRow(page, id).getByRole('gridcell').nth(column).innerText()).trim();
}

// Every route id of routes/ has a row; prints each with its state (`print`), or only the missing ones.
// Waits for the first row longer (the table fills from one Jolokia answer), then a little for each other.
async function everyRouteListed(page, who, print) {
  const missing = [];
  let wait = FIRST_LOAD;
  for (const id of routes) {
    try {
      await routeRow(page, id).waitFor({ timeout: wait });
      const state = await cell(page, id, 'State');
      if (print) console.log(`  route ${id}: listed, ${state}`);
    } catch (e) {
      missing.push(id);
      console.log(`  route ${id}: MISSING`);
    }
    wait = 10_000;
  }
  if (missing.length) throw new Error(`${who} does not see ${missing.join(', ')} in the Camel routes table`);
}

async function stateBecomes(page, id, state) {
  await routeRow(page, id).getByRole('gridcell', { name: state, exact: true }).waitFor();
}

// Selects a route's row and presses the console's Stop or Start button.
async function press(page, id, button) {
  await routeRow(page, id).waitFor();
  const before = await cell(page, id, 'State');
  const expected = button === 'Stop' ? 'Started' : 'Stopped';
  if (before !== expected) throw new Error(`${id} is ${before} before ${button} is pressed, not ${expected}`);
  await routeRow(page, id).getByRole('checkbox').check();
  await page.getByRole('button', { name: button, exact: true }).click();
}

// After a refused attempt: a fresh table must still show the route Started.
async function stillStarted(page, id, how) {
  await openRoutesTable(page);
  await routeRow(page, id).waitFor({ timeout: FIRST_LOAD });
  const state = await cell(page, id, 'State');
  if (state !== 'Started') throw new Error(`${id} is ${state} after the viewer's ${how}: the viewer changed it`);
}

(async () => {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    for (const id of [ROUTE_TO_STOP, ROUTE_TO_OPEN]) {
      if (!routes.includes(id)) throw new Error(`route ${id}, which this check uses, is not among the routes of routes/`);
    }
    const admin = await newPage(browser, 'admin');
    await steps('admin', admin, [
      { title: 'login form shown to an anonymous visitor, admin logged in', run: async () => {
        await logIn(admin, user, password);
        ok('login form shown to an anonymous visitor, admin logged in');
      } },
      { title: `every route of routes/ (${routes.length}) listed with its state`, run: async () => {
        await openRoutesTable(admin);
        console.log(`every route of routes/ (${routes.length}), as the admin sees them:`);
        await everyRouteListed(admin, 'the admin', true);
        await admin.screenshot({ path: `${shots}/hawtio-routes.png`, fullPage: true });
        ok(`all ${routes.length} routes listed`);
      } },
      { title: `${ROUTE_TO_STOP} stopped from the console`, run: async () => {
        await press(admin, ROUTE_TO_STOP, 'Stop');
        await stateBecomes(admin, ROUTE_TO_STOP, 'Stopped');
        ok(`${ROUTE_TO_STOP} stopped from the console`);
      } },
      { title: `${ROUTE_TO_STOP} started again from the console`, run: async () => {
        await press(admin, ROUTE_TO_STOP, 'Start');
        await stateBecomes(admin, ROUTE_TO_STOP, 'Started');
        ok(`${ROUTE_TO_STOP} started again from the console`);
      } },
      { title: `route diagram of ${ROUTE_TO_OPEN}`, run: async () => {
        // found by the tree's search box and the route's name, whatever group it is in
        await admin.getByRole('main').getByRole('searchbox').first().fill(ROUTE_TO_OPEN);
        const folder = admin.getByRole('tree').getByRole('treeitem').filter({
          has: admin.getByRole('button', { name: 'routes', exact: true }) });
        await folder.getByRole('button', { name: ROUTE_TO_OPEN, exact: true }).first().click();
        await admin.getByRole('navigation', { name: 'Camel Nav' }).getByRole('link', { name: 'Route Diagram' }).click();
        await admin.getByRole('button', { name: new RegExp(`From ${ROUTE_FROM}\\b`) }).first().waitFor();
        const nodes = await admin.getByRole('button', { name: /\(ID: [^)]+\)$/ }).count();
        await admin.screenshot({ path: `${shots}/hawtio-diagram.png`, fullPage: true });
        ok(`route diagram of ${ROUTE_TO_OPEN} shown (${nodes} nodes, from ${ROUTE_FROM})`);
      } },
      { title: `source of ${ROUTE_TO_OPEN}`, run: async () => {
        await admin.getByRole('navigation', { name: 'Camel Nav' }).getByRole('link', { name: 'Source' }).click();
        await admin.getByRole('region', { name: 'camel-content-main' })
          .filter({ hasText: `id="${ROUTE_TO_OPEN}"` }).filter({ hasText: ROUTE_FROM }).waitFor();
        await admin.screenshot({ path: `${shots}/hawtio-source.png`, fullPage: true });
        ok(`source of route ${ROUTE_TO_OPEN} shown`);
      } },
    ]);

    const viewer = await newPage(browser, 'viewer');
    await steps('viewer', viewer, [
      { title: 'viewer logged in', run: async () => {
        await logIn(viewer, 'viewer', viewerPassword);
        ok('viewer logged in');
      } },
      { title: 'viewer sees every route', run: async () => {
        await openRoutesTable(viewer);
        await everyRouteListed(viewer, 'the viewer', false);
        ok(`viewer sees all ${routes.length} routes`);
      } },
      { title: `viewer refused when stopping ${ROUTE_TO_STOP} from the console`, run: async () => {
        await routeRow(viewer, ROUTE_TO_STOP).waitFor();
        const before = await cell(viewer, ROUTE_TO_STOP, 'State');
        if (before !== 'Started') throw new Error(`${ROUTE_TO_STOP} is ${before} before the viewer tries, not Started`);
        await routeRow(viewer, ROUTE_TO_STOP).getByRole('checkbox').check();
        const stop = viewer.getByRole('button', { name: 'Stop', exact: true });
        let refusal;
        if (!(await stop.isEnabled())) {
          refusal = 'the Stop button is disabled';
        } else {
          await stop.click();
          const alert = viewer.getByRole('heading', { name: /^Danger alert:/ }).first();
          const stopped = routeRow(viewer, ROUTE_TO_STOP).getByRole('gridcell', { name: 'Stopped', exact: true });
          await alert.or(stopped).first().waitFor();
          if (await stopped.count()) throw new Error(`the viewer stopped ${ROUTE_TO_STOP} from the console`);
          refusal = `Hawtio says "${(await alert.innerText()).replace(/^Danger alert:\s*/, '').trim()}"`;
        }
        await viewer.screenshot({ path: `${shots}/hawtio-viewer-stop.png`, fullPage: true });
        await stillStarted(viewer, ROUTE_TO_STOP, 'Stop');
        ok(`viewer refused when stopping ${ROUTE_TO_STOP} from the console (${refusal}; still Started)`);
      } },
      { title: `viewer refused when running stop() on ${ROUTE_TO_STOP} through the JMX tree`, run: async () => {
        await viewer.getByRole('navigation', { name: 'Global' }).getByRole('link', { name: 'JMX', exact: true }).click();
        await viewer.getByRole('tree').waitFor({ timeout: FIRST_LOAD });
        await viewer.getByRole('main').getByRole('searchbox').first().fill(ROUTE_TO_STOP);
        // the route's node under a "routes" folder (other MBeans may carry the same name)
        await viewer.getByRole('tree').getByRole('treeitem')
          .filter({ has: viewer.getByRole('button', { name: 'routes', exact: true }) })
          .getByRole('button', { name: ROUTE_TO_STOP, exact: true }).first().click();
        await viewer.getByRole('heading', { name: ROUTE_TO_STOP, exact: true }).waitFor();
        await viewer.getByText(`type=routes,name="${ROUTE_TO_STOP}"`).waitFor(); // the MBean's name, shown under it
        await viewer.getByRole('navigation', { name: 'MBean Nav' }).getByRole('link', { name: 'Operations' }).click();
        const operation = viewer.getByRole('list', { name: 'operation list' }).getByRole('listitem')
          .filter({ has: viewer.getByText('stop()', { exact: true }) });
        await operation.waitFor();
        let refusal;
        const details = operation.getByRole('button', { name: 'Details' });
        if (await details.isEnabled()) await details.click();
        const execute = operation.getByRole('button', { name: 'Execute' });
        if (!(await execute.count()) || !(await execute.isEnabled())) {
          refusal = 'no Execute button for the viewer';
        } else {
          await execute.click();
          const result = viewer.getByRole('region', { name: 'operation result stop()' });
          await result.waitFor();
          refusal = `result shown: "${(await result.innerText()).replace(/\s+/g, ' ').replace(/^Result\s*/, '').trim()}"`;
        }
        await viewer.screenshot({ path: `${shots}/hawtio-viewer-jmx.png`, fullPage: true });
        await stillStarted(viewer, ROUTE_TO_STOP, 'JMX operation stop()');
        ok(`viewer refused when running stop() on ${ROUTE_TO_STOP} through the JMX tree (${refusal}; still Started)`);
      } },
    ]);
  } catch (e) {
    failed++;
    console.log(`FAILED: ${e.message.split('\n')[0]}`);
  } finally {
    await browser.close();
  }
  console.log(`hawtio-check: ${passed} of ${passed + failed} steps passed`);
  process.exit(failed ? 1 : 0);
})();
