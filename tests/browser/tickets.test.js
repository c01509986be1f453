// tickets.test.js: follow-ups' tickets and the follow-ups page in chromium,
// against a fake Jira on 127.0.0.1 (node's http module: GET and POST of
// /rest/api/3/issue). An editor links a ticket with the form on the review
// page and sees its status; the follow-ups page lists what lingers and
// filters by owner; both fit a 360 px screen.
//
//   node tickets.test.js /path/to/debrief
'use strict';

const fs = require('fs');
const http = require('http');
const os = require('os');
const path = require('path');
const H = require('./harness');

const { assert } = H;
const TOKEN = 'browser-jira-token-93c1';

// fakeJira answers the two endpoints the test uses, checking the token.
function fakeJira() {
	const issue = (key) => ({
		id: '1', key, self: 'x',
		fields: {
			status: { name: 'In Progress', statusCategory: { key: 'indeterminate' } },
			assignee: { displayName: 'Alice Ops' }, resolution: null,
			updated: '2026-11-30T09:15:00.000+0000',
		},
	});
	const srv = http.createServer((req, res) => {
		let body = '';
		req.on('data', (c) => { body += c; });
		req.on('end', () => {
			const send = (status, obj) => {
				res.writeHead(status, { 'Content-Type': 'application/json' });
				res.end(JSON.stringify(obj));
			};
			if (req.headers.authorization !== `Bearer ${TOKEN}`)
				return send(401, { errorMessages: ['no'] });
			const m = req.url.match(/^\/rest\/api\/3\/issue\/([A-Z]+-[0-9]+)/);
			if (req.method === 'GET' && m && m[1] === 'OPS-1')
				return send(200, issue('OPS-1'));
			if (req.method === 'POST' && req.url === '/rest/api/3/issue')
				return send(201, { id: '2', key: 'OPS-1', self: 'x' });
			return send(404, { errorMessages: ['Issue does not exist'] });
		});
	});
	return new Promise((r) => srv.listen(0, '127.0.0.1', () => r(srv)));
}

async function api(base, method, p, body) {
	const r = await fetch(base + p, {
		method, headers: { 'Content-Type': 'application/json' },
		body: body ? JSON.stringify(body) : undefined,
	});
	if (!r.ok)
		throw new Error(`${method} ${p}: ${r.status} ${await r.text()}`);
	return r.json();
}

async function main() {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'debrief-tickets-'));
	const jira = await fakeJira();
	const conf = path.join(dir, 'debrief.conf');
	let server, browser, passed = 0, failed = 0;

	fs.writeFileSync(conf, [
		'sync_interval = 0', 'linger_days = 5',
		'tracker.ops.type = jira',
		`tracker.ops.url = http://127.0.0.1:${jira.address().port}`,
		'tracker.ops.project = OPS', `tracker.ops.token = ${TOKEN}`, '',
	].join('\n'));
	try {
		server = await H.startServer(process.argv[2] || './debrief', dir,
			['--config', conf]);
		browser = await H.launchBrowser();
		const base = server.base;
		const long = 'Add-a-very-long-unbroken-follow-up-title-' + 'x'.repeat(80);
		await api(base, 'POST', '/api/v1/reviews', {
			title: 'checkout errors', owner_team: 'payments',
			followups: [
				{ title: 'Alert on checkout error rate', owner: 'alice' },
				{ title: long, owner: 'bob', due: '2026-01-01' },
			],
		});
		const page = await browser.newPage({ viewport: { width: 360, height: 740 } });
		const problems = [];
		page.on('pageerror', (e) => problems.push(e.message));
		const fits = async (what) => {
			const w = await page.evaluate(() => document.documentElement.scrollWidth);
			assert(w <= 360, `${what} is ${w} px wide at 360 px`);
		};
		const r = await H.runTests([
			{ name: 'an editor links a ticket with the form and sees its status', fn: async () => {
				await page.goto(`${base}/reviews/1`);
				const row = page.locator('table.followups tbody tr').first();
				await row.locator('details.ticket-form summary').click();
				await row.locator('select[name=tracker]').selectOption('ops');
				await row.locator('input[name=key]').fill('ops-1');
				await Promise.all([page.waitForNavigation(),
					row.locator('button[type=submit]').click()]);
				const cell = await page.locator('table.followups tbody tr').first()
					.locator('.ticket').innerText();
				assert(/OPS-1/.test(cell), `cell: ${cell}`);
				assert(/In Progress/.test(cell), `cell: ${cell}`);
				assert(/Alice Ops/.test(cell), `cell: ${cell}`);
				await fits('the review page');
				assert(!(await page.content()).includes(TOKEN), 'the token is on the page');
			} },
			{ name: 'a key the tracker does not have is refused in words', fn: async () => {
				await page.goto(`${base}/reviews/1`);
				const row = page.locator('table.followups tbody tr').nth(1);
				await row.locator('details.ticket-form summary').click();
				await row.locator('input[name=key]').fill('OPS-404');
				const [resp] = await Promise.all([page.waitForNavigation(),
					row.locator('button[type=submit]').click()]);
				assert(resp.status() === 422, `status ${resp.status()}`);
				const text = await page.locator('main').innerText();
				assert(/has no ticket OPS-404/.test(text), `page: ${text.slice(0, 200)}`);
			} },
			{ name: 'the follow-ups page lists what lingers, by owner, at 360 px', fn: async () => {
				await page.goto(`${base}/`);
				await Promise.all([page.waitForNavigation(),
					page.locator('.lingering-note a').click()]);
				assert(/\/followups\?lingering=1$/.test(page.url()), page.url());
				let text = await page.locator('main').innerText();
				assert(text.includes('Add-a-very-long'), 'the past-due follow-up is missing');
				assert(text.includes('Alert on checkout error rate'),
					'the follow-up whose ticket has not moved is missing');
				await fits('the follow-ups page');
				await Promise.all([page.waitForNavigation(),
					page.locator('ul[aria-label="By owner"] a', { hasText: 'bob' }).click()]);
				text = await page.locator('table.followups').innerText();
				assert(!text.includes('Alert on checkout'), 'the owner filter did not filter');
				assert(problems.length === 0, problems.join('; '));
			} },
		], 30000);
		passed = r.passed;
		failed = r.failed;
	} catch (e) {
		console.log(`not ok - setup: ${e.message}`);
		failed++;
	}
	if (browser)
		await browser.close().catch(() => {});
	await H.stopServer(server);
	jira.close();
	if (failed)
		console.log(`server log kept in ${dir}`);
	else
		fs.rmSync(dir, { recursive: true, force: true });
	console.log(`${passed} passed, ${failed} failed`);
	process.exitCode = failed ? 1 : 0;
}

main();
