// review.test.js: the browser test of debrief's web UI. Starts the debrief
// binary given as the first argument on a free 127.0.0.1 port with a fresh
// SQLite file, drives Debian's chromium through playwright-core, and ends
// with the line "N passed, N failed".
//
//   node review.test.js /path/to/debrief
//
// Screenshots of the review page and the index go to $SHOT_DIR when it is
// set (to look at the design); otherwise to a temporary directory that is
// removed after a run that passed.
'use strict';

const { chromium } = require('playwright-core');
const { spawn } = require('child_process');
const fs = require('fs');
const net = require('net');
const os = require('os');
const path = require('path');

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const TEST_TIMEOUT_MS = 30000;

function freePort() {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const port = srv.address().port;
			srv.close(() => resolve(port));
		});
	});
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function startServer(bin, dir) {
	const port = await freePort();
	const log = fs.openSync(path.join(dir, 'server.log'), 'w');
	const proc = spawn(bin, ['serve', '--db', path.join(dir, 'browser.db'),
		'--listen', `127.0.0.1:${port}`], { stdio: ['ignore', log, log] });
	const base = `http://127.0.0.1:${port}`;
	for (let i = 0; i < 100; i++) {
		if (proc.exitCode !== null)
			throw new Error(`debrief exited with ${proc.exitCode}; see ${dir}/server.log`);
		try {
			const r = await fetch(`${base}/api/v1/health`);
			if (r.ok)
				return { proc, base };
		} catch (e) {
			/* not listening yet */
		}
		await sleep(100);
	}
	proc.kill('SIGKILL');
	throw new Error('debrief did not answer within 10 s');
}

function assert(cond, msg) {
	if (!cond)
		throw new Error(msg);
}

function withTimeout(p, ms, name) {
	let t;
	return Promise.race([p, new Promise((_, reject) => {
		t = setTimeout(() => reject(new Error(`${name}: timed out after ${ms} ms`)), ms);
	})]).finally(() => clearTimeout(t));
}

