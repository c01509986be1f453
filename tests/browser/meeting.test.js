// meeting.test.js: the review meeting in chromium. A meeting is
// scheduled from the review page's card through the meeting form, a bad
// time zone is shown next to its field and saves nothing, the invite is
// downloaded as an .ics, and the run of show (when built) runs its clock,
// parks a tangent and turns it into a follow-up.
// Ends with the line "N passed, N failed".
//
//   node meeting.test.js /path/to/debrief
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const H = require('./harness');

const { assert } = H;
const TEST_TIMEOUT_MS = 30000;

function defineTests(ctx) {
	const t = [];
	const test = (name, fn) => t.push({ name, fn });

	test('a meeting is scheduled from the review page', async () => {
		const { page, base } = ctx;
		const r = await fetch(`${base}/api/v1/reviews`, {
			method: 'POST', headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ title: 'Checkout errors after deploy',
				resolved_at: '2026-01-01T10:30:00Z',
				timeline: [{ at: '2026-01-01T10:00:00Z', text: 'Errors rise' }] }),
		});
		assert(r.status === 201, `create: ${r.status}`);
		ctx.id = (await r.json()).id;
		await page.goto(`${base}/reviews/${ctx.id}`);
		const card = page.locator('#meeting');
		assert((await card.innerText()).includes('No meeting yet'), 'no prompt');
		await Promise.all([page.waitForURL(`${base}/reviews/${ctx.id}/meeting`),
			card.locator('a.button').click()]);
		// the roster's suggestion fills the facilitator
		const fr = await fetch(`${base}/api/v1/facilitators`, {
			method: 'POST', headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ name: 'Sam', contact: 'sam@example.com' }),
		});
		assert(fr.status === 201, `roster: ${fr.status}`);
		await page.reload();
		await page.click('button.suggest');
		assert(await page.inputValue('#m-facilitator') === 'Sam <sam@example.com>',
			'suggestion not taken');
		await page.fill('#m-start', '2099-03-04 13:00');
		await page.fill('#m-duration_minutes', '60');
		await page.fill('#m-timezone', 'Mars/Olympus');
		await page.fill('#m-location', 'Room 4');
		await page.fill('#m-facilitator', 'Fay <fay@example.com>');
		await page.fill('#m-note_taker', 'Ned');
		await page.fill('#m-invitees', 'eng@lists.example.com\nCy <cy@example.com>');
		await page.click('form.meeting-form button[type=submit]');
		const tzErr = page.locator('.field-error[data-for="timezone"]');
		await tzErr.waitFor({ state: 'visible' });
		assert((await tzErr.innerText()).includes('Mars/Olympus'), 'error not by the field');
		const none = await fetch(`${base}/api/v1/reviews/${ctx.id}/meeting`);
		assert(none.status === 404, `saved anyway: ${none.status}`);
		await page.fill('#m-timezone', 'Europe/Paris');
		await page.click('form.meeting-form button[type=submit]');
		await page.locator('.meeting-saved').waitFor();
		assert(await tzErr.isHidden(), 'old error still shown');
		const m = await (await fetch(`${base}/api/v1/reviews/${ctx.id}/meeting`)).json();
		assert(m.timezone === 'Europe/Paris' && m.invitees.length === 2,
			`stored: ${JSON.stringify(m)}`);
		await page.goto(`${base}/reviews/${ctx.id}`);
		const text = await page.locator('#meeting').innerText();
		assert(text.includes('Room 4') && text.includes('Scheduled'), `card: ${text}`);
	});

	test('the invite downloads as an .ics with the meeting in it', async () => {
		const { page, base } = ctx;
		await page.goto(`${base}/reviews/${ctx.id}`);
		const [dl] = await Promise.all([page.waitForEvent('download'),
			page.click('#meeting a[href$="meeting.ics"]')]);
		const file = await dl.path();
		const ics = fs.readFileSync(file, 'utf8');
		assert(dl.suggestedFilename() === `review-${ctx.id}-meeting.ics`,
			`name: ${dl.suggestedFilename()}`);
		assert(ics.includes('METHOD:REQUEST'), 'no METHOD');
		assert(ics.includes('DTSTART;TZID=Europe/Paris:20990304T140000'), 'no DTSTART');
		assert(ics.includes('mailto:cy@example.com'), 'no attendee');
	});
	test('the run of show runs its clock, parks a tangent and makes it a follow-up', async () => {
		const { page, base } = ctx;
		await page.goto(`${base}/reviews/${ctx.id}`);
		await Promise.all([page.waitForURL(`${base}/reviews/${ctx.id}/meeting/run`),
			page.click('#meeting a[href$="/meeting/run"]')]);
		const phases = page.locator('.phase');
		assert(await phases.count() === 4, `phases: ${await phases.count()}`);
		assert((await phases.nth(1).innerText()).includes('What are we missing?'), 'no prompts');
		await page.click('.run-start');
		await page.waitForFunction(() =>
			document.querySelector('.phase.current .phase-clock').textContent !== '0:00',
			null, { timeout: 5000 });
		await page.click('.run-next');
		assert(await page.locator('.phase').nth(1).evaluate((e) =>
			e.classList.contains('current')), 'next phase not current');
		// p takes a tangent; Enter parks it
		await page.locator('h1').click();
		await page.keyboard.press('p');
		await page.keyboard.type('Why is the retry budget global?');
		await page.keyboard.press('Enter');
		const parked = page.locator('ul.parked li');
		await parked.first().waitFor();
		let m = await (await fetch(`${base}/api/v1/reviews/${ctx.id}/meeting`)).json();
		assert(m.parking_lot === 'Why is the retry budget global?', `lot: ${m.parking_lot}`);
		await parked.first().locator('.to-followup').click();
		await page.locator('.run-status:has-text("Now a follow-up")').waitFor();
		assert(await parked.count() === 0, 'still parked');
		const fu = await (await fetch(`${base}/api/v1/reviews/${ctx.id}/followups`)).json();
		assert(fu.followups.some((f) => f.title === 'Why is the retry budget global?'),
			`follow-ups: ${JSON.stringify(fu)}`);
		m = await (await fetch(`${base}/api/v1/reviews/${ctx.id}/meeting`)).json();
		assert(m.parking_lot === null, `lot after: ${m.parking_lot}`);
	});

	test('attendance and a disputed entry are kept', async () => {
		const { page, base } = ctx;
		await page.locator('ul.attendance input[value="eng@lists.example.com"]').check();
		await page.fill('form.walk-in-add input[name=name]', 'Walk In');
		await page.click('form.walk-in-add button');
		await page.locator('li.walk-in').waitFor();
		await page.locator('.big-timeline .tl-dispute').first().click();
		await page.locator('.big-timeline li.disputed').waitFor();
		const m = await (await fetch(`${base}/api/v1/reviews/${ctx.id}/meeting`)).json();
		assert(JSON.stringify(m.attended) === '["eng@lists.example.com","Walk In"]',
			`attended: ${JSON.stringify(m.attended)}`);
		const tl = await (await fetch(`${base}/api/v1/reviews/${ctx.id}/timeline`)).json();
		assert(tl.timeline[0].disputed === true, 'not disputed');
	});

	test('notes typed by two people are offered for merging, not lost', async () => {
		const { page, base } = ctx;
		const errors = [];
		page.on('pageerror', (e) => errors.push(e.message));
		// the note taker's view: the notes alone
		await page.goto(`${base}/reviews/${ctx.id}/meeting/notes`);
		assert(await page.locator('.phase').count() === 0, 'not the notes view');
		await page.fill('textarea[name=notes]', 'Mine: the alert fired late.');
		await page.waitForTimeout(2000);
		let m = await (await fetch(`${base}/api/v1/reviews/${ctx.id}/meeting`)).json();
		assert(m.notes === 'Mine: the alert fired late.', `notes: ${m.notes}`);
		// someone else saves meanwhile
		const r = await fetch(`${base}/api/v1/reviews/${ctx.id}/meetings/${m.id}`, {
			method: 'PATCH', headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ notes: 'Theirs: the dashboard was stale.', version: m.version }),
		});
		assert(r.status === 200, `their save: ${r.status}`);
		await page.fill('textarea[name=notes]', 'Mine: the alert fired late. And paging took 9 min.');
		await page.locator('.notes-merge .merge-both').waitFor({ timeout: 8000 });
		await page.click('.notes-merge .merge-both');
		await page.waitForTimeout(2000);
		m = await (await fetch(`${base}/api/v1/reviews/${ctx.id}/meeting`)).json();
		assert(m.notes.includes('Theirs: the dashboard was stale.') &&
			m.notes.includes('paging took 9 min'), `merged: ${m.notes}`);
		assert(errors.length === 0, `page errors: ${errors.join('; ')}`);
	});
	test('without JavaScript the form still schedules, and says what is wrong', async () => {
		const { browser, base } = ctx;
		const r = await fetch(`${base}/api/v1/reviews`, {
			method: 'POST', headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ title: 'No script here' }),
		});
		const id = (await r.json()).id;
		const context = await browser.newContext({ javaScriptEnabled: false });
		const page = await context.newPage();
		try {
			await page.goto(`${base}/reviews/${id}/meeting`);
			await page.fill('#m-start', '2099-05-06 09:30');
			await page.fill('#m-timezone', 'Nowhere/Special');
			await page.fill('#m-location', 'Room 12');
			await page.click('form.meeting-form button[type=submit]');
			const err = page.locator('.field-error[data-for="timezone"]');
			assert((await err.innerText()).includes('Nowhere/Special'), 'no error by the field');
			assert(await page.inputValue('#m-location') === 'Room 12', 'typed text lost');
			await page.fill('#m-timezone', 'America/Chicago');
			await Promise.all([page.waitForURL(/meeting\?saved=1/),
				page.click('form.meeting-form button[type=submit]')]);
			const m = await (await fetch(`${base}/api/v1/reviews/${id}/meeting`)).json();
			assert(m.timezone === 'America/Chicago' && m.location === 'Room 12',
				`stored: ${JSON.stringify(m)}`);
		} finally {
			await context.close();
		}
	});
	return t;
}

async function main() {
	const bin = process.argv[2];
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'debrief-meeting-'));
	let server, browser, result = { passed: 0, failed: 1 };

	try {
		server = await H.startServer(bin, dir);
		browser = await H.launchBrowser();
		const page = await (await browser.newContext({ acceptDownloads: true })).newPage();
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
