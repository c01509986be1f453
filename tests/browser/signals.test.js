// signals.test.js: the learning signals and memory aids in chromium. A
// reader opens a review, sees the glossary link on the first use of a
// term (its definition as the hover title), posts a comment and a reply
// through the page's forms, finds her read counted and the review's links
// from code listed, copies a section's permalink, and an admin does not
// get the Edit link of her comment (nor its page). Ends with the line "N passed, N failed".
//
//   node signals.test.js /path/to/debrief
'use strict';

const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const H = require('./harness');

const { assert } = H;
const TEST_TIMEOUT_MS = 30000;

function cli(bin, args, input) {
	const r = spawnSync(bin, args, { input: input || '' });
	if (r.status !== 0)
		throw new Error(`${args.join(' ')}: ${r.stderr}`);
	return r.stdout.toString().trim().split('\n').pop();
}

async function api(ctx, method, p, body) {
	const r = await fetch(`${ctx.base}${p}`, {
		method,
		headers: { Authorization: `Bearer ${ctx.token}`, 'Content-Type': 'application/json' },
		body: body ? JSON.stringify(body) : undefined,
	});
	const j = await r.json();
	if (r.status >= 300)
		throw new Error(`${method} ${p}: ${r.status} ${JSON.stringify(j)}`);
	return j;
}

async function signIn(browser, base, user, pw) {
	const context = await browser.newContext();
	const page = await context.newPage();
	await page.goto(`${base}/login`);
	await page.fill('#username', user);
	await page.fill('#password', pw);
	await Promise.all([page.waitForURL(`${base}/`), page.click('button[type=submit]')]);
	return { context, page };
}

