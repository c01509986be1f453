// editor.test.js: writing a review in chromium, as people do it: two
// people in two tabs, drafts that survive a closed tab, the keyboard in the
// timeline. Ends with the line "N passed, N failed".
//
//   node editor.test.js /path/to/debrief
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const H = require('./harness');

const { assert } = H;
const TEST_TIMEOUT_MS = 30000;

// createReview makes a review through the API (no browser, no cookie).
async function createReview(base, body) {
	const r = await fetch(`${base}/api/v1/reviews`, {
		method: 'POST', headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify(body),
	});
	assert(r.status === 201, `create: ${r.status}`);
	return (await r.json()).id;
}

async function getReview(base, id) {
	return (await fetch(`${base}/api/v1/reviews/${id}`)).json();
}

// save clicks the Save button and waits for the next page.
async function save(page) {
	await Promise.all([page.waitForNavigation(), page.click('button.primary[type=submit]')]);
}

function defineTests(ctx) {
	const t = [];
	const test = (name, fn) => t.push({ name, fn });

	test('two tabs: A adds an open question, B changes what went well: both survive', async () => {
		const { browser, base } = ctx;
		const id = await createReview(base, {
			title: 'GitLab database outage', open_questions: 'Why did replication stop?',
			went_well: 'Backups existed',
		});
		const a = await ctx.newPage(), b = await ctx.newPage();
		await a.goto(`${base}/reviews/${id}/edit`);
		await b.goto(`${base}/reviews/${id}/edit`);
		await a.fill('#f-open_questions', 'Why did replication stop?\nWhy were the backups empty?');
		await save(a);
		assert(a.url() === `${base}/reviews/${id}`, `A not on the review page: ${a.url()}`);
		await b.fill('#f-went_well', 'Backups existed; the team stayed calm');
		await save(b);
		assert(b.url() === `${base}/reviews/${id}`, `B not saved: ${b.url()}`);
		const doc = await getReview(base, id);
		assert(doc.open_questions === 'Why did replication stop?\nWhy were the backups empty?',
			`A's line lost: ${JSON.stringify(doc.open_questions)}`);
		assert(doc.went_well === 'Backups existed; the team stayed calm', `B's words lost: ${doc.went_well}`);
		const text = await b.locator('main').innerText();
		assert(/Why were the backups empty\?/.test(text) && /the team stayed calm/.test(text),
			'the review page does not show both');
		await a.close();
		await b.close();
	});

	test('two tabs: both change the same field: theirs, mine and the original shown to choose', async () => {
		const { base } = ctx;
		const id = await createReview(base, { title: 'Cloudflare WAF outage', went_well: 'Rollback was fast' });
		const a = await ctx.newPage(), b = await ctx.newPage();
		await a.goto(`${base}/reviews/${id}/edit`);
		await b.goto(`${base}/reviews/${id}/edit`);
		await a.fill('#f-went_well', 'Rollback was fast; status page updated in 5 minutes');
		await save(a);
		await b.fill('#f-went_well', 'Rollback was fast and global');
		await save(b);
		assert(b.url().endsWith(`/reviews/${id}/edit`), `B left the form: ${b.url()}`);
		const merge = b.locator('.field.has-merge .merge');
		await merge.waitFor();
		const shown = await merge.innerText();
		assert(/status page updated in 5 minutes/.test(shown), `theirs not shown: ${shown}`);
		assert(/The original/i.test(shown) && /Rollback was fast/.test(shown), 'original not shown');
		assert(await b.inputValue('#f-went_well') === 'Rollback was fast and global', 'my text not in my box');
		let doc = await getReview(base, id);
		assert(doc.went_well === 'Rollback was fast; status page updated in 5 minutes', 'saved before choosing');
		// the form sent back holds unsaved work: leaving it asks first
		let asked = false;
		b.once('dialog', (d) => { asked = d.type() === 'beforeunload'; d.dismiss().catch(() => {}); });
		await b.goto(`${base}/`).catch(() => {});
		assert(asked, 'leaving the merge to finish did not ask');
		assert(b.url().endsWith(`/reviews/${id}/edit`), `left the form: ${b.url()}`);
		// saving without choosing is held back by the browser: nothing saved
		await b.click('button.primary[type=submit]');
		await H.sleep(300);
		assert(b.url().endsWith(`/reviews/${id}/edit`), 'saved without a choice');
		// combine both and keep mine
		await b.fill('#f-went_well', 'Rollback was fast and global; status page updated in 5 minutes');
		await b.check('input[name="choose.went_well"][value="yours"]');
		await save(b);
		assert(b.url() === `${base}/reviews/${id}`, `not saved: ${b.url()}`);
		doc = await getReview(base, id);
		assert(doc.went_well === 'Rollback was fast and global; status page updated in 5 minutes',
			`combined text not saved: ${doc.went_well}`);
		await a.close();
		await b.close();
	});

	test('drafts: type, close the tab (it asks first), open the form again, restore', async () => {
		const { base } = ctx;
		const id = await createReview(base, { title: 'Cache stampede', summary: 'Caches expired at once' });
		let page = await ctx.newPage();
		await page.goto(`${base}/reviews/${id}/edit`);
		await page.fill('#f-summary', 'Caches expired at once after the deploy at 14:02');
		await page.fill('#f-timeline-0--at', '2026-11-20 14:02');
		await page.fill('#f-timeline-0--text', 'Deploy finished');
		await page.click('#sec-timeline button.add-row');
		await page.fill('#f-timeline-3--at', '2026-11-20 14:05');
		await page.fill('#f-timeline-3--text', 'Origin load tripled');
		let asked = false;
		page.on('dialog', (d) => {
			asked = asked || d.type() === 'beforeunload';
			d.accept().catch(() => {});
		});
		await page.close({ runBeforeUnload: true });
		for (let i = 0; i < 50 && !page.isClosed(); i++)
			await H.sleep(100);
		assert(asked, 'closing the tab with unsaved text did not ask');
		// the draft reached the server although nothing was saved
		assert((await getReview(base, id)).summary === 'Caches expired at once', 'saved without Save');
		page = await ctx.newPage();
		let draft = null;
		for (let i = 0; i < 30 && !draft; i++) {
			await page.goto(`${base}/reviews/${id}/edit`);
			if (await page.locator('#draft-restore').count())
				draft = true;
			else
				await H.sleep(200);
			if (!draft)
				await page.waitForSelector('#draft-restore', { timeout: 500 }).then(() => { draft = true; }).catch(() => {});
		}
		assert(draft, 'no offer to restore the draft');
		assert(await page.inputValue('#f-summary') === 'Caches expired at once', 'restored before asking');
		await page.click('#draft-restore');
		assert(await page.inputValue('#f-summary') === 'Caches expired at once after the deploy at 14:02', 'summary not restored');
		assert(await page.inputValue('#f-timeline-3--text') === 'Origin load tripled', 'added row not restored');
		await save(page);
		assert(page.url() === `${base}/reviews/${id}`, `not saved: ${page.url()}`);
		const doc = await getReview(base, id);
		assert(doc.summary === 'Caches expired at once after the deploy at 14:02', 'restored summary not saved');
		assert(doc.timeline.length === 2 && doc.timeline[1].text === 'Origin load tripled',
			`timeline: ${JSON.stringify(doc.timeline.map((e) => e.text))}`);
		// saved: the draft is gone, and the form opens without an offer
		await page.goto(`${base}/reviews/${id}/edit`);
		await H.sleep(500);
		assert(!(await page.locator('#draft-restore').count()), 'offered a draft after saving');
		await page.close();
	});

	test('drafts: a half-filled new-review form survives a reload; throwing it away forgets it', async () => {
		const { base } = ctx;
		const page = await ctx.newPage();
		await page.goto(`${base}/reviews/new`);
		await page.fill('#f-title', 'Half-written review');
		await page.fill('#f-summary', 'We were paged at night');
		await H.sleep(3500); // the editor saves every few seconds
		page.on('dialog', (d) => d.accept().catch(() => {}));
		// come back to a fresh form (a reload may refill it by itself)
		await page.goto(`${base}/`);
		await page.goto(`${base}/reviews/new`);
		await page.waitForSelector('#draft-restore');
		assert(await page.inputValue('#f-title') === '', 'form not fresh');
		await page.click('#draft-restore');
		assert(await page.inputValue('#f-title') === 'Half-written review', 'title not restored');
		assert(await page.inputValue('#f-summary') === 'We were paged at night', 'summary not restored');
		await page.goto(`${base}/`);
		await page.goto(`${base}/reviews/new`);
		await page.waitForSelector('#draft-discard');
		await page.click('#draft-discard');
		await H.sleep(300);
		await page.goto(`${base}/`);
		await page.goto(`${base}/reviews/new`);
		await H.sleep(500);
		assert(!(await page.locator('#draft-restore').count()), 'a thrown-away draft came back');
		await page.close();
	});

	test('Enter in a one-line field does not send the form; in the timeline it goes to the next entry', async () => {
		const { base } = ctx;
		const id = await createReview(base, { title: 'Enter test' });
		const page = await ctx.newPage();
		page.on('dialog', (d) => d.accept().catch(() => {}));
		await page.goto(`${base}/reviews/${id}/edit`);
		await page.fill('#f-title', 'Enter test, renamed');
		await page.press('#f-title', 'Enter');
		await page.fill('#f-owner_team', 'storage');
		await page.press('#f-owner_team', 'Enter');
		await H.sleep(300);
		assert(page.url().endsWith(`/reviews/${id}/edit`), `the form was sent: ${page.url()}`);
		assert((await getReview(base, id)).title === 'Enter test', 'saved by Enter');
		// Enter in an entry's actor: to the next entry's time
		await page.fill('#f-timeline-0--actor', 'oncall');
		await page.press('#f-timeline-0--actor', 'Enter');
		assert(await page.evaluate(() => document.activeElement.id) === 'f-timeline-1--at', 'not on the next entry');
		// from the last entry: a new one
		const before = await page.locator('.row-timeline').count();
		await page.focus('#f-timeline-2--actor');
		await page.keyboard.press('Enter');
		assert(await page.locator('.row-timeline').count() === before + 1, 'no entry added');
		assert(await page.evaluate(() => document.activeElement.id) === 'f-timeline-3--at', 'not on the new entry');
		await page.close();
	});

	test('eight timeline entries typed with the keyboard alone, times as HH:MM, Ctrl+Enter saves', async () => {
		const { base } = ctx;
		const id = await createReview(base, { title: 'GitLab 2017-01-31', started_at: '2017-01-31T17:20:00Z' });
		const page = await ctx.newPage();
		await page.goto(`${base}/reviews/${id}/edit`);
		await page.focus('#f-timeline-0--at');
		const entries = [
			['17:20', 'Spam load on the primary'], ['18:00', 'Replication lag alerts'],
			['21:00', 'Replica resync started'], ['23:00', 'pg_basebackup waited'],
			['23:27', 'Data dir removed on the wrong host'], ['23:30', 'Removal stopped'],
			['+10m', 'Backups found empty'], ['00:10', 'Restore from staging chosen'],
		];
		let keys = 0;
		const type = async (s) => { await page.keyboard.type(s); keys += s.length; };
		const press = async (k) => { await page.keyboard.press(k); keys++; };
		for (const [at, text] of entries) {
			await type(at);
			await press('Tab'); // kind
			await press('Tab'); // actor
			await type('team-member-1');
			await press('Tab'); // what happened
			await type(text);
			await press('Enter'); // the next entry
		}
		assert(await page.inputValue('#f-timeline-0--at') === '2017-01-31 17:20', 'HH:MM not completed from the start');
		assert(await page.inputValue('#f-timeline-6--at') === '2017-01-31 23:40', '+10m not counted from the entry above');
		assert(await page.inputValue('#f-timeline-7--at') === '2017-02-01 00:10', '00:10 after 23:40 not the next day');
		await Promise.all([page.waitForNavigation(), page.keyboard.press('Control+Enter')]);
		keys++;
		assert(page.url() === `${base}/reviews/${id}`, `Ctrl+Enter did not save: ${page.url()}`);
		const doc = await getReview(base, id);
		assert(doc.timeline.length === 8, `${doc.timeline.length} entries saved`);
		assert(doc.timeline[0].at === '2017-01-31T17:20:00Z', `first at ${doc.timeline[0].at}`);
		assert(doc.timeline.some((e) => e.at === '2017-01-31T23:40:00Z' && e.text === 'Backups found empty'), '+10m entry');
		assert(doc.timeline[7].at === '2017-02-01T00:10:00Z' && doc.timeline[7].text === 'Restore from staging chosen',
			`last entry ${JSON.stringify(doc.timeline[7])}`);
		ctx.keys = keys;
		console.log(`# eight entries: ${keys} keys, 0 clicks`);
		// one compact line per entry: the edit page stays short
		await page.goto(`${base}/reviews/${id}/edit`);
		const h = await page.locator('.row-timeline').first().boundingBox();
		assert(h.height < 130, `a timeline entry is ${h.height} px tall`);
		console.log(`# a timeline entry on the edit page: ${Math.round(h.height)} px tall`);
		if (process.env.SHOT_DIR)
			await page.screenshot({ path: path.join(process.env.SHOT_DIR, 'edit-timeline.png'), fullPage: true });
		await page.close();
	});

	test('pasting a block of timed chat lines makes one timeline entry per line', async () => {
		const { base } = ctx;
		const id = await createReview(base, { title: 'Cloudflare WAF', started_at: '2019-07-02T13:42:00Z' });
		const page = await ctx.newPage();
		page.on('dialog', (d) => d.accept().catch(() => {}));
		await page.goto(`${base}/reviews/${id}/edit`);
		const block = '13:42 WAF rule deployed globally\n' +
			'[13:45] <sre-1> CPU at 100% on every edge\n' +
			'13:52 sre-2: global kill of the WAF ruleset proposed\n' +
			'\n' +
			'14:07 Kill switch executed\n' +
			'14:09 Traffic back to normal';
		await page.focus('#f-timeline-0--text');
		await page.evaluate((text) => {
			const dt = new DataTransfer();
			dt.setData('text/plain', text);
			document.activeElement.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
		}, block);
		assert(await page.inputValue('#f-timeline-0--at') === '2019-07-02 13:42', 'first time');
		assert(await page.inputValue('#f-timeline-1--actor') === 'sre-1', 'nick as actor');
		assert(await page.inputValue('#f-timeline-1--kind') === 'chat', 'chat line kind');
		assert(await page.inputValue('#f-timeline-2--actor') === 'sre-2', 'nick: as actor');
		assert(await page.inputValue('#f-timeline-4--text') === 'Traffic back to normal', 'fifth line in a new entry');
		// one line alone is pasted as text, as usual
		await page.focus('#f-summary');
		await page.keyboard.insertText('14:20 not a timeline');
		await save(page);
		const doc = await getReview(base, id);
		assert(doc.timeline.length === 5, `${doc.timeline.length} entries`);
		assert(doc.timeline[3].at === '2019-07-02T14:07:00Z' && doc.timeline[3].text === 'Kill switch executed',
			JSON.stringify(doc.timeline[3]));
		await page.close();
	});

	test('? lists the keyboard shortcuts, Escape closes the list', async () => {
		const { base } = ctx;
		const page = await ctx.newPage();
		await page.goto(`${base}/reviews/new`);
		await page.locator('h1').click();
		await page.keyboard.press('?');
		const box = page.locator('.shortcuts[role=dialog]');
		await box.waitFor();
		assert((await box.innerText()).includes('Ctrl+Enter'), 'Ctrl+Enter not listed');
		await page.keyboard.press('Escape');
		assert(!(await box.count()), 'the list stays open');
		// typed into a field, ? is a question mark
		await page.fill('#f-title', 'Why');
		await page.press('#f-title', '?');
		assert(await page.inputValue('#f-title') === 'Why?', 'the ? was not typed');
		assert(!(await box.count()), 'the list opened while typing');
		await page.close();
	});

	test('Preview beside a markdown field shows it as the page will, and follows the typing', async () => {
		const { base } = ctx;
		const id = await createReview(base, { title: 'Preview test' });
		const page = await ctx.newPage();
		page.on('dialog', (d) => d.accept().catch(() => {}));
		await page.goto(`${base}/reviews/${id}/edit`);
		await page.fill('#f-summary', 'The **primary** failed; run `pg_basebackup');
		const field = page.locator('.fn-summary');
		await field.locator('button.preview-toggle').click();
		const panel = field.locator('.md-preview');
		await panel.locator('strong').waitFor();
		assert(await panel.locator('strong').innerText() === 'primary', 'bold not rendered');
		assert((await panel.innerText()).includes('`pg_basebackup'), 'stray backtick not visible');
		await page.fill('#f-summary', 'Now <img src=x onerror=alert(1)> a `pg_basebackup` call');
		await panel.locator('code').waitFor();
		assert(!(await panel.locator('img').count()), 'raw HTML rendered');
		await field.locator('button.preview-toggle').click();
		assert(await panel.isHidden(), 'preview not hidden again');
		// a timeline entry added with the button has a working preview too
		await page.click('#sec-timeline button.add-row');
		const added = page.locator('#sec-timeline .row-timeline').last();
		await added.locator('textarea[name$=".text"]').fill('Paged **the DBA**');
		await added.locator('.fn-text button.preview-toggle').click();
		await added.locator('.fn-text .md-preview strong').waitFor();
		await page.close();
	});

	// one timeline entry fixed on the review page, without the edit form
	const ENTRIES = {
		title: 'Cloudflare WAF outage', started_at: '2019-07-02T13:42:00Z',
		summary: 'A regular expression used all CPU.',
		timeline: [
			{ at: '2019-07-02T13:42:00Z', kind: 'deploy', text: 'WAF rule deployed globally' },
			{ at: '2019-07-02T13:45:00Z', kind: 'alert', text: 'CPU alerts everywhere' },
			{ at: '2019-07-02T14:07:00Z', kind: 'decision', text: 'Global kill of the WAF' },
		],
	};
	const entryId = async (base, id, n) =>
		(await (await fetch(`${base}/api/v1/reviews/${id}/timeline`)).json()).timeline[n];

	test('one timeline entry is edited in place on the review page: HH:MM, Enter saves, nothing else moves', async () => {
		const { base } = ctx;
		const id = await createReview(base, ENTRIES);
		const e = await entryId(base, id, 1);
		const page = await ctx.newPage();
		await page.goto(`${base}/reviews/${id}`);
		const url = page.url();
		await page.click(`#tl-${e.id} a.entry-edit`);
		const form = page.locator('tr.entry-editing form.entry-form');
		await form.waitFor();
		assert(!(await page.isVisible(`#tl-${e.id}`)), 'the entry\'s row is still shown beside its form');
		assert(await page.evaluate(() => document.activeElement.name) === 'timeline[0].at', 'the time is not focused');
		assert(page.url() === url, `the page changed: ${page.url()}`);
		await page.fill('tr.entry-editing [name="timeline[0].at"]', '13:47');
		await page.fill('tr.entry-editing [name="timeline[0].text"]', 'CPU alerts on **every** edge');
		// its markdown has a preview, as in the edit form
		await page.click('tr.entry-editing .fn-text button.preview-toggle');
		await page.locator('tr.entry-editing .fn-text .md-preview strong').waitFor();
		const saved = page.waitForResponse((r) => r.request().method() === 'POST' &&
			/\/timeline\/\d+\/edit$/.test(r.url()));
		await page.press('tr.entry-editing [name="timeline[0].actor"]', 'Enter');
		await saved;
		await page.locator(`#tl-${e.id}.entry-saved`).waitFor();
		assert(page.url() === url, `the save left the page: ${page.url()}`);
		assert(!(await page.locator('tr.entry-editing').count()), 'the form stayed open');
		const row = await page.locator(`#tl-${e.id}`).innerHTML();
		assert(/CPU alerts on <strong>every<\/strong> edge/.test(row), `the row shows ${row}`);
		assert(/13:47/.test(await page.locator(`#tl-${e.id} td.when`).innerText()), 'the new time is not shown');
		const now = await entryId(base, id, 1);
		assert(now.at === '2019-07-02T13:47:00Z' && now.version === 2, `stored ${JSON.stringify(now)}`);
		const doc = await getReview(base, id);
		assert(doc.timeline[0].text === 'WAF rule deployed globally' && doc.timeline[2].version === 1,
			'another entry changed');
		assert(doc.summary === 'A regular expression used all CPU.', 'the summary changed');
		// Escape closes a form unsaved
		await page.click(`#tl-${doc.timeline[2].id} a.entry-edit`);
		await page.fill('tr.entry-editing [name="timeline[0].text"]', 'not meant');
		await page.keyboard.press('Escape');
		assert(!(await page.locator('tr.entry-editing').count()), 'Escape left the form open');
		assert(await page.isVisible(`#tl-${doc.timeline[2].id}`), 'the row did not come back');
		assert((await entryId(base, id, 2)).text === 'Global kill of the WAF', 'Escape saved');
		// the entry's own page (a link opened in a new tab) is one entry
		await page.goto(`${base}/reviews/${id}/timeline/${e.id}/edit`);
		assert(await page.locator('.field-markdown button.preview-toggle').count() >= 1, 'no preview there');
		assert(!(await page.locator('button.add-row').count()), 'one entry\'s page offers to add rows');
		await page.close();
	});

	test('an entry changed meanwhile: 409 in place, their words shown, mine kept, nothing saved until again', async () => {
		const { base } = ctx;
		const id = await createReview(base, ENTRIES);
		const e = await entryId(base, id, 2);
		const page = await ctx.newPage();
		await page.goto(`${base}/reviews/${id}`);
		await page.click(`#tl-${e.id} a.entry-edit`);
		await page.locator('tr.entry-editing form.entry-form').waitFor();
		// a colleague fixes the same entry
		const r = await fetch(`${base}/api/v1/reviews/${id}/timeline/${e.id}`, {
			method: 'PATCH', headers: { 'Content-Type': 'application/json' },
			body: JSON.stringify({ version: 1, text: 'WAF killed globally by the SRE on call' }),
		});
		assert(r.status === 200, `colleague's PATCH: ${r.status}`);
		await page.fill('tr.entry-editing [name="timeline[0].text"]', 'Global WAF kill decided at 14:07');
		await page.click('tr.entry-editing button[type=submit]');
		await page.locator('tr.entry-editing .notice-conflict').waitFor();
		const notice = await page.locator('tr.entry-editing .notice-conflict').innerText();
		assert(/WAF killed globally by the SRE on call/.test(notice), `their words not shown: ${notice}`);
		assert(await page.inputValue('tr.entry-editing [name="timeline[0].text"]') === 'Global WAF kill decided at 14:07',
			'my words are gone');
		assert((await entryId(base, id, 2)).text === 'WAF killed globally by the SRE on call', 'the 409 saved');
		// bad input: the error in place, naming the field
		await page.fill('tr.entry-editing [name="timeline[0].at"]', 'half past two');
		await page.click('tr.entry-editing button[type=submit]');
		await page.locator('tr.entry-editing #e-timeline-0--at').waitFor();
		assert(/Time/.test(await page.locator('tr.entry-editing #e-timeline-0--at').innerText()), 'error does not name the time');
		assert((await entryId(base, id, 2)).at === '2019-07-02T14:07:00Z', 'a bad time was saved');
		await page.fill('tr.entry-editing [name="timeline[0].at"]', '14:08');
		await page.click('tr.entry-editing button[type=submit]');
		await page.locator(`#tl-${e.id}.entry-saved`).waitFor();
		const now = await entryId(base, id, 2);
		assert(now.text === 'Global WAF kill decided at 14:07' && now.at === '2019-07-02T14:08:00Z',
			`not saved after the conflict: ${JSON.stringify(now)}`);
		await page.close();
	});

	test('without JavaScript an entry\'s Edit link opens its own small form, which saves back to the entry', async () => {
		const { base } = ctx;
		const id = await createReview(base, ENTRIES);
		const e = await entryId(base, id, 0);
		const noJs = await ctx.browser.browser().newContext({ javaScriptEnabled: false });
		const page = await noJs.newPage();
		await page.goto(`${base}/reviews/${id}`);
		await Promise.all([page.waitForNavigation(), page.click(`#tl-${e.id} a.entry-edit`)]);
		assert(page.url() === `${base}/reviews/${id}/timeline/${e.id}/edit`, `opened ${page.url()}`);
		const tall = await page.evaluate(() => document.documentElement.scrollHeight);
		assert(tall < 1400, `the entry's page is ${tall} px tall`);
		await page.fill('[name="timeline[0].actor"]', 'sre-on-call');
		await Promise.all([page.waitForNavigation(), page.click('button[type=submit].primary')]);
		assert(page.url() === `${base}/reviews/${id}#tl-${e.id}`, `after save: ${page.url()}`);
		assert(/sre-on-call/.test(await page.locator(`#tl-${e.id}`).innerText()), 'the actor is not shown');
		assert((await entryId(base, id, 0)).actor === 'sre-on-call', 'not stored');
		await noJs.close();
	});

	test('no page scrolls sideways at 360 px, long links and words included', async () => {
		const { base } = ctx;
		const long = 'https://dashboards.example.com/d/' + 'a'.repeat(120) + '?from=now-6h&to=now&var-host=db1.cluster.gprd.gitlab.net';
		const id = await createReview(base, {
			title: 'Replication' + 'lag'.repeat(40), summary: `See ${long} and \`${'x'.repeat(150)}\``,
			tldr: `Lag ${'t'.repeat(200)}`,
			services: ['postgresql-primary-database-cluster-gprd'], tags: ['database'],
			timeline: [{ at: '2017-01-31T23:27:00Z', text: `Ran ${'y'.repeat(120)}`, source: long }],
			links: [{ url: long, kind: 'dashboard', comment: 'z'.repeat(90) }],
			followups: [{ title: 'Test restores ' + 'w'.repeat(80), owner: 'dba-team' }],
		});
		const del = await createReview(base, { title: 'Deleted one' });
		await fetch(`${base}/api/v1/reviews/${del}`, { method: 'DELETE' });
		const page = await ctx.newPage();
		await page.setViewportSize({ width: 360, height: 740 });
		const wide = [];
		for (const p of ['/', '/?q=replication', '/reviews/new', `/reviews/${id}`, `/reviews/${id}/edit`,
			`/reviews/${id}/history`, `/reviews/${del}`, '/deleted', '/admin', '/admin/users', '/admin/audit', '/no-such-page',
			`/reviews/${id}/timeline/${(await entryId(base, id, 0)).id}/edit`]) {
			await page.goto(base + p);
			const w = await page.evaluate(() => document.documentElement.scrollWidth);
			if (w > 360)
				wide.push(`${p}: ${w} px`);
		}
		// an entry's form opened in place on the review page fits too
		await page.goto(`${base}/reviews/${id}`);
		// and the review's buttons keep their words on one line each
		const tall = await page.$$eval('.review-head .actions .button',
			(bs) => bs.filter((b) => b.getBoundingClientRect().height > 48).map((b) => b.textContent));
		assert(!tall.length, `buttons squeezed at 360 px: ${tall.join(', ')}`);
		await page.click('#timeline a.entry-edit');
		await page.locator('tr.entry-editing form.entry-form').waitFor();
		assert(!(await page.isVisible('#timeline tbody tr:first-child')), 'the entry stays shown beside its form at 360 px');
		const w = await page.evaluate(() => document.documentElement.scrollWidth);
		if (w > 360)
			wide.push(`/reviews/${id} with an entry's form open: ${w} px`);
		if (process.env.SHOT_DIR)
			await page.screenshot({ path: path.join(process.env.SHOT_DIR, 'entry-360.png'), fullPage: true });
		assert(!wide.length, `pages wider than 360 px: ${wide.join(', ')}`);
		await page.close();
	});

	return t;
}

async function main() {
	const bin = process.argv[2] || process.env.DEBRIEF_BIN;
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'debrief-editor-'));
	const ctx = { problems: [] };
	let server = null, browser = null, res = { passed: 0, failed: 0 };

	try {
		if (!bin)
			throw new Error('usage: node editor.test.js /path/to/debrief');
		server = await H.startServer(bin, dir);
		ctx.base = server.base;
		browser = await H.launchBrowser();
		ctx.browser = await browser.newContext({ viewport: { width: 1280, height: 900 } });
		ctx.browser.setDefaultTimeout(10000);
		ctx.newPage = async () => {
			const p = await ctx.browser.newPage();
			p.on('pageerror', (e) => ctx.problems.push(`page error: ${e.message}`));
			p.on('console', (m) => {
				// a form sent back (409 to choose, 422 errors) is expected
				if (m.type() === 'error' && !/status of (404|409|422)/.test(m.text()))
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
