// admin.test.js: the admin pages in chromium. An admin made with the CLI
// signs in, adds a user through the form on /admin/users, is shown the
// form again with what was typed when a group name is bad, changes the new
// user's role on the user's page, and finds the change in the audit trail.
// Ends with the line "N passed, N failed".
//
//   node admin.test.js /path/to/debrief
'use strict';

const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const H = require('./harness');

const { assert } = H;
const TEST_TIMEOUT_MS = 30000;

// addUser runs `debrief user add` on the test database before the server
// starts.
function addUser(bin, db, name, role, password) {
	const r = spawnSync(bin, ['user', 'add', name, '--role', role,
		'--password-stdin', '--db', db], { input: `${password}\n` });
	if (r.status !== 0)
		throw new Error(`user add ${name}: ${r.stderr}`);
}

function defineTests(ctx) {
	const t = [];
	const test = (name, fn) => t.push({ name, fn });

	test('an admin signs in and sees the users', async () => {
		const { page, base } = ctx;
		await page.goto(`${base}/admin/users`);
		assert(page.url().startsWith(`${base}/login`), `not sent to sign in: ${page.url()}`);
		await page.fill('#username', 'ada');
		await page.fill('#password', 'pw-of-ada-admin');
		await Promise.all([page.waitForURL(`${base}/admin/users`), page.click('button[type=submit]')]);
		assert(await page.locator('h1').innerText() === 'Users', 'no Users heading');
		const rows = await page.locator('table.users tbody tr').count();
		assert(rows === 2, `expected 2 users, saw ${rows}`);
	});

	test('a bad group keeps what was typed and says why', async () => {
		const { page, base } = ctx;
		await page.goto(`${base}/admin/users`);
		await page.fill('#add-name', 'sam');
		await page.selectOption('#add-role', 'editor');
		await page.fill('#add-groups', 'ops, Security Team');
		await page.fill('#add-password', 'sams-long-password');
		await page.click('text=Add user');
		await page.waitForSelector('.notice-error');
		const msg = await page.locator('#add .notice-error').innerText();
		assert(/lower-case/.test(msg), `unclear message: ${msg}`);
		assert(await page.inputValue('#add-name') === 'sam', 'name lost');
		assert(await page.inputValue('#add-groups') === 'ops, Security Team', 'groups lost');
		assert(await page.inputValue('#add-role') === 'editor', 'role lost');
		assert(await page.inputValue('#add-password') === '', 'password shown again');
		const rows = await page.locator('table.users tbody tr').count();
		assert(rows === 2, `a user was added anyway (${rows} rows)`);
	});

	test('an admin adds a user through the form', async () => {
		const { page, base } = ctx;
		await page.fill('#add-groups', 'ops, security');
		await page.fill('#add-password', 'sams-long-password');
		await Promise.all([page.waitForURL(/\/admin\/users\/sam\?done=added$/),
			page.click('text=Add user')]);
		const notice = await page.locator('.notice[role=status]').innerText();
		assert(/added/.test(notice), `no notice: ${notice}`);
		assert(await page.inputValue('#edit-role') === 'editor', 'role not editor');
		assert(await page.inputValue('#edit-groups') === 'ops, security', 'groups not kept');
	});

	test("an admin changes the new user's role on its page", async () => {
		const { page, base } = ctx;
		await page.selectOption('#edit-role', 'admin');
		await Promise.all([page.waitForURL(/\/admin\/users\/sam\?done=edit$/),
			page.click('text=Save role and groups')]);
		assert(await page.inputValue('#edit-role') === 'admin', 'role not saved');
		const badge = await page.locator('dl.meta .badge').first().innerText();
		assert(/admin/i.test(badge), `badge says ${badge}`);
		const r = await page.request.get(`${base}/admin/users`);
		assert(/role-admin[^]*sam|sam[^]*role-admin/.test(await r.text()), 'list does not show it');
	});

	test('the audit trail shows who changed what', async () => {
		const { page, base } = ctx;
		await page.goto(`${base}/admin/audit?action=user.`);
		const text = await page.locator('table.audit').innerText();
		assert(text.includes('sam: editor -> admin'), `no role change in: ${text}`);
		assert(/ada\s+user\.role/.test(text), 'actor is not ada');
		assert(text.includes('sam role editor groups'), 'no user.add');
	});

	test('a reader is refused the admin pages', async () => {
		const { browser, base } = ctx;
		const context = await browser.newContext();
		const p = await context.newPage();
		await p.goto(`${base}/login`);
		await p.fill('#username', 'rita');
		await p.fill('#password', 'pw-of-rita-reader');
		await Promise.all([p.waitForURL(`${base}/`), p.click('button[type=submit]')]);
		const r = await p.goto(`${base}/admin/users`);
		assert(r.status() === 403, `status ${r.status()}`);
		await context.close();
	});
	return t;
}

async function main() {
	const bin = process.argv[2];
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'debrief-admin-'));
	let server, browser, result = { passed: 0, failed: 1 };

	try {
		const db = path.join(dir, 'browser.db');
		addUser(bin, db, 'ada', 'admin', 'pw-of-ada-admin');
		addUser(bin, db, 'rita', 'reader', 'pw-of-rita-reader');
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
