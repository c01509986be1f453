// chat.test.js: the chat of a review in chromium. A small Slack export
// (fixtures/slack-small.zip: one channel, a thread reply, a join, an
// edit) is uploaded through the form on /reviews/ID/chat; the messages
// are listed; two are ticked and added to the timeline with the button,
// without JavaScript doing any of it; the review page then shows them as
// timeline entries with the author as actor and a link back to the chat.
// Ends with the line "N passed, N failed".
//
//   node chat.test.js /path/to/debrief
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const H = require('./harness');

const { assert } = H;
const TEST_TIMEOUT_MS = 30000;
const FIXTURE = path.join(__dirname, 'fixtures', 'slack-small.zip');

function defineTests(ctx) {
	const t = [];
	const test = (name, fn) => t.push({ name, fn });

	test('a Slack export uploaded on the chat page lists its messages', async () => {
		const { page, base } = ctx;
		const r = await fetch(`${base}/api/v1/reviews`, {
			method: 'POST', headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ title: 'Checkout errors after deploy',
				started_at: '2026-01-01T10:00:00Z', resolved_at: '2026-01-01T10:30:00Z' }),
		});
		assert(r.status === 201, `create: ${r.status}`);
		ctx.id = (await r.json()).id;
		await page.goto(`${base}/reviews/${ctx.id}`);
		await Promise.all([page.waitForURL(`${base}/reviews/${ctx.id}/chat`),
			page.click('a[href$="/chat"]')]);
		assert((await page.locator('.empty').innerText()).includes('No chat'), 'not empty');
		await page.click('details.chat-upload summary');
		await page.setInputFiles('input[name=file]', FIXTURE);
		await Promise.all([page.waitForURL(/\/chat\?all=1/), page.click('.chat-upload button[type=submit]')]);
		const rows = page.locator('table.chat tbody tr:not(.day)');
		assert(await rows.count() === 4, `rows: ${await rows.count()}`);
		const text = await page.locator('table.chat').innerText();
		assert(text.includes('paging @Ben'), 'mention not resolved');
		assert(text.includes('deploy & watching'), 'escaping not undone');
		assert(await page.locator('tr.reply').count() === 1, 'no thread reply');
		assert(await page.locator('tr.other').count() === 1, 'no join');
		assert(text.includes('edited'), 'edit not shown');
	});

	test('two ticked messages become two timeline entries', async () => {
		const { page, base } = ctx;
		const first = page.locator('table.chat tbody tr:not(.day):not(.other)').nth(0);
		const last = page.locator('table.chat tbody tr:not(.day):not(.other)').nth(2);
		await first.locator('input[type=checkbox]').check();
		await last.locator('input[type=checkbox]').check();
		await Promise.all([page.waitForURL(`${base}/reviews/${ctx.id}#timeline`),
			page.locator('button[name=promote]').first().click()]);
		const rows = page.locator('table.timeline tbody tr');
		assert(await rows.count() === 2, `timeline rows: ${await rows.count()}`);
		const t0 = await rows.nth(0).innerText(), t1 = await rows.nth(1).innerText();
		assert(t0.includes('Ana') && t0.includes('Checkout errors are up'), `first: ${t0}`);
		assert(t1.includes('Ben') && t1.includes('Rollback done'), `second: ${t1}`);
		const src = await rows.nth(0).locator('a[href*="/chat#m"]').getAttribute('href');
		assert(src && src.startsWith(`/reviews/${ctx.id}/chat#m`), `source: ${src}`);
	});

	test('the review page shows the chat beside the timeline, the two marked', async () => {
		const { page, base, browser } = ctx;
		const aside = page.locator('#timeline aside.chat-beside');
		assert(await aside.isVisible(), 'no chat beside the timeline');
		assert(await aside.locator('li').count() === 4, `messages: ${await aside.locator('li').count()}`);
		assert(await aside.locator('li.promoted').count() === 2, 'promoted not marked');
		const box = await aside.boundingBox(), tbox = await page.locator('table.timeline').boundingBox();
		assert(box.x > tbox.x + tbox.width - 1, 'the chat is not beside the timeline');
		const to = await aside.locator('li.promoted a.to-entry').first().getAttribute('href');
		assert(/^#tl-\d+$/.test(to), `link: ${to}`);
		assert(await page.locator(`table.timeline tr${to}`).count() === 1, 'no such entry');
		// readable without JavaScript: the same page in a context without it
		const ctx2 = await browser.newContext({ javaScriptEnabled: false });
		const p2 = await ctx2.newPage();
		await p2.goto(`${base}/reviews/${ctx.id}`);
		const text = await p2.locator('#timeline aside.chat-beside').innerText();
		assert(text.includes('Checkout errors are up') && text.includes('Rollback done'), `no-JS: ${text}`);
		await ctx2.close();
	});

	test('with the keyboard: j moves, x ticks, p adds to the timeline', async () => {
		const { page, base } = ctx;
		await page.goto(`${base}/reviews/${ctx.id}/chat?all=1`);
		// rows: parent, reply (under it), join, rollback; tick the reply
		await page.keyboard.press('j');
		await page.keyboard.press('j');
		await page.keyboard.press('x');
		const ticked = await page.locator('table.chat input[type=checkbox]:checked').count();
		assert(ticked === 1, `ticked: ${ticked}`);
		assert(await page.locator('tr.current.reply').count() === 1, 'the reply is not current');
		await Promise.all([page.waitForURL(`${base}/reviews/${ctx.id}#timeline`),
			page.keyboard.press('p')]);
		const rows = page.locator('table.timeline tbody tr');
		assert(await rows.count() === 3, `timeline rows: ${await rows.count()}`);
		assert((await page.locator('table.timeline').innerText()).includes('Rolling back'),
			'the reply is not in the timeline');
	});

	test('the chat is unchanged and importing it again adds nothing', async () => {
		const { page, base } = ctx;
		await page.goto(`${base}/reviews/${ctx.id}/chat?all=1`);
		await page.click('details.chat-upload summary');
		await page.setInputFiles('input[name=file]', FIXTURE);
		await Promise.all([page.waitForURL(/added=0/), page.click('.chat-upload button[type=submit]')]);
		assert(await page.locator('table.chat tbody tr:not(.day)').count() === 4, 'rows changed');
	});
	return t;
}

async function main() {
	const bin = process.argv[2];
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'debrief-chat-'));
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
