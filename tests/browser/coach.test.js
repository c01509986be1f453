// coach.test.js: the language coach explains itself and can be told "not
// blame here", in chromium: every live finding links its category's page
// of the guide (GET /coach/NAME, docs/lint.md rendered by the server); the
// static list of a save without JavaScript and the review page's summary
// link it too; "Not blame here" stores an allow entry with the review, the
// finding goes away at once and stays away after a reload, and History
// shows it. Ends with the line "N passed, N failed".
//
//   node coach.test.js /path/to/debrief
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const H = require('./harness');

const { assert } = H;
const TEST_TIMEOUT_MS = 30000;
const SENTENCE = 'The vendor report calls it human error.';

async function createReview(base, body) {
	const r = await fetch(`${base}/api/v1/reviews`, {
		method: 'POST', headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify(body),
	});
	assert(r.status === 201, `create: ${r.status}`);
	return (await r.json()).id;
}

async function allows(base, id) {
	const j = await (await fetch(`${base}/api/v1/reviews/${id}/lint-allows`)).json();
	return j['lint-allows'];
}

function defineTests(ctx) {
	const t = [];
	const test = (name, fn) => t.push({ name, fn });

	test('a live finding links the guide, which opens on its category', async () => {
		const { base } = ctx;
		const id = await createReview(base, { title: 'Why link', summary: 'We should have checked the dashboard.' });
		const page = await ctx.newPage();
		await page.goto(`${base}/reviews/${id}/edit`);
		const why = page.locator('.fn-summary .lint-notes a.coach-why');
		await why.waitFor();
		assert((await why.getAttribute('href')) === '/coach/counterfactual',
			`href ${await why.getAttribute('href')}`);
		assert((await why.getAttribute('target')) === '_blank', 'opens beside the form');
		const [guide] = await Promise.all([page.context().waitForEvent('page'), why.click()]);
		await guide.waitForLoadState();
		assert(guide.url() === `${base}/coach/counterfactual`, `opened ${guide.url()}`);
		assert((await guide.textContent('h1')).includes('Counterfactual'), 'heading names the category');
		const text = await guide.locator('article.coach-help').innerText();
		assert(/alternative past that did not happen/.test(text), 'the counterfactual section');
		assert(/Example\. Flagged:/.test(text) && /Better:/.test(text), 'good and bad examples');
		assert(!/one cause as the root/.test(text), 'not the next section');
		assert(await guide.isVisible('nav.coach-help-nav a[aria-current=page]'), 'current category marked');
		await guide.close();
		await page.close();
	});

	test('without JavaScript the list after a save and the review page link the guide', async () => {
		const { base } = ctx;
		const noJs = await ctx.browser.browser().newContext({ javaScriptEnabled: false });
		const page = await noJs.newPage();
		await page.goto(`${base}/reviews/new`);
		await page.fill('#f-title', 'No script');
		await page.fill('#f-summary', 'The root cause was a full disk.');
		await Promise.all([page.waitForNavigation(), page.click('button.primary[type=submit]')]);
		assert(/\/edit\?saved=1$/.test(page.url()), `after save: ${page.url()}`);
		const why = page.locator('.coach-static a.coach-why');
		assert((await why.count()) === 1, 'one why link in the list');
		assert((await why.getAttribute('href')) === '/coach/root-cause', 'to its category');
		const id = page.url().match(/reviews\/(\d+)/)[1];
		await page.goto(`${base}/reviews/${id}`);
		await Promise.all([page.waitForNavigation(), page.click('.coach-summary a.coach-why')]);
		assert(page.url() === `${base}/coach/root-cause`, `summary link opened ${page.url()}`);
		assert((await page.textContent('h1')).includes('Root cause'), 'root-cause page');
		await noJs.close();
	});

	test('"Not blame here" stores an allow entry, the finding goes and stays gone', async () => {
		const { base } = ctx;
		const id = await createReview(base, { title: 'Vendor outage', summary: SENTENCE,
			went_well: 'Nobody blamed the operator; human error was not the story.' });
		const page = await ctx.newPage();
		await page.goto(`${base}/reviews/${id}/edit`);
		const marks = page.locator('.lint-layer mark');
		await page.locator('.fn-summary .lint-layer mark').waitFor();
		// each field's answer comes on its own
		await page.locator('.fn-went_well .lint-layer mark').waitFor();
		const before = await marks.count();
		assert(before >= 2, `two highlights expected, got ${before}`);
		const btn = page.locator('.fn-summary .lint-notes button.lint-allow');
		assert((await btn.innerText()) === 'Not blame here', 'button label');
		const posted = page.waitForResponse((r) => r.url().endsWith(`/reviews/${id}/lint-allows`) &&
			r.request().method() === 'POST');
		await btn.click();
		const res = await posted;
		assert(res.status() === 201, `allow answered ${res.status()}`);
		await page.waitForFunction(() =>
			document.querySelectorAll('.fn-summary .lint-layer mark').length === 0);
		// the same words in another field are allowed too
		await page.waitForFunction(() =>
			document.querySelectorAll('.fn-went_well .lint-layer mark').length === 0);
		const stored = await allows(base, id);
		assert(stored.length === 1 && stored[0].phrase === 'human error' &&
			stored[0].category === 'human-error', `stored ${JSON.stringify(stored)}`);
		// saving the form (opened before the entry) keeps it
		await page.fill('#f-tldr', 'A vendor outage.');
		await Promise.all([page.waitForNavigation(), page.click('button.primary[type=submit]')]);
		assert(page.url() === `${base}/reviews/${id}`, `save went to ${page.url()}`);
		assert((await allows(base, id)).length === 1, 'the save dropped the allow entry');
		assert(!(await page.isVisible('.coach-summary')), 'review page still sums up the allowed finding');
		// after a reload the server and the live coach both leave it alone
		await page.goto(`${base}/reviews/${id}/edit`);
		assert((await page.locator('.coach-static').count()) === 0, 'server list still flags it');
		await page.waitForSelector('input[type=hidden][name=coach]', { state: 'attached' });
		assert((await marks.count()) === 0, 'live coach still flags it');
		await page.goto(`${base}/reviews/${id}/history`);
		const hist = await page.locator('main').innerText();
		assert(/allowed wording/.test(hist) && /human error/.test(hist), 'History shows the entry');
		await page.close();
	});

	test('an allowed wording listed above the form can be removed, and is flagged again', async () => {
		const { base } = ctx;
		const id = await createReview(base, { title: 'Undo', summary: SENTENCE });
		const r = await fetch(`${base}/api/v1/reviews/${id}/lint-allows`, {
			method: 'POST', headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ phrase: 'human error', category: 'human-error', note: 'quoted' }),
		});
		assert(r.status === 201, `allow: ${r.status}`);
		const page = await ctx.newPage();
		await page.goto(`${base}/reviews/${id}/edit`);
		await page.waitForSelector('input[type=hidden][name=coach]', { state: 'attached' });
		assert((await page.locator('.fn-summary .lint-layer mark').count()) === 0, 'allowed words flagged');
		await page.click('details.coach-allowed summary');
		const rm = page.locator('details.coach-allowed button.lint-unallow');
		assert(await rm.isVisible(), 'Remove button shown with JavaScript');
		const gone = page.waitForResponse((x) => x.request().method() === 'DELETE');
		await rm.click();
		assert((await gone).status() === 204, 'DELETE answered');
		await page.locator('.fn-summary .lint-layer mark').waitFor();
		assert((await page.locator('details.coach-allowed li').count()) === 0, 'entry left in the list');
		assert((await allows(base, id)).length === 0, 'entry still stored');
		await page.close();
	});

	test('an empty field is wrapped only when first focused, and keeps the focus and what is typed', async () => {
		const { base } = ctx;
		const id = await createReview(base, { title: 'Lazy coach', summary: 'We should have checked the dashboard.' });
		const page = await ctx.newPage();
		await page.goto(`${base}/reviews/${id}/edit`);
		await page.locator('.fn-summary .lint-layer mark').waitFor();
		assert((await page.locator('.fn-went_poorly .lint-wrap').count()) === 0,
			'an empty field is not wrapped at load');
		await page.click('#f-went_poorly');
		assert((await page.locator('.fn-went_poorly .lint-wrap').count()) === 1, 'wrapped on focus');
		assert(await page.evaluate(() => document.activeElement.id === 'f-went_poorly'),
			'the focus stays in the field');
		const answered = page.waitForResponse((r) => r.url().endsWith('/api/v1/lint'));
		await page.keyboard.type('The operator should have known better.');
		await answered;
		assert((await page.inputValue('#f-went_poorly')) === 'The operator should have known better.',
			'the typed text is kept');
		await page.locator('.fn-went_poorly .lint-layer mark').first().waitFor();
		assert((await page.textContent('label[for=f-went_poorly] .lint-count')) !== '',
			'the field counts its notes');
		await page.close();
	});

	test('with JavaScript the server\'s list goes and leaves no empty box; "Saved." stays', async () => {
		const { base } = ctx;
		const id = await createReview(base, { title: 'Empty box', summary: SENTENCE });
		const page = await ctx.newPage();
		await page.goto(`${base}/reviews/${id}/edit`);
		assert((await page.locator('.notice-coach .coach-static').count()) === 1, 'the server lists the finding');
		await page.waitForSelector('input[type=hidden][name=coach]', { state: 'attached' });
		await page.locator('.fn-summary .lint-layer mark').waitFor();
		assert(!(await page.isVisible('.coach-static')), 'the stale list is still shown');
		assert(!(await page.isVisible('.notice-coach')), 'an empty coach box is left above the form');
		// after a save without the live coach, "Saved." is kept in its box
		await page.goto(`${base}/reviews/${id}/edit?saved=1`);
		await page.waitForSelector('input[type=hidden][name=coach]', { state: 'attached' });
		assert(await page.isVisible('.notice-coach .coach-saved'), '"Saved." hidden with the list');
		assert(!(await page.isVisible('.coach-static')), 'the stale list is still shown after a save');
		await page.close();
	});

	test('a hint is drawn more quietly than a warning, and its note says hint', async () => {
		const { base } = ctx;
		const id = await createReview(base, { title: 'Hints',
			summary: 'We should have checked the dashboard. The root cause was a full disk.' });
		const page = await ctx.newPage();
		await page.goto(`${base}/reviews/${id}/edit`);
		await page.locator('.fn-summary .lint-layer mark').nth(1).waitFor();
		const marks = await page.$$eval('.fn-summary .lint-layer mark',
			(ms) => ms.map((m) => ({ text: m.textContent, hint: m.classList.contains('lint-hint'),
				border: getComputedStyle(m).borderBottomStyle })));
		const cf = marks.find((m) => m.text === 'should have checked');
		const rc = marks.find((m) => m.text === 'root cause');
		assert(cf && cf.hint && cf.border === 'dotted', 'the counterfactual is a dotted hint: ' + JSON.stringify(marks));
		assert(rc && !rc.hint && rc.border !== 'dotted', 'root cause is a warning: ' + JSON.stringify(marks));
		const notes = await page.$$eval('.fn-summary .lint-note',
			(ls) => ls.map((l) => ({ hint: l.classList.contains('lint-hint'),
				sev: (l.querySelector('.coach-sev') || {}).textContent || '' })));
		assert(notes.some((n) => n.hint && n.sev === 'hint'), 'a note marked hint: ' + JSON.stringify(notes));
		assert(notes.some((n) => !n.hint && n.sev === ''), 'a warning note: ' + JSON.stringify(notes));
		await page.close();
	});

	return t;
}

