// zones.test.js: time zones in chromium, as a person uses them. An editor
// in Berlin sets her zone on Settings (a name that is no zone is refused
// in place), types a review's times as her clock showed them, and reads
// every time in her zone with its abbreviation; UTC is one click away.
// A reader who chose nothing sees the site's zone (UTC) on the same page;
// the API keeps UTC. Ends with the line "N passed, N failed".
//
//   node zones.test.js /path/to/debrief
'use strict';

const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const H = require('./harness');

const { assert } = H;
const TEST_TIMEOUT_MS = 30000;

function addUser(bin, db, name, role, password) {
	const r = spawnSync(bin, ['user', 'add', name, '--role', role,
		'--password-stdin', '--db', db], { input: `${password}\n` });
	if (r.status !== 0)
		throw new Error(`user add ${name}: ${r.stderr}`);
}

async function signIn(browser, base, user, password) {
	const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
	context.setDefaultTimeout(10000);
	const page = await context.newPage();
	await page.goto(`${base}/login`);
	await page.fill('#username', user);
	await page.fill('#password', password);
	await Promise.all([page.waitForURL(`${base}/`), page.click('button[type=submit]')]);
	return page;
}

// api reads a JSON path with the page's session.
async function api(page, p) {
	return page.evaluate(async (u) => (await fetch(u)).json(), p);
}

