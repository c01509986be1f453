// harness.js: what the browser tests share: a debrief server on a free
// 127.0.0.1 port with a fresh SQLite file, chromium from Debian, small
// assertions and the runner that prints "ok - NAME" / "not ok - NAME: why"
// and ends with the line "N passed, N failed" (run.sh reads that line).
'use strict';

const { chromium } = require('playwright-core');
const { spawn } = require('child_process');
const fs = require('fs');
const net = require('net');
const path = require('path');

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic',
	'--no-first-run', '--disable-background-networking',
	'--disable-component-update', '--disable-sync'];

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

// startServer runs `debrief serve` with its database and log in dir (and
// the extra arguments, such as ['--config', file]) and waits until
// /api/v1/health answers. Returns { proc, base }.
async function startServer(bin, dir, extra = []) {
	const port = await freePort();
	const log = fs.openSync(path.join(dir, 'server.log'), 'w');
	const proc = spawn(bin, ['serve', '--db', path.join(dir, 'browser.db'),
		'--listen', `127.0.0.1:${port}`, ...extra], { stdio: ['ignore', log, log] });
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

async function stopServer(server) {
	if (!server)
		return;
	server.proc.kill('SIGTERM');
	await new Promise((r) => server.proc.exitCode !== null ? r() : server.proc.on('exit', r));
}

function launchBrowser() {
	return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
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

// runTests runs tests ([{ name, fn }]) in order, each within timeoutMs, and
// prints one line per test. Returns { passed, failed }. With
// $DEBRIEF_TIMES set each line ends with the test's time.
async function runTests(tests, timeoutMs) {
	let passed = 0, failed = 0;

	for (const { name, fn } of tests) {
		const t0 = Date.now();
		const ms = () => process.env.DEBRIEF_TIMES ? ` (${Date.now() - t0} ms)` : '';
		try {
			await withTimeout(fn(), timeoutMs, name);
			console.log(`ok - ${name}${ms()}`);
			passed++;
		} catch (e) {
			console.log(`not ok - ${name}: ${e.message.split('\n')[0]}${ms()}`);
			failed++;
		}
	}
	return { passed, failed };
}

module.exports = {
	CHROMIUM, CHROMIUM_ARGS, freePort, sleep, startServer, stopServer,
	launchBrowser, assert, withTimeout, runTests,
};
