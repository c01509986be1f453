// learning.test.js: learning across reviews in chromium (issue 17). A
// search typed in the box at the top of a page leads to /search with the
// matched words marked; following a result opens the review, which lists
// its related reviews and says beside a contributing factor how many
// other reviews name it; /trends draws its charts as inline SVG with a
// data table beside each, and the page fits a 360 px screen; the index
// shows "On this day". Ends with the line "N passed, N failed".
//
//   node learning.test.js /path/to/debrief
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const H = require('./harness');

const { assert } = H;
const TEST_TIMEOUT_MS = 30000;

async function create(base, review) {
	const r = await fetch(`${base}/api/v1/reviews`, {
		method: 'POST', headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify(review),
	});
	assert(r.status === 201, `create: ${r.status}`);
	return (await r.json()).id;
}

function defineTests(ctx) {
	const t = [];
	const test = (name, fn) => t.push({ name, fn });

	test('the search box of a page finds a review and marks the words', async () => {
		const { page, base } = ctx;
		const today = new Date();
		const lastYear = new Date(Date.UTC(today.getUTCFullYear() - 1,
			today.getUTCMonth(), today.getUTCDate(), 9, 0, 0));
		ctx.first = await create(base, {
			title: 'Replication lag stalled checkout', kind: 'incident', severity: 2,
			started_at: lastYear.toISOString().replace(/\.\d+Z$/, 'Z'),
			summary: 'The <b>replica</b> fell behind for an hour.',
			timeline: [{ at: '2025-01-01T10:00:00Z', text: 'Paged about replication lag' }],
			factors: [{ text: 'Missing runbook', kind: 'latent' }],
			tags: ['database'],
		});
		ctx.second = await create(base, {
			title: 'Disk full on the primary', started_at: '2025-06-01T10:00:00Z',
			factors: [{ text: 'missing  RUNBOOK', kind: 'trigger' }], tags: ['database'],
		});
		await page.goto(`${base}/`);
		await page.fill('#site-q', 'replication');
		await Promise.all([page.waitForURL(/\/search\?q=replication/), page.press('#site-q', 'Enter')]);
		const hits = page.locator('.search-hit');
		assert(await hits.count() === 1, `hits: ${await hits.count()}`);
		assert(await page.locator('.search-hit h2 mark').innerText() === 'Replication', 'title not marked');
		const where = await page.locator('.hit-where').allInnerTexts();
		assert(where.includes('Timeline'), `matched in: ${where}`);
		assert(await page.locator('.search-hit b').count() === 0, 'markup from the text');
	});

	test('a syntax error is searched as text, not an error page', async () => {
		const { page, base } = ctx;
		const r = await page.goto(`${base}/search?q=${encodeURIComponent('"replication OR')}`);
		assert(r.status() === 200, `status ${r.status()}`);
		assert(await page.locator('.search-total').innerText() !== '', 'no total');
	});

	test('following a result shows related reviews and "seen in"', async () => {
		const { page, base } = ctx;
		await page.goto(`${base}/search?q=replication`);
		await Promise.all([page.waitForURL(`${base}/reviews/${ctx.first}`),
			page.click('.search-hit h2 a')]);
		const related = page.locator('section.related a');
		assert(await related.count() === 1, `related: ${await related.count()}`);
		assert(await related.innerText() === 'Disk full on the primary', 'wrong related review');
		assert((await page.locator('a.seen').innerText()) === 'seen in 1 other review',
			'no "seen in"');
	});

	test('trends draw SVG charts with tables and fit a phone', async () => {
		const { browser, base } = ctx;
		const phone = await (await browser.newContext({ viewport: { width: 360, height: 740 } })).newPage();
		await phone.goto(`${base}/trends`);
		assert(await phone.locator('svg.chart-svg').count() >= 4, 'charts');
		assert(await phone.locator('svg.chart-svg title').first().textContent() !== '', 'no title');
		assert(await phone.locator('svg.chart-svg[role=img][aria-labelledby]').count() >= 4, 'no accessible name');
		assert(await phone.locator('table.data').count() >= 5, 'tables');
		assert((await phone.locator('#factors').innerText()).includes('Missing runbook'),
			'recurring factor');
		const wide = await phone.evaluate(() => document.documentElement.scrollWidth);
		assert(wide <= 360, `page is ${wide} px wide`);
		await phone.close();
	});

	test('the index shows the review of this day last year', async () => {
		const { page, base } = ctx;
		await page.goto(`${base}/`);
		const box = page.locator('section.on-this-day');
		assert(await box.count() === 1, 'no box');
		assert((await box.innerText()).includes('1 year ago'), await box.innerText());
	});
	return t;
}

async function main() {
	const bin = process.argv[2];
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'debrief-learning-'));
	let server, browser, result = { passed: 0, failed: 1 };

	try {
		server = await H.startServer(bin, dir);
		browser = await H.launchBrowser();
		const page = await (await browser.newContext()).newPage();
		result = await H.runTests(defineTests({ browser, page, base: server.base }),
			TEST_TIMEOUT_MS);
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