function defineTests(ctx) {
	const t = [];
	const test = (name, fn) => t.push({ name, fn });

	test('Settings refuses a zone that is no zone, in place, and keeps the setting', async () => {
		const { ed, base } = ctx;
		await Promise.all([ed.waitForURL(`${base}/settings`), ed.click('.user-nav a[href="/settings"]')]);
		await ed.fill('#f-time_zone', 'Europe/Atlantis');
		await Promise.all([ed.waitForLoadState('load'), ed.click('.settings-form button.primary')]);
		await ed.waitForSelector('#e-time_zone');
		assert(/Europe\/Atlantis/.test(await ed.textContent('#e-time_zone')), 'the error does not name the zone');
		assert(await ed.inputValue('#f-time_zone') === 'Europe/Atlantis', 'what was typed is gone');
		assert((await api(ed, '/api/v1/me')).time_zone === '', 'a bad zone was stored');
	});

	test('an editor in Berlin types times as her clock showed them and reads them in CEST; UTC one click away', async () => {
		const { ed, base } = ctx;
		await ed.goto(`${base}/settings`);
		await ed.fill('#f-time_zone', 'Europe/Berlin');
		await Promise.all([ed.waitForURL(`${base}/settings?saved=1`), ed.click('.settings-form button.primary')]);
		assert((await api(ed, '/api/v1/me')).time_zone === 'Europe/Berlin', 'not stored');
		// a new review, its times typed in Berlin
		await ed.goto(`${base}/reviews/new`);
		assert(/Europe\/Berlin/.test(await ed.textContent('.group-times legend')), 'the form does not say its zone');
		await ed.fill('#f-title', 'Cloudflare WAF outage');
		await ed.fill('#f-started_at', '2019-07-02 15:42');
		await Promise.all([ed.waitForURL(/\/edit\?created=1#created$/), ed.click('button[type=submit].primary')]);
		await ed.waitForFunction(() => document.activeElement.id === 'f-timeline-0--at');
		await ed.keyboard.type('15:45');
		await ed.keyboard.press('Tab');
		await ed.keyboard.press('Tab');
		await ed.keyboard.press('Tab');
		await ed.keyboard.type('CPU alerts everywhere');
		await Promise.all([ed.waitForNavigation(), ed.keyboard.press('Control+Enter')]);
		const id = ed.url().match(/reviews\/(\d+)/)[1];
		ctx.id = id;
		const doc = await api(ed, `/api/v1/reviews/${id}`);
		assert(doc.started_at === '2019-07-02T13:42:00Z', `started_at stored as ${doc.started_at}`);
		assert(doc.timeline[0].at === '2019-07-02T13:45:00Z', `entry stored at ${doc.timeline[0].at}`);
		// read in Berlin time, the zone written next to each time
		const when = await ed.locator('#timeline td.when time').first().innerText();
		assert(when === '2019-07-02 15:45 CEST', `the entry shows ${when}`);
		assert(/2019-07-02 15:42 CEST/.test(await ed.locator('#times').innerText()), 'the start is not in CEST');
		assert(/Times are in Europe\/Berlin/.test(await ed.locator('footer.site').innerText()), 'the footer does not say the zone');
		// UTC one click away, and back
		await ed.click('button.utc-toggle');
		assert(await ed.locator('#timeline td.when time').first().innerText() === '2019-07-02 13:45 UTC',
			'the toggle does not show UTC');
		await ed.click('button.utc-toggle');
		assert(await ed.locator('#timeline td.when time').first().innerText() === '2019-07-02 15:45 CEST',
			'the toggle does not come back');
		// the edit page shows what she typed
		await ed.goto(`${base}/reviews/${id}/edit`);
		assert(await ed.inputValue('#f-started_at') === '2019-07-02 15:42', 'the form shows another zone');
		assert(await ed.inputValue('#f-timeline-0--at') === '2019-07-02 15:45', 'the entry shows another zone');
		// one entry fixed in place, signed in: HH:MM in Berlin too
		await ed.goto(`${base}/reviews/${id}`);
		await ed.click('#timeline a.entry-edit');
		await ed.locator('tr.entry-editing form.entry-form').waitFor();
		assert(await ed.inputValue('tr.entry-editing [name="timeline[0].at"]') === '2019-07-02 15:45',
			'the entry\'s form shows another zone');
		await ed.fill('tr.entry-editing [name="timeline[0].at"]', '15:50');
		await ed.click('tr.entry-editing button[type=submit]');
		await ed.locator('#timeline tr.entry-saved').waitFor();
		assert(await ed.locator('#timeline td.when time').first().innerText() === '2019-07-02 15:50 CEST',
			'the saved entry is not shown in CEST');
		const after = await api(ed, `/api/v1/reviews/${id}/timeline`);
		assert(after.timeline[0].at === '2019-07-02T13:50:00Z', `entry stored at ${after.timeline[0].at}`);
		// the edit form saved as it is changes no time
		const before = await api(ed, `/api/v1/reviews/${id}`);
		await ed.goto(`${base}/reviews/${id}/edit`);
		await Promise.all([ed.waitForNavigation(), ed.click('button.primary[type=submit]')]);
		const same = await api(ed, `/api/v1/reviews/${id}`);
		assert(same.started_at === before.started_at && same.timeline[0].at === before.timeline[0].at,
			`a save moved the times: ${same.started_at}, ${same.timeline[0].at}`);
		assert(same.timeline.length === 1, 'a blank row was saved');
	});

	test('a reader who chose no zone reads the same page in the site\'s zone', async () => {
		const { rita, base } = ctx;
		await rita.goto(`${base}/reviews/${ctx.id}`);
		const when = await rita.locator('#timeline td.when time').first().innerText();
		assert(when === '2019-07-02 13:50 UTC', `the reader sees ${when}`);
		assert(!(await rita.locator('button.utc-toggle').count()), 'a UTC toggle on a page already in UTC');
		await rita.setViewportSize({ width: 360, height: 740 });
		await rita.goto(`${base}/settings`);
		const w = await rita.evaluate(() => document.documentElement.scrollWidth);
		assert(w <= 360, `Settings is ${w} px wide at 360 px`);
	});

	return t;
}

async function main() {
	const bin = process.argv[2];
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'debrief-zones-'));
	const ctx = { problems: [] };
	let server, browser, result = { passed: 0, failed: 1 };

	try {
		const db = path.join(dir, 'browser.db');
		addUser(bin, db, 'ed', 'editor', 'pw-of-ed-editor');
		addUser(bin, db, 'rita', 'reader', 'pw-of-rita-reader');
		server = await H.startServer(bin, dir);
		browser = await H.launchBrowser();
		ctx.base = server.base;
		ctx.ed = await signIn(browser, server.base, 'ed', 'pw-of-ed-editor');
		ctx.rita = await signIn(browser, server.base, 'rita', 'pw-of-rita-reader');
		for (const p of [ctx.ed, ctx.rita]) {
			p.on('pageerror', (e) => ctx.problems.push(`page error: ${e.message}`));
			p.on('console', (m) => {
				if (m.type() === 'error' && !/status of 422/.test(m.text()))
					ctx.problems.push(`console error: ${m.text()}`);
			});
		}
		const tests = defineTests(ctx);
		tests.push({ name: 'no page logged an error', fn: async () => {
			assert(!ctx.problems.length, ctx.problems.join('; '));
		} });
		result = await H.runTests(tests, TEST_TIMEOUT_MS);
	} catch (e) {
		console.log(`not ok - setup: ${e.message.split('\n')[0]}`);
	} finally {
		if (browser)
			await browser.close();
		await H.stopServer(server);
	}
	if (result.failed === 0)
		fs.rmSync(dir, { recursive: true, force: true });
	else
		console.log(`# kept ${dir}`);
	console.log(`${result.passed} passed, ${result.failed} failed`);
	process.exitCode = result.failed ? 1 : 0;
}

main();
