// launch.test.js: architecture and operability reviews in chromium. An
// operability review is made with the new-review form of its kind; its
// edit form fills a contingency checklist and answers the readiness
// questions; the page lists the rows by risk and says which "no" blocks
// the launch; marking it ready is refused naming that question; a flag
// of a row changes in the flag source (a file) and the page shows the
// new state. On an architecture review a question is asked and voted up
// once, and a second vote is refused; its meeting is scheduled from its
// page and shows on the page, in the run of show (its questions) and in
// the print view. Ends with "N passed, N failed".
//
//   node launch.test.js /path/to/debrief
'use strict';

const { spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const H = require('./harness');

const { assert, sleep } = H;
const TEST_TIMEOUT_MS = 30000;

// startServer is the harness's, with a config file that names a flag
// source (a JSON file the test rewrites) read every second.
async function startServer(bin, dir) {
	const port = await H.freePort();
	const conf = path.join(dir, 'debrief.conf');
	fs.writeFileSync(path.join(dir, 'flags.json'),
		'{"disable_coffee_favorites_page": false}');
	fs.writeFileSync(conf, `flags.source = ${path.join(dir, 'flags.json')}\n` +
		'flags.interval = 1s\n');
	const log = fs.openSync(path.join(dir, 'server.log'), 'w');
	const proc = spawn(bin, ['serve', '--config', conf, '--db',
		path.join(dir, 'browser.db'), '--listen', `127.0.0.1:${port}`],
	{ stdio: ['ignore', log, log] });
	const base = `http://127.0.0.1:${port}`;
	for (let i = 0; i < 100; i++) {
		if (proc.exitCode !== null)
			throw new Error(`debrief exited with ${proc.exitCode}`);
		try {
			if ((await fetch(`${base}/api/v1/health`)).ok)
				return { proc, base };
		} catch (e) {
			/* not listening yet */
		}
		await sleep(100);
	}
	proc.kill('SIGKILL');
	throw new Error('debrief did not answer within 10 s');
}

async function save(page) {
	await Promise.all([page.waitForNavigation(), page.click('button.primary[type=submit]')]);
}

function readinessAnswer(page, question) {
	return page.locator('.row-readiness', {
		has: page.locator(`input[value="${question}"]`) }).locator('select[name$=".answer"]');
}

function defineTests(ctx) {
	const t = [];
	const test = (name, fn) => t.push({ name, fn });

	test('the new-review form of an operability review makes one with its readiness questions', async () => {
		const { page, base } = ctx;
		await page.goto(`${base}/reviews/new?kind=operability`);
		assert(await page.locator('select[name=kind]').inputValue() === 'operability', 'kind not chosen');
		await page.fill('input[name=title]', 'Coffee favorites launch');
		await page.fill('input[name=feature]', 'The favorites page');
		await save(page);
		const m = page.url().match(/\/reviews\/(\d+)$/);
		assert(m, `not on the review: ${page.url()}`);
		ctx.id = m[1];
		assert(await page.locator('#readiness tbody tr').count() === 9, 'not 9 readiness questions');
		assert(await page.locator('#readiness-blocked').count() === 0, 'blocked with nothing answered');
	});

	test('a filled contingency checklist is listed by risk and an infrastructure "no" blocks', async () => {
		const { page, base } = ctx;
		await page.goto(`${base}/reviews/${ctx.id}/edit`);
		const rows = page.locator('.row-contingencies');
		assert(await rows.count() >= 3, `blank rows: ${await rows.count()}`);
		const fill = async (i, issue, lik, imp, flag) => {
			const row = rows.nth(i);
			await row.locator('input[name$=".issue"]').fill(issue);
			await row.locator('select[name$=".likelihood"]').selectOption(lik);
			await row.locator('select[name$=".impact"]').selectOption(imp);
			if (flag)
				await row.locator('input[name$=".flag"]').fill(flag);
		};
		await fill(0, 'A typo on the page', 'low', 'low');
		await fill(1, 'The favorites page melts the database', 'high', 'high',
			'disable_coffee_favorites_page');
		await fill(2, 'Images load slowly', 'medium', 'high');
		await readinessAnswer(page, 'Does it add production infrastructure?').selectOption('yes');
		await readinessAnswer(page, 'If so: is it in monitoring and metrics?').selectOption('no');
		await save(page);
		assert(page.url() === `${base}/reviews/${ctx.id}`, `not saved: ${page.url()}`);
		const issues = await page.locator('#contingencies td.f-issue').allInnerTexts();
		assert(JSON.stringify(issues) === JSON.stringify(['The favorites page melts the database',
			'Images load slowly', 'A typo on the page']), `order: ${issues}`);
		const blocked = await page.locator('#readiness-blocked').innerText();
		assert(blocked.includes('monitoring and metrics'), `blocked: ${blocked}`);
		assert(await page.locator('tr.blocks').count() === 1, 'no row marked');
	});

	test('marking it ready is refused, naming the question, and nothing is saved', async () => {
		const { page, base } = ctx;
		await page.goto(`${base}/reviews/${ctx.id}/edit`);
		await page.selectOption('select[name=status]', 'ready');
		await save(page);
		const alert = await page.locator('.notice-error').innerText();
		assert(alert.includes('cannot be ready') && alert.includes('monitoring'), `alert: ${alert}`);
		const doc = await (await fetch(`${base}/api/v1/reviews/${ctx.id}`)).json();
		assert(doc.status === 'draft', `status: ${doc.status}`);
	});

	test("a row's flag shows its state and follows the flag source", async () => {
		const { page, base, dir } = ctx;
		await page.goto(`${base}/reviews/${ctx.id}`);
		const state = page.locator('#contingencies .flag-value');
		assert(await state.innerText() === 'false', `state: ${await state.innerText()}`);
		assert((await page.locator('#flags').innerText()).includes('disable_coffee_favorites_page'),
			'not at a glance');
		fs.writeFileSync(path.join(dir, 'flags.json'), '{"disable_coffee_favorites_page": true}');
		let now = '';
		for (let i = 0; i < 50 && now !== 'true'; i++) {
			await sleep(200);
			await page.reload();
			now = await page.locator('#contingencies .flag-value').innerText();
		}
		assert(now === 'true', `state after the flip: ${now}`);
	});

	test('a question is asked and voted up once on an architecture review', async () => {
		const { page, base } = ctx;
		const r = await fetch(`${base}/api/v1/reviews`, {
			method: 'POST', headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ kind: 'architecture', title: 'Adopt Cassandra',
				proposal: 'Goals: writes that scale.' }),
		});
		assert(r.status === 201, `create: ${r.status}`);
		const id = (await r.json()).id;
		await page.goto(`${base}/reviews/${id}`);
		assert((await page.locator('#standard-questions').innerText()).includes('Does it make sense?'),
			'standard questions missing');
		await page.fill('#ask-text', 'Who runs it at night?');
		await Promise.all([page.waitForNavigation(), page.click('form.ask button')]);
		await Promise.all([page.waitForNavigation(), page.click('#questions td.vote button')]);
		assert(await page.locator('#questions td.f-votes').innerText() === '1', 'not one vote');
		await Promise.all([page.waitForNavigation(), page.click('#questions td.vote button')]);
		assert((await page.locator('body').innerText()).includes('already voted'), 'second vote taken');
		// the meeting answers it in the edit form
		await page.goto(`${base}/reviews/${id}/edit`);
		const row = page.locator('.row-questions', {
			has: page.locator('input[value="Who runs it at night?"]') });
		await row.locator('input[name$=".answered"]').check();
		await row.locator('textarea[name$=".answer"]').fill('The storage team, on call.');
		await save(page);
		assert(await page.locator('#questions td.f-answered').innerText() === 'Yes', 'not answered');
		assert(await page.locator('#questions td.f-votes').innerText() === '1', 'votes lost');
		assert((await page.locator('#questions td.f-answer').innerText()).includes('storage team'),
			'answer missing');
		ctx.archId = id;
	});

	test("an architecture review's meeting is scheduled from its page, like any review's", async () => {
		const { page, base } = ctx;
		const id = ctx.archId;
		await page.goto(`${base}/reviews/${id}`);
		const card = page.locator('#meeting');
		assert((await card.innerText()).includes('once the proposal has circulated'),
			`no prompt: ${await card.innerText()}`);
		await Promise.all([page.waitForURL(`${base}/reviews/${id}/meeting`),
			card.locator('a.button').click()]);
		await page.fill('#m-start', '2099-03-04 13:00');
		await page.fill('#m-duration_minutes', '60');
		await page.fill('#m-location', 'Room <4>');
		await page.fill('#m-invitees', 'Cy <cy@example.com>\nDi');
		await page.click('form.meeting-form button[type=submit]');
		await page.locator('.meeting-saved').waitFor();
		await page.goto(`${base}/reviews/${id}`);
		const text = await page.locator('#meeting').innerText();
		assert(text.includes('Room <4>') && text.includes('Scheduled'), `card: ${text}`);
		// the run of show goes through the questions, most votes first
		await page.goto(`${base}/reviews/${id}/meeting/run`);
		const qs = await page.locator('.run-questions').innerText();
		assert(qs.includes('Who runs it at night?') && qs.includes('answered'),
			`run of show: ${qs}`);
		assert(await page.locator('.run-timeline').count() === 0, 'a timeline in the run of show');
		// and the print view shows the meeting and the questions
		await page.goto(`${base}/reviews/${id}/print`);
		const pr = await page.locator('body').innerText();
		assert(pr.includes('Room <4>') && pr.includes('Who runs it at night?') &&
			pr.includes('Not answered yet.'), `print: ${pr.slice(0, 400)}`);
	});
	return t;
}

async function main() {
	const bin = process.argv[2];
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'debrief-launch-'));
	let server, browser, result = { passed: 0, failed: 1 };

	try {
		server = await startServer(bin, dir);
		browser = await H.launchBrowser();
		const page = await (await browser.newContext()).newPage();
		result = await H.runTests(defineTests({ browser, page, base: server.base, dir }),
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