// The tests share one browser page and run in order: later ones use the
// review the first one created.
function defineTests(ctx) {
	const t = [];
	const test = (name, fn) => t.push({ name, fn });

	test('a review created through the new form is shown on its page', async () => {
		const { page, base } = ctx;
		await page.goto(`${base}/reviews/new`);
		await page.fill('#f-title', 'Search outage after index rebuild');
		await page.selectOption('#f-kind', 'incident');
		await page.selectOption('#f-severity', '2');
		await page.selectOption('#f-status', 'draft');
		await page.fill('#f-started_at', '2026-11-20 14:00');
		await page.fill('#f-detected_at', '2026-11-20 14:09');
		await page.fill('#f-resolved_at', '2026-11-20 15:30');
		await page.fill('#f-tldr', 'Search returned **no results** for 90 minutes.');
		await page.fill('#f-services', 'search, indexer');
		await page.fill('#f-tags', 'search, rebuild');
		await Promise.all([page.waitForURL(/\/reviews\/\d+\/edit\?created=1#created$/),
			page.click('button[type=submit].primary')]);
		// the editor opens where writing goes on: at the timeline, its
		// first time taking the keys, "Review created." just above
		const notice = page.locator('#created');
		assert(/Review created/.test(await notice.textContent()), 'no "Review created." notice');
		const tl = await page.locator('#sec-timeline').boundingBox();
		assert(tl.y >= 0 && tl.y < 900 / 2, `the timeline is not at the top of the window: y=${tl.y}`);
		await page.waitForFunction(() => document.activeElement.id === 'f-timeline-0--at', null,
			{ timeout: 3000 }).catch(() => {
			throw new Error('the first entry\'s time does not have the focus');
		});
		await page.keyboard.type('14:02');
		await page.keyboard.press('Tab');
		assert(await page.inputValue('#f-timeline-0--at') === '2026-11-20 14:02', 'HH:MM typed after Create');
		await Promise.all([page.waitForURL(/\/reviews\/\d+$/), notice.locator('a').click()]);
		ctx.reviewUrl = page.url();
		assert(await page.textContent('h1') === 'Search outage after index rebuild', 'title heading');
		assert((await page.innerHTML('.tldr')).includes('<strong>no results</strong>'), 'tl;dr rendered from markdown');
		assert((await page.textContent('#times')).includes('9m'), 'time to detect derived');
		const sev = await page.getAttribute('.badge.sev', 'title');
		assert(sev && sev.length > 0, 'severity badge has its definition as a tooltip');
	});

	test('a bad time re-renders the form with the error in place and the text kept', async () => {
		const { page, base } = ctx;
		await page.goto(`${base}/reviews/new`);
		await page.fill('#f-title', 'Kept title');
		await page.fill('#f-started_at', 'yesterday-ish');
		await page.fill('#f-summary', 'Kept summary');
		await Promise.all([page.waitForLoadState('load'), page.click('button[type=submit].primary')]);
		await page.waitForSelector('#e-started_at');
		assert(await page.inputValue('#f-title') === 'Kept title', 'title kept');
		assert(await page.inputValue('#f-started_at') === 'yesterday-ish', 'bad value kept');
		assert(await page.inputValue('#f-summary') === 'Kept summary', 'summary kept');
		assert(/Started/.test(await page.textContent('#e-started_at')), 'error names the field');
	});

	test('a timeline entry and a follow-up added on the edit page show on the review page', async () => {
		const { page } = ctx;
		await page.goto(ctx.reviewUrl);
		await Promise.all([page.waitForURL(/\/edit$/), page.click('a[href$="/edit"]')]);
		// the first blank rows the server offers
		const tl = '#sec-timeline .row-new';
		await page.locator(`${tl} input[name$=".at"]`).first().fill('2026-11-20 14:09');
		await page.locator(`${tl} select[name$=".kind"]`).first().selectOption('alert');
		await page.locator(`${tl} input[name$=".actor"]`).first().fill('pager');
		await page.locator(`${tl} textarea[name$=".text"]`).first().fill('Synthetic search check **failed**');
		// the rest of an entry is behind its expander
		await page.locator(`${tl} .row-more > summary`).first().click();
		await page.locator(`${tl} textarea[name$=".context"]`).first().fill('We thought the rebuild was done');
		// a row added with the "add" button (app.js)
		const before = await page.locator(tl).count();
		await page.click('button.add-row[data-kind=timeline]');
		assert(await page.locator(tl).count() === before + 1, 'add button adds a row');
		const added = page.locator(tl).last();
		await added.locator('input[name$=".at"]').fill('2026-11-20 14:20');
		await added.locator('.row-more > summary').click();
		await added.locator('input[name$=".approximate"]').check();
		await added.locator('textarea[name$=".text"]').fill('Rolled back to the old index');
		const fu = '#sec-followups .row-new';
		await page.locator(`${fu} input[name$=".title"]`).first().fill('Alert on empty search results');
		await page.locator(`${fu} input[name$=".owner"]`).first().fill('dana');
		await page.locator(`${fu} select[name$=".status"]`).first().selectOption('in-progress');
		await page.locator(`${fu} input[name$=".due"]`).first().fill('2026-12-15');
		await Promise.all([page.waitForURL(/\/reviews\/\d+$/), page.click('.form-actions button[type=submit]')]);
		const rows = page.locator('table.timeline tbody tr');
		assert(await rows.count() === 2, `two timeline rows, got ${await rows.count()}`);
		const first = await rows.nth(0).innerHTML();
		assert(first.includes('Synthetic search check <strong>failed</strong>'), 'entry text rendered');
		assert(first.includes('We thought the rebuild was done'), 'what we knew then shown');
		assert((await rows.nth(1).textContent()).includes('~'), 'approximate time marked');
		const fuText = await page.textContent('table.followups');
		assert(fuText.includes('Alert on empty search results') && fuText.includes('dana') &&
			fuText.includes('In progress') && fuText.includes('2026-12-15'), 'follow-up shown');
		// times in the reader's zone (here the site's, UTC), the zone
		// written next to each; the browser's own zone plays no part
		const times = await page.locator('table.timeline time').allInnerTexts();
		assert(times.length === 2 && times.every((s) => /^\d{4}-\d\d-\d\d \d\d:\d\d UTC$/.test(s)),
			`times not written with their zone: ${times.join(', ')}`);
	});

	test('editing again keeps the entries and a removed one is gone', async () => {
		const { page } = ctx;
		await page.goto(ctx.reviewUrl + '/edit');
		const existing = page.locator('#sec-timeline .row:not(.row-new)');
		assert(await existing.count() === 2, 'two stored timeline rows on the edit page');
		await existing.nth(1).locator('input[name$=".remove"]').check();
		await Promise.all([page.waitForURL(/\/reviews\/\d+$/), page.click('.form-actions button[type=submit]')]);
		assert(await page.locator('table.timeline tbody tr').count() === 1, 'one timeline row left');
		await page.goto(ctx.reviewUrl + '/history');
		assert(await page.locator('li.revision').count() >= 3, 'history lists the changes');
	});

	test('a title with <script> is shown as text and never runs', async () => {
		const { page, base } = ctx;
		const evil = '<script>window.__xss=1</script><img src=x onerror="window.__xss=2">';
		await page.goto(`${base}/reviews/new`);
		await page.fill('#f-title', evil);
		await page.fill('#f-summary', 'Before <script>window.__xss=3</script> after.\n\n' +
			'[click](javascript:window.__xss=4) <img src=x onerror="window.__xss=5">');
		await Promise.all([page.waitForURL(/\/edit\?created=1#created$/), page.click('button[type=submit].primary')]);
		await Promise.all([page.waitForURL(/\/reviews\/\d+$/), page.click('#created a')]);
		assert(await page.textContent('h1') === evil, 'title shown literally');
		assert(await page.evaluate(() => window.__xss) === undefined, 'no script ran on the review page');
		assert(await page.locator('#summary script').count() === 0, 'no script element from markdown');
		const href = await page.getAttribute('#summary a', 'href');
		assert(href !== null && !/^javascript:/i.test(href), `javascript: link made inert (href="${href}")`);
		assert(await page.locator('#summary img').count() === 0, 'raw <img> dropped');
		await page.goto(`${base}/`);
		assert(await page.evaluate(() => window.__xss) === undefined, 'no script ran on the index');
		assert((await page.textContent('table.reviews')).includes(evil), 'index shows it as text');
	});

	// The language coach (static/lint.js over POST /api/v1/lint).
	const COUNTERFACTUAL = 'The on-call engineer should have checked the dashboard.';
	// multi-byte text before it: the API's byte offsets must land on the words
	const BEFORE = 'Nach der Störung — 🚨 ';

	test('the coach highlights a counterfactual typed into the summary, message on hover and focus', async () => {
		const { page, base } = ctx;
		await page.goto(`${base}/reviews/new`);
		await page.fill('#f-title', 'Checkout latency during sale');
		const typed = BEFORE + COUNTERFACTUAL;
		await page.locator('#f-summary').pressSequentially(typed, { delay: 5 });
		const mark = page.locator('.fn-summary .lint-layer mark');
		await mark.first().waitFor();
		assert(await mark.count() === 1, `one highlight, got ${await mark.count()}`);
		const words = await mark.textContent();
		assert(/^should have/i.test(words), `the highlight covers the words, got "${words}"`);
		// the engine's own answer for the same text names the same words
		const api = await (await fetch(`${base}/api/v1/lint`, {
			method: 'POST', headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ text: typed }),
		})).json();
		assert(api.findings.length === 1 && api.findings[0].text === words, 'mark matches the API finding');
		const { message, suggestion } = api.findings[0];
		// the mark lies under the textarea, on its first line
		const mb = await mark.boundingBox(), tb = await page.locator('#f-summary').boundingBox();
		assert(mb && tb && mb.x > tb.x && mb.x + mb.width < tb.x + tb.width &&
			mb.y > tb.y && mb.y + mb.height < tb.y + tb.height, 'mark inside the textarea');
		// counts: the field and its section
		assert((await page.textContent('label[for=f-summary] .lint-count')) === '1 wording note', 'field count');
		assert(await page.isVisible('.group-writeup legend .lint-count'), 'section count shown');
		assert((await page.textContent('.group-writeup legend .lint-count')) === '1 wording note', 'section count');
		// hover: the tooltip says why and what instead
		await page.mouse.move(mb.x + mb.width / 2, mb.y + mb.height / 2);
		await page.waitForSelector('.lint-tip:not([hidden])');
		const tipText = await page.textContent('.lint-tip');
		assert(tipText.includes(message) && tipText.includes(suggestion), 'tooltip has message and suggestion');
		await page.mouse.move(5, 5);
		await page.waitForSelector('.lint-tip', { state: 'hidden' });
		// keyboard: the note under the field is a button that selects the words
		const go = page.locator('.fn-summary .lint-notes button.lint-go');
		assert(await go.count() === 1, 'one note listed under the field');
		assert((await go.getAttribute('title')).includes(message), 'button title has the message');
		assert((await page.textContent('.fn-summary .lint-notes')).includes(suggestion), 'suggestion listed');
		await go.focus();
		await page.keyboard.press('Enter');
		const sel = await page.evaluate(() => {
			const ta = document.getElementById('f-summary');
			return { focused: document.activeElement === ta, text: ta.value.slice(ta.selectionStart, ta.selectionEnd) };
		});
		assert(sel.focused && sel.text === words, `the words are selected (got "${sel.text}")`);
		await page.waitForSelector('.lint-tip:not([hidden])');
		assert((await page.textContent('.lint-tip')).includes(message), 'tooltip while the caret is in the words');
		assert(await page.inputValue('#f-summary') === typed, 'the coach never changes the text');
		await page.setViewportSize({ width: 1280, height: 900 });
		await page.locator('.fn-summary').scrollIntoViewIfNeeded();
		await page.screenshot({ path: path.join(ctx.shots, 'coach.png') });
	});

	test('a clean sentence is not highlighted, and fixing the text clears the highlight', async () => {
		const { page } = ctx;
		const answered = (needle) => page.waitForResponse((r) => r.url().endsWith('/api/v1/lint') &&
			(r.request().postData() || '').includes(needle));
		let done = answered('Checkout latency rose');
		await page.locator('#f-tldr').pressSequentially('Checkout latency rose to 4 s for 40 minutes.', { delay: 5 });
		await done;
		await page.waitForTimeout(50);
		assert(await page.locator('.fn-tldr .lint-layer mark').count() === 0, 'no highlight in a clean sentence');
		assert(await page.isHidden('.fn-tldr .lint-notes'), 'no notes for a clean field');
		done = answered('looked at the dashboard');
		await page.fill('#f-summary', 'The on-call engineer looked at the dashboard, which showed no errors.');
		await done;
		await page.waitForTimeout(50);
		assert(await page.locator('.fn-summary .lint-layer mark').count() === 0, 'highlight gone after the fix');
		assert(await page.isHidden('.group-writeup legend .lint-count'), 'section count hidden at zero');
	});

	test('with the coach live a save with findings goes to the review page, which sums them up', async () => {
		const { page } = ctx;
		const done = page.waitForResponse((r) => r.url().endsWith('/api/v1/lint') &&
			(r.request().postData() || '').includes('root cause'));
		await page.fill('#f-summary', COUNTERFACTUAL + ' The root cause was a stale cache.');
		await done;
		await page.locator('.fn-summary .lint-layer mark').nth(1).waitFor();
		assert(await page.locator('input[type=hidden][name=coach]').count() === 1, 'form says the coach is live');
		await Promise.all([page.waitForURL(/\/edit\?created=1#created$/), page.click('button[type=submit].primary')]);
		await Promise.all([page.waitForURL(/\/reviews\/\d+$/), page.click('#created a')]);
		const summary = await page.textContent('.coach-summary');
		// the counterfactual is a hint: on the edit page, not in this summary
		assert(/Language coach:\s*1 note in Summary/.test(summary), `review page summary, got "${summary}"`);
		assert(!/Counterfactual/.test(summary), `no hint in the summary, got "${summary}"`);
		await page.click('.coach-summary a');
		await page.waitForURL(/\/edit$/);
		await page.locator('.fn-summary .lint-layer mark').nth(1).waitFor();
		assert(await page.isHidden('.coach-static'), 'the server list gives way to the live one');
	});

	test('the coach highlights a counterfactual typed into a follow-up title, an input of one line', async () => {
		const { page } = ctx;
		// the edit page of the review saved by the test before
		assert(/\/edit$/.test(page.url()), `on an edit page, got ${page.url()}`);
		const input = page.locator('.row-followups.row-new input[name$=".title"]').first();
		assert(await input.getAttribute('data-lint') !== null, 'the follow-up title is marked for the coach');
		const id = await input.getAttribute('id');
		const field = page.locator(`.field:has(> label[for="${id}"])`);
		const typed = 'Explain why the operator should have paged the DBA sooner';
		await input.pressSequentially(typed, { delay: 5 });
		const mark = field.locator('.lint-layer mark');
		await mark.first().waitFor();
		assert(await mark.count() === 1, `one highlight, got ${await mark.count()}`);
		const words = await mark.textContent();
		assert(/^should have/i.test(words), `the highlight covers the words, got "${words}"`);
		// under the input, on its one line
		const mb = await mark.boundingBox(), ib = await input.boundingBox();
		assert(mb && ib && mb.x > ib.x && mb.x + mb.width < ib.x + ib.width &&
			mb.y >= ib.y && mb.y + mb.height <= ib.y + ib.height, 'mark inside the input');
		assert((await page.textContent(`label[for="${id}"] .lint-count`)) === '1 wording note', 'field count');
		assert((await page.textContent('#sec-followups legend .lint-count')) === '1 wording note', 'section count');
		// hover and focus: message and suggestion
		await page.mouse.move(mb.x + mb.width / 2, mb.y + mb.height / 2);
		await page.waitForSelector('.lint-tip:not([hidden])');
		assert((await page.textContent('.lint-tip')).includes('Try'), 'tooltip with a suggestion on hover');
		await page.mouse.move(5, 5);
		await page.waitForSelector('.lint-tip', { state: 'hidden' });
		await field.locator('.lint-notes button.lint-go').click();
		const sel = await page.evaluate((i) => {
			const el = document.getElementById(i);
			return { focused: document.activeElement === el, text: el.value.slice(el.selectionStart, el.selectionEnd) };
		}, id);
		assert(sel.focused && sel.text === words, `the words are selected (got "${sel.text}")`);
		await page.waitForSelector('.lint-tip:not([hidden])');
		assert(await input.inputValue() === typed, 'the coach never changes the text');
	});

	test('screenshots of the review page and the index', async () => {
		const { page, base } = ctx;
		await page.setViewportSize({ width: 1280, height: 900 });
		await page.goto(ctx.reviewUrl);
		await page.screenshot({ path: path.join(ctx.shots, 'review.png'), fullPage: true });
		await page.goto(`${base}/`);
		await page.screenshot({ path: path.join(ctx.shots, 'index.png'), fullPage: true });
		assert(fs.statSync(path.join(ctx.shots, 'index.png')).size > 1000, 'screenshot written');
	});

	test('no page broke the content security policy or logged an error', async () => {
		assert(ctx.problems.length === 0, ctx.problems.join('; '));
	});
	return t;
}

async function main() {
	const bin = process.argv[2] || process.env.DEBRIEF_BIN;
	let passed = 0, failed = 0;
	let server = null, browser = null;
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'debrief-browser-'));
	const ctx = { problems: [], shots: process.env.SHOT_DIR || dir };

	try {
		if (!bin)
			throw new Error('usage: node review.test.js /path/to/debrief');
		fs.mkdirSync(ctx.shots, { recursive: true });
		server = await startServer(bin, dir);
		ctx.base = server.base;
		browser = await chromium.launchPersistentContext(path.join(dir, 'profile'), {
			executablePath: CHROMIUM,
			headless: true,
			args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
				'--no-first-run', '--disable-background-networking',
				'--disable-component-update', '--disable-sync'],
			viewport: { width: 1280, height: 900 },
		});
		browser.setDefaultTimeout(10000);
		ctx.page = browser.pages()[0] || await browser.newPage();
		ctx.page.on('dialog', (d) => {
			// leaving a form with unsaved text asks first (draft.js);
			// the tests leave some on purpose
			if (d.type() === 'beforeunload') {
				d.accept().catch(() => {});
				return;
			}
			ctx.problems.push(`unexpected dialog: ${d.message()}`);
			d.dismiss().catch(() => {});
		});
		ctx.page.on('console', (m) => {
			// a form sent back with errors is a 422 document: expected
			if (m.type() === 'error' && !/status of 422/.test(m.text()))
				ctx.problems.push(`console error: ${m.text()}`);
		});
		ctx.page.on('pageerror', (e) => ctx.problems.push(`page error: ${e.message}`));
	} catch (e) {
		console.log(`not ok - setup: ${e.message}`);
		failed++;
	}
	if (!failed) {
		for (const { name, fn } of defineTests(ctx)) {
			try {
				await withTimeout(fn(), TEST_TIMEOUT_MS, name);
				console.log(`ok - ${name}`);
				passed++;
			} catch (e) {
				console.log(`not ok - ${name}: ${e.message.split('\n')[0]}`);
				failed++;
			}
		}
		if (process.env.SHOT_DIR)
			console.log(`screenshots in ${ctx.shots}`);
	}
	if (browser)
		await browser.close().catch(() => {});
	if (server) {
		server.proc.kill('SIGTERM');
		await new Promise((r) => server.proc.exitCode !== null ? r() : server.proc.on('exit', r));
	}
	// keep the server log and screenshots of a failed run to look at
	if (failed)
		console.log(`server log and screenshots kept in ${dir}`);
	else
		fs.rmSync(dir, { recursive: true, force: true });
	console.log(`${passed} passed, ${failed} failed`);
	process.exitCode = failed ? 1 : 0;
}

main();