async function main() {
	const bin = process.argv[2] || process.env.DEBRIEF_BIN;
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'debrief-coach-'));
	const ctx = { problems: [] };
	let server = null, browser = null, res = { passed: 0, failed: 0 };

	try {
		if (!bin)
			throw new Error('usage: node coach.test.js /path/to/debrief');
		server = await H.startServer(bin, dir);
		ctx.base = server.base;
		browser = await H.launchBrowser();
		ctx.browser = await browser.newContext({ viewport: { width: 1280, height: 900 } });
		ctx.browser.setDefaultTimeout(10000);
		ctx.newPage = async () => {
			const p = await ctx.browser.newPage();
			p.on('pageerror', (e) => ctx.problems.push(`page error: ${e.message}`));
			p.on('console', (m) => {
				if (m.type() === 'error')
					ctx.problems.push(`console error: ${m.text()}`);
			});
			return p;
		};
		const tests = defineTests(ctx);
		tests.push({ name: 'no page logged an error', fn: async () => {
			assert(!ctx.problems.length, ctx.problems.join('; '));
		} });
		res = await H.runTests(tests, TEST_TIMEOUT_MS);
	} catch (e) {
		console.log(`not ok - setup: ${e.message}`);
		res.failed++;
	}
	if (browser)
		await browser.close().catch(() => {});
	await H.stopServer(server);
	if (res.failed)
		console.log(`server log kept in ${dir}`);
	else
		fs.rmSync(dir, { recursive: true, force: true });
	console.log(`${res.passed} passed, ${res.failed} failed`);
	process.exitCode = res.failed ? 1 : 0;
}

main();