function defineTests(ctx) {
	const t = [];
	const test = (name, fn) => t.push({ name, fn });

	test('a reader sees the first use of a glossary term linked', async () => {
		const { page, base } = ctx;
		await page.goto(`${base}/reviews/${ctx.id}`);
		const links = page.locator('a.gloss');
		assert(await links.count() === 1, `${await links.count()} term links`);
		assert(await links.first().innerText() === 'SLO', 'not the term');
		assert(await links.first().getAttribute('title') === 'Service level objective',
			'no definition to hover');
		const href = await links.first().getAttribute('href');
		await links.first().click();
		await page.waitForURL(`${base}${href}`);
		assert(await page.locator(`#term-${ctx.term} dd`).innerText() === 'Service level objective',
			'the glossary does not define it');
	});

	test('a reader posts a comment and a reply through the page', async () => {
		const { page, base } = ctx;
		await page.goto(`${base}/reviews/${ctx.id}`);
		await page.fill('#comments > form.comment-form textarea', 'Why did the **queue** fill?');
		await Promise.all([page.waitForURL(/#comment-\d+$/),
			page.click('#comments > form.comment-form button')]);
		const anchor = page.url().split('#')[1];
		const c = page.locator(`#${anchor}`);
		assert((await c.locator('.comment-body').innerHTML()).includes('<strong>queue</strong>'),
			'comment not rendered');
		assert(await c.locator('.comment-edit').first().isVisible(), 'her Edit link is hidden');
		await Promise.all([page.waitForURL(/\/comments\/new\?parent_id=\d+$/),
			c.locator('.comment-reply').first().click()]);
		assert((await page.locator('blockquote').innerText()).includes('queue'),
			'the reply page does not quote the comment');
		await page.fill('form.comment-form textarea', 'The retries, I think.');
		await Promise.all([page.waitForURL(/#comment-\d+$/),
			page.click('form.comment-form button')]);
		const reply = page.locator(`#${anchor} .replies .comment`);
		assert(await reply.count() === 1, 'the reply is not under its comment');
		ctx.comment = anchor;
	});

	test('her read is counted; the links from code are listed', async () => {
		const { page } = ctx;
		await page.waitForSelector('#signals [data-reads]:has-text("Read 1 time by 1 person")');
		await page.waitForSelector('#signals ul.inbound-links li');
		const li = await page.locator('#signals ul.inbound-links li').first().innerText();
		assert(li.includes('src/retry.c:2'), `link: ${li}`);
	});

	test('a copy-link button copies the section\'s URL', async () => {
		const { page, base } = ctx;
		const b = page.locator('#summary h2 .copy-link');
		await b.click();
		await page.waitForSelector('#summary h2 .copy-link:has-text("Copied")');
		const url = await b.getAttribute('data-url');
		assert(url === `${base}/reviews/${ctx.id}#summary`, `copied ${url}`);
	});

	test("an admin does not get the Edit link of the reader's comment", async () => {
		const { browser, base } = ctx;
		const { context, page } = await signIn(browser, base, 'ada', 'pw-of-ada-admin');
		await page.goto(`${base}/reviews/${ctx.id}#${ctx.comment}`);
		await page.waitForLoadState('load');
		assert(!(await page.locator(`#${ctx.comment} > .comment-actions .comment-edit`).isVisible()),
			'Edit shown to someone else');
		const r = await page.goto(`${base}/reviews/${ctx.id}/comments/${ctx.comment.split('-')[1]}/edit`);
		assert(r.status() === 403, `edit page for someone else: ${r.status()}`);
		await context.close();
	});
	test('payloads in a comment and in the glossary show as text and run nothing', async () => {
		const { page, base } = ctx;
		const run = "__xss='learning'";
		const payload = `Said: \`<script pwn>${run}</script>\` then <script pwn>${run}</script> ` +
			`"><img pwn src=x onerror="${run}"> [js](javascript:${run}) <!--debrief:md--> ` +
			'<!--debrief:csrf-->';
		await api(ctx, 'POST', '/api/v1/glossary', {
			term: '<b>pwn</b>', definition: `"><script pwn>${run}</script>`,
		});
		const c = await api(ctx, 'POST', `/api/v1/reviews/${ctx.id}/comments`, { body: payload });
		await api(ctx, 'PATCH', `/api/v1/reviews/${ctx.id}`, {
			went_well: 'Our \\<b>pwn\\</b> term, linked.', // escaped: text, not HTML
		});
		let dialogs = 0;
		page.on('dialog', (d) => { dialogs++; d.dismiss(); });
		for (const p of [`/reviews/${ctx.id}`, '/glossary', `/reviews/${ctx.id}/comments/new?parent_id=${c.id}`]) {
			await page.goto(`${base}${p}`);
			await page.waitForLoadState('load');
			const ran = await page.evaluate(() => window.__xss);
			assert(ran === undefined, `${p}: a payload ran`);
			assert(await page.locator('[pwn]').count() === 0, `${p}: payload markup in the page`);
			const hrefs = await page.locator('a[href]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
			assert(!hrefs.some((h) => /javascript/i.test(h)), `${p}: a javascript: link`);
		}
		await page.goto(`${base}/reviews/${ctx.id}`);
		const body = await page.locator(`#comment-${c.id} .comment-body`).innerText();
		assert(body.includes(`<script pwn>${run}</script>`), `comment not shown as text: ${body}`);
		const g = page.locator('#went_well a.gloss');
		assert(await g.innerText() === '<b>pwn</b>', 'the term is not linked as text');
		assert((await g.getAttribute('title')).includes('<script pwn>'), 'definition not kept as text');
		assert(dialogs === 0, 'a dialog opened');
	});
	return t;
}

async function main() {
	const bin = process.argv[2];
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'debrief-learning-'));
	let server, browser, result = { passed: 0, failed: 1 };

	try {
		const db = path.join(dir, 'browser.db');
		cli(bin, ['user', 'add', 'ada', '--role', 'admin', '--password-stdin', '--db', db],
			'pw-of-ada-admin\n');
		cli(bin, ['user', 'add', 'rita', '--role', 'reader', '--password-stdin', '--db', db],
			'pw-of-rita-reader\n');
		const token = cli(bin, ['token', 'create', '--user', 'ada', '--scope', 'write', '--db', db]);
		server = await H.startServer(bin, dir);
		const ctx = { base: server.base, token };
		ctx.term = (await api(ctx, 'POST', '/api/v1/glossary',
			{ term: 'SLO', definition: 'Service level objective' })).id;
		ctx.id = (await api(ctx, 'POST', '/api/v1/reviews', {
			title: 'Queue backlog',
			summary: 'The SLO was missed. The `SLO` in code and the SLO again.',
		})).id;
		// a repository that links to it, scanned as CI would
		const repo = path.join(dir, 'repo');
		fs.mkdirSync(path.join(repo, 'src'), { recursive: true });
		fs.writeFileSync(path.join(repo, 'src', 'retry.c'), `int n = 3;\n// see PM-${ctx.id}\n`);
		const git = (args) => {
			const r = spawnSync('git', ['-C', repo, '-c', 'user.email=t@example.org',
				'-c', 'user.name=t', ...args]);
			if (r.status !== 0)
				throw new Error(`git ${args[0]}: ${r.stderr}`);
		};
		git(['init', '-q']);
		git(['add', '-A']);
		git(['commit', '-q', '-m', 'retries']);
		cli(bin, ['links', 'scan', repo, '--db', db]);
		browser = await H.launchBrowser();
		const { page } = await signIn(browser, server.base, 'rita', 'pw-of-rita-reader');
		Object.assign(ctx, { browser, page });
		result = await H.runTests(defineTests(ctx), TEST_TIMEOUT_MS);
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
