// xss.test.js: the XSS browser test. Script payloads go into every field a
// person can type (through the JSON API and through the forms), into the
// index's search and filter arguments, a 404 path, the sign-in page and the
// language coach; chromium then loads every page that shows them and checks
// two things on each:
//
//   nothing ran: window.__xss (which every payload sets) stays undefined,
//   no dialog opened, no request left for another host (attacker.invalid),
//   and no console message says the Content-Security-Policy blocked
//   something (a blocked inline script means markup got through);
//
//   nothing changed the page: no element a payload would make (script,
//   img/svg/iframe/object/embed, on* attributes, javascript:/data: URLs,
//   style/link/meta/base in the body, forms posting elsewhere; every
//   payload element also carries a "pwn" attribute), and the payload is
//   shown as text where its field is shown (and kept as the value of its
//   form field, so that saving the edit page changes nothing).
//
// The pages are checked twice: once as served, with their strict CSP, and
// once in a context that ignores CSP (bypassCSP), so that the escaping
// itself is tested and not only the policy.
//
//   node xss.test.js /path/to/debrief
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const H = require('./harness');

const { assert } = H;
const TEST_TIMEOUT_MS = 30000;
const ATTACKER = 'http://attacker.invalid';

/* ---- payloads --------------------------------------------------------- */

// Every payload sets window.__xss to the id of the field it was put in, so
// a failure names the field. No payload has a comma: lists (services, tags)
// are comma-separated in the forms.
const run = (id) => `__xss='${id}'`;

// shortPayload fits a title (300 bytes) or a person's name (200).
function shortPayload(id) {
	return `"'><img pwn src=${ATTACKER}/${id} onerror=${run(id)}></title></textarea>` +
		`<script pwn>${run(id)}</script><!--debrief:csrf--> \u202eRTL`;
}

// linePayload is one line under the 1000-byte limit of one-line fields
// (unless long is set, for markdown).
function linePayload(id, long = false) {
	const r = run(id);
	const s = [
		`<script pwn>${r}</script>`,
		`"><svg pwn onload="${r}">`,
		`'><img pwn src="${ATTACKER}/i" onerror="${r}">`,
		`<img pwn src=x onerror=alert('${id}')>`,
		`</title></textarea><script pwn>${r}</script>`,
		`" autofocus onfocus="${r}" x="`,
		`' onmouseover='${r}' x='`,
		`<iframe pwn src="javascript:${r}"></iframe>`,
		`<a pwn href="javascript:${r}">a</a>`,
		`<form pwn action="${ATTACKER}/f"><input pwn name=p></form>`,
		`<base pwn href="${ATTACKER}/">`,
		`<meta pwn http-equiv=refresh content="0;url=${ATTACKER}/m">`,
		'<style pwn>body{display:none}</style>',
		`<link pwn rel=stylesheet href="${ATTACKER}/c">`,
		`<object pwn data="javascript:${r}"></object>`,
		'<!--debrief:csrf--><!--debrief:nav--><!--/debrief:editor-->',
		'\u202eRTL\u202c\u200b\ufeff e\u0301 \u{1F6A8} &amp;lt; %3Cb%3E',
	].join(' ');
	if (!long && Buffer.byteLength(s) > 1000)
		throw new Error(`linePayload(${id}) is ${Buffer.byteLength(s)} bytes`);
	return s;
}

// mdPayload is markdown: raw HTML (inline and blocks), dangerous link and
// image URLs in every markdown form, and code that must show as text.
function mdPayload(id) {
	const r = run(id);
	return [
		`Visible words md-${id}.`,
		'',
		linePayload(id, true),
		'',
		`<div pwn onclick="${r}">block html</div>`,
		'',
		`<details pwn open ontoggle="${r}"><summary>s</summary></details>`,
		'',
		'<!--debrief:csrf-->',
		'',
		`[js](javascript:${r}) [JS](JaVaScRiPt:${r}) [sp]( javascript:${r})`,
		'[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==) [vb](vbscript:msgbox)',
		`<javascript:${r}> [ref][r-${id}] [t](/x "\\"><svg pwn onload=${r}>")`,
		`![img](javascript:${r}) ![svg](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)`,
		'',
		`[r-${id}]: javascript:${r}`,
		'',
		'`' + `<script pwn>${r}</script>` + '` in code and `<!--debrief:csrf-->` too',
		'',
		'```html',
		`<script pwn>${r}</script></textarea>`,
		'```',
		'',
		'| a | b |',
		'|---|---|',
		`| <img pwn src=x onerror=${r}> | [t](javascript:${r}) |`,
	].join('\n');
}
// the parts of mdPayload that must show as text on the review page
const mdVisible = (id) => [`Visible words md-${id}.`, `<script pwn>${run(id)}</script>`,
	'<!--debrief:csrf-->'];

// tags are at most 64 bytes: several small ones
const TAGS = [
	`"><svg pwn onload=${run('tag1')}>`,
	`</textarea><script pwn>${run('tag2')}</script>`,
	`<img pwn src=//attacker.invalid/t onerror=${run('tag3')}>`,
	'<!--debrief:csrf-->',
	`' onmouseover='${run('tag5')}' x='`,
	'%22%3E%3Cscript%3E &amp; \u202etag',
];

// services are at most 100 bytes each
const services = (id) => [`"><svg pwn onload=${run(id + '1')}>`,
	`</textarea><script pwn>${run(id + '2')}</script>`,
	`<img pwn src=//attacker.invalid/s onerror=${run(id + '3')}>`, '<!--debrief:csrf-->'];

const MD_FIELDS = ['tldr', 'summary', 'impact', 'resolution', 'surprising', 'difficult',
	'open_questions', 'went_well', 'went_poorly', 'data_sources'];
const LINE_FIELDS = ['owner_team', 'impact_type', 'problem_type'];

// The title uses the whole 300 bytes.
function maxTitle(id) {
	const s = shortPayload(id);
	return s + 'x'.repeat(300 - Buffer.byteLength(s));
}

// apiReview is the review created through the JSON API: a payload in every
// field of it and of its children.
function apiReview() {
	const r = { title: maxTitle('title'), kind: 'incident', severity: 2,
		started_at: '2026-11-20T14:00:00Z', services: services('svc'),
		timeline: [], followups: [], factors: [], people: [], links: [], tags: TAGS };
	for (const f of MD_FIELDS)
		r[f] = mdPayload(f);
	// a very long section: about 100 KiB of payloads
	r.went_poorly = Array.from({ length: 60 }, () => mdPayload('went_poorly')).join('\n\n');
	for (const f of LINE_FIELDS)
		r[f] = linePayload(f);
	r.timeline.push({ at: '2026-11-20T14:05:00Z', kind: 'alert', text: mdPayload('tl-text'),
		actor: linePayload('tl-actor'), source: linePayload('tl-source'),
		context: mdPayload('tl-context'), perspective: linePayload('tl-perspective') });
	r.timeline.push({ at: '2026-11-20T14:10:00Z', text: 'Sources that look like links',
		source: `https://example.invalid/"><svg pwn onload=${run('tl-src-url')}>` });
	r.timeline.push({ at: '2026-11-20T14:15:00Z', text: 'A javascript: source',
		source: `javascript:${run('tl-src-js')}` });
	r.followups.push({ title: shortPayload('fu-title'), description: mdPayload('fu-desc'),
		owner: linePayload('fu-owner'), ticket: linePayload('fu-ticket') });
	r.followups.push({ title: 'Ticket as javascript:', ticket: `javascript:${run('fu-ticket-js')}//x/OPS-1` });
	r.followups.push({ title: 'Ticket as URL',
		ticket: `https://tracker.invalid/"><svg pwn onload=${run('fu-ticket-url')}>/OPS-2` });
	r.factors.push({ text: shortPayload('factor'), kind: 'trigger', description: mdPayload('factor-desc') });
	r.people.push({ name: shortPayload('person'), role: 'responder' });
	r.links.push({ url: `https://example.invalid/?q="><svg pwn onload=${run('link-url')}>`,
		kind: 'dashboard', comment: linePayload('link-comment') });
	r.links.push({ url: `/"><script pwn>${run('link-rel')}</script>`, kind: 'other' });
	r.links.push({ url: `mailto:x@example.invalid?subject="><svg pwn onload=${run('link-mail')}>`,
		kind: 'other' });
	// allowed wording ("not blame here"): listed above the edit form and
	// carried in its data-lint-allow attribute for lint.js
	r['lint-allows'] = [{ phrase: linePayload('la-phrase'), category: 'human-error',
		note: linePayload('la-note') }];
	return r;
}

/* ---- what a page must not have (runs in the page) ---------------------- */

function inspectPage() {
	const out = [];
	const say = (what, el) => out.push(`${what}: ${(el.outerHTML || el.data || '').slice(0, 100)}`);
	const badUrl = (v) => /^(javascript|vbscript|data):/i.test(v.replace(/[\s\u0000-\u001f]/g, ''));
	const toAttacker = (v) => {
		try {
			return new URL(v, location.href).hostname.endsWith('attacker.invalid');
		} catch (e) {
			return false;
		}
	};
	const urlAttrs = ['href', 'src', 'action', 'formaction', 'data', 'xlink:href', 'srcdoc',
		'poster', 'background', 'ping', 'srcset', 'content'];

	for (const s of document.querySelectorAll('script')) {
		const src = s.getAttribute('src');
		if (!src || !/^\/static\/[a-z]+\.js(\?v=[0-9a-f]+)?$/.test(src))
			say('script', s);
	}
	for (const el of document.querySelectorAll('*')) {
		for (const a of el.attributes) {
			const n = a.name.toLowerCase();
			if (n.startsWith('on'))
				say(`${n} attribute`, el);
			else if (n === 'pwn')
				say('element made by a payload', el);
			else if (n === 'autofocus' && el.name !== 'username')
				say('autofocus', el);
			if (urlAttrs.includes(n) && (badUrl(a.value) || toAttacker(a.value)))
				say(`${n}="${a.value.slice(0, 30)}"`, el);
		}
	}
	for (const el of document.querySelectorAll('iframe, frame, frameset, object, embed, applet, ' +
		'svg, math, portal, template, marquee, video, audio, xmp, plaintext'))
		say('unexpected element', el);
	for (const el of document.body.querySelectorAll('style, link, meta, base, title, head, body'))
		say('in the body', el);
	for (const el of document.head.querySelectorAll('base, meta[http-equiv], style, script:not([src])'))
		say('in the head', el);
	for (const img of document.querySelectorAll('img')) {
		const src = img.getAttribute('src') || '';
		if (src && !src.startsWith('/'))
			say('image from elsewhere', img);
	}
	for (const f of document.querySelectorAll('form')) {
		const a = f.getAttribute('action');
		if (a === null || !/^\/[A-Za-z0-9/_.-]*$/.test(a))
			say('form posting elsewhere', f);
	}
	for (const a of document.querySelectorAll('a[href]')) {
		const raw = a.getAttribute('href');
		if (!/^(https?:|mailto:)/i.test(raw) && new URL(a.href).origin !== location.origin)
			say('relative link leaving the site', a);
	}
	// comments: cmark's placeholder and this program's own slot markers only
	const w = document.createTreeWalker(document, NodeFilter.SHOW_COMMENT);
	for (let n = w.nextNode(); n; n = w.nextNode())
		if (n.data !== ' raw HTML omitted ' && !/^\/?debrief:[a-z]+$/.test(n.data))
			say('comment', n);
	// the forms' CSRF values are one token, never typed text
	const csrf = new Set([...document.querySelectorAll('input[name=csrf]')].map((i) => i.value));
	if (csrf.size > 1)
		out.push(`several CSRF values: ${[...csrf].join(' | ').slice(0, 100)}`);
	return {
		problems: out,
		ran: typeof window.__xss === 'undefined' ? null : String(window.__xss),
		title: document.title,
		text: document.body ? document.body.textContent : '',
	};
}

/* ---- the tests -------------------------------------------------------- */

function defineTests(ctx) {
	const t = [];
	const test = (name, fn) => t.push({ name, fn });

	// api sends a JSON request to the server; { status, json, type }
	async function api(method, p, body) {
		const r = await fetch(ctx.base + p, {
			method,
			headers: body ? { 'Content-Type': 'application/json' } : {},
			body: body ? JSON.stringify(body) : undefined,
		});
		const text = await r.text();
		let json = null;
		try {
			json = JSON.parse(text);
		} catch (e) {
			/* not JSON */
		}
		return { status: r.status, json, text, type: r.headers.get('content-type') || '' };
	}

	// current is the API review as it is now (later tests edit it)
	async function current() {
		const r = await api('GET', `/api/v1/reviews/${ctx.r1.id}`);
		assert(r.status === 200, `GET review: ${r.status}`);
		return r.json;
	}

	// check loads url in pass's page (or inspects the page as it is when url
	// is null) and fails on anything that ran or any markup from a payload;
	// every string in shown must be in the page's text.
	async function check(pass, url, shown = [], status = null) {
		const page = pass.page;
		if (url) {
			const res = await page.goto(ctx.base + url);
			if (status !== null)
				assert(res.status() === status, `${url}: status ${res.status()}, wanted ${status}`);
		}
		await page.waitForLoadState('load');
		await H.sleep(30); // let error and load events of injected elements fire
		const r = await page.evaluate(inspectPage);
		const where = url || page.url().replace(ctx.base, '');
		assert(r.ran === null, `${where}: a payload ran (window.__xss = "${r.ran}")`);
		assert(r.problems.length === 0, `${where}: ${r.problems.length} problems: ${r.problems.slice(0, 3).join('; ')}`);
		for (const s of shown)
			assert(r.text.includes(s), `${where}: "${s.slice(0, 60)}" is not shown as text`);
		// each event fails the test it happened in, and the last test
		const events = pass.events.splice(0);
		ctx.events.push(...events);
		assert(events.length === 0, `${where}: ${events.join('; ').slice(0, 300)}`);
		return r;
	}

	// the strings of a review that must show as text on its page
	function reviewShown(r) {
		const s = [r.title, ...(r.services || []), ...r.tags];
		for (const f of LINE_FIELDS)
			if (r[f])
				s.push(r[f]);
		for (const f of MD_FIELDS) {
			const m = /^Visible words md-([^.\s]+)\./.exec(r[f] || '');
			if (m)
				s.push(...mdVisible(m[1]));
		}
		for (const e of r.timeline) {
			for (const f of ['actor', 'perspective'])
				if (e[f])
					s.push(e[f]);
			if (e.source && !/^https?:/.test(e.source))
				s.push(e.source);
		}
		for (const fu of r.followups) {
			s.push(fu.title);
			if (fu.owner)
				s.push(fu.owner);
		}
		s.push(...r.factors.map((f) => f.text), ...r.people.map((p) => p.name));
		s.push(...r.links.filter((l) => l.comment).map((l) => l.comment));
		return s;
	}

	test('the API keeps every payload as typed', async () => {
		const body = apiReview();
		const res = await api('POST', '/api/v1/reviews', body);
		assert(res.status === 201, `create: ${res.status} ${res.text.slice(0, 200)}`);
		ctx.r1 = res.json;
		assert(ctx.r1.title === body.title && ctx.r1.went_poorly === body.went_poorly, 'text kept');
		assert(ctx.r1.links.length === 3 && ctx.r1.tags.length === TAGS.length, 'children kept');
		// accounts (issue 4) add restricted_to: a group name is typed text too
		if ('restricted_to' in ctx.r1) {
			const p = await api('PATCH', `/api/v1/reviews/${ctx.r1.id}`,
				{ restricted_to: [`<svg pwn onload=${run('group')}>`] });
			if (p.status === 200)
				ctx.r1 = p.json;
		}
		// a deleted review with a payload title, for /deleted
		const d = await api('POST', '/api/v1/reviews', { title: shortPayload('deleted') });
		assert(d.status === 201, `create: ${d.status}`);
		ctx.deleted = d.json;
		assert((await api('DELETE', `/api/v1/reviews/${d.json.id}`)).status === 204, 'delete');
	});

	test('the API refuses javascript:, data: and other link URLs that are not http(s), mailto or a path', async () => {
		const bad = [`javascript:${run('x')}`, 'JaVaScRiPt:alert(1)', ' javascript:alert(1)',
			'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==', 'vbscript:msgbox',
			'//attacker.invalid/x', 'java\tscript:alert(1)', 'https://x.invalid/\n<script>',
			// browsers read a backslash as a slash and drop tabs: both lead off the site
			`/\\attacker.invalid/${run('link-backslash')}`, '/\t/attacker.invalid/x'];
		for (const url of bad) {
			const r = await api('POST', `/api/v1/reviews/${ctx.r1.id}/links`, { url });
			assert(r.status === 422 || r.status === 400, `${JSON.stringify(url)}: ${r.status}`);
			assert(/^application\/json/.test(r.type), 'errors are JSON');
		}
		const now = await api('GET', `/api/v1/reviews/${ctx.r1.id}`);
		assert(now.json.links.length === 3, 'nothing added');
	});

	for (const pname of ['with CSP', 'without CSP']) {
		const P = () => ctx.passes[pname];

		test(`${pname}: the review page shows every payload as text and runs none`, async () => {
			const r = await current();
			const got = await check(P(), `/reviews/${r.id}`, reviewShown(r), 200);
			const page = P().page;
			assert(await page.textContent('h1') === r.title, 'the title is the heading, as typed');
			assert(got.title === `${r.title} · debrief`, `document title kept: ${got.title.slice(0, 60)}`);
			// dangerous markdown links keep their text but lose their URL
			const mdHrefs = await page.$$eval('.prose a', (as) => as.map((a) => a.getAttribute('href')));
			assert(mdHrefs.length > 0, 'the markdown links are there');
			for (const href of mdHrefs)
				assert(href === null || href === '' || /^(https?:|mailto:|\/|#)/i.test(href),
					`markdown link with href "${href}"`);
			// safe-looking URLs with quotes stay inside their attribute
			const hrefs = await page.$$eval('a[href]', (as) => as.map((a) => a.getAttribute('href')));
			for (const l of r.links.filter((k) => /^(https?|mailto):/.test(k.url)))
				assert(hrefs.includes(l.url), `link ${l.url.slice(0, 40)} kept whole in its href`);
			assert(!hrefs.some((h) => /javascript/i.test(h)), 'no javascript: href');
			if (r.restricted_to && r.restricted_to.length)
				assert(got.text.includes(r.restricted_to[0]), 'group name shown as text');
		});

		test(`${pname}: the print view shows the payloads as text and runs none`, async () => {
			const r = await current();
			await check(P(), `/reviews/${r.id}/print`, [r.title], 200);
			assert(await P().page.textContent('h1') === r.title, 'the title is the heading, as typed');
		});

		test(`${pname}: the edit page keeps every payload as the value of its field`, async () => {
			const r = await current();
			await check(P(), `/reviews/${r.id}/edit`, [], 200);
			const page = P().page;
			const value = (name) => page.inputValue(`[name="${name}"]`);
			assert(await value('title') === r.title, 'title');
			for (const f of [...MD_FIELDS, ...LINE_FIELDS])
				assert(await value(f) === r[f], `${f} round-trips`);
			assert(await value('services') === r.services.join(', '), 'services');
			assert(await value('tags') === r.tags.join(', '), 'tags');
			const la = r['lint-allows'][0];
			const listed = await page.textContent('details.coach-allowed');
			assert(listed.includes(la.phrase) && listed.includes(la.note), 'allowed wording shown as text');
			const carried = JSON.parse(await page.getAttribute('form.review-form', 'data-lint-allow'));
			assert(carried.length === 1 && carried[0].phrase === la.phrase, 'data-lint-allow round-trips');
			const kids = { timeline: ['text', 'actor', 'source', 'context', 'perspective'],
				followups: ['title', 'description', 'owner', 'ticket'],
				factors: ['text', 'description'], people: ['name'], links: ['url', 'comment'] };
			for (const [k, fields] of Object.entries(kids))
				for (let i = 0; i < r[k].length; i++)
					for (const f of fields)
						assert(await value(`${k}[${i}].${f}`) === (r[k][i][f] || ''), `${k}[${i}].${f}`);
		});

		test(`${pname}: one timeline entry's form, on its page and in place, keeps its payloads as values`, async () => {
			const r = await current();
			const e = r.timeline[0];
			await check(P(), `/reviews/${r.id}/timeline/${e.id}/edit`, [r.title], 200);
			const page = P().page;
			for (const f of ['text', 'actor', 'source', 'context', 'perspective'])
				assert(await page.inputValue(`[name="timeline[0].${f}"]`) === (e[f] || ''), `entry ${f} round-trips`);
			await check(P(), `/reviews/${r.id}`, [], 200);
			await page.click(`#tl-${e.id} a.entry-edit`);
			await page.locator('tr.entry-editing form.entry-form').waitFor();
			await check(P(), null);
			assert(await page.inputValue('tr.entry-editing [name="timeline[0].text"]') === e.text,
				'the text round-trips in place');
			await page.keyboard.press('Escape');
		});

		test(`${pname}: the index, its search and its filters show payloads as text`, async () => {
			const r = await current();
			await check(P(), '/', [r.title, ...r.tags], 200);
			const evil = linePayload('q');
			await check(P(), `/?q=${encodeURIComponent(evil)}`);
			assert(await P().page.inputValue('#flt-q') === evil, 'the query is kept in the search box');
			const args = ['tag', 'service', 'from', 'to', 'kind', 'status', 'severity', 'page']
				.map((a) => `${a}=${encodeURIComponent(shortPayload(a))}`).join('&');
			await check(P(), `/?q=x&${args}`);
			for (const a of ['tag', 'service'])
				assert(await P().page.inputValue(`#flt-${a}`) === shortPayload(a), `${a} kept in its field`);
			// a date that is not one is dropped or kept, never markup
			for (const a of ['from', 'to'])
				assert(['', shortPayload(a)].includes(await P().page.getAttribute(`#flt-${a}`, 'value')),
					`${a} dropped or kept as typed`);
			// filters that match: the payload tag and service
			for (const tag of r.tags)
				await check(P(), `/?tag=${encodeURIComponent(tag)}`, [r.title]);
			await check(P(), `/?service=${encodeURIComponent(r.services[0])}&q=${encodeURIComponent('"><svg pwn onload=x>')}`);
			// the JSON API's own answers are JSON, which a browser shows as text
			await check(P(), `/api/v1/reviews?severity=${encodeURIComponent(shortPayload('api-arg'))}`);
			await check(P(), `/api/v1/reviews/${r.id}`);
		});

		test(`${pname}: the history page shows diffs of payload edits as text`, async () => {
			const r = await current();
			if (!ctx.patched) {
				const p = await api('PATCH', `/api/v1/reviews/${r.id}`, {
					title: shortPayload('title2'), summary: mdPayload('summary2'),
					owner_team: linePayload('owner2'), services: services('svc-new') });
				assert(p.status === 200, `patch: ${p.status} ${p.text.slice(0, 100)}`);
				const c = await api('PATCH', `/api/v1/reviews/${r.id}/people/${r.people[0].id}`,
					{ name: shortPayload('person2') });
				assert(c.status === 200, `child patch: ${c.status}`);
				ctx.patched = p.json;
			}
			const got = await check(P(), `/reviews/${r.id}/history`, [], 200);
			// created fields are shown whole
			assert(got.text.includes(r.owner_team) || got.text.includes(r.title), 'old values shown');
			assert(got.text.includes('person2'), 'the child edit is listed');
			await check(P(), `/reviews/${r.id}`, [ctx.patched.title, ctx.patched.owner_team]);
		});

		test(`${pname}: the deleted list, a deleted review's history and its URL show its title as text`, async () => {
			await check(P(), '/deleted', [ctx.deleted.title]);
			await check(P(), `/reviews/${ctx.deleted.id}/history`, [ctx.deleted.title]);
			// its own URL: a 404 that names it to admins
			await check(P(), `/reviews/${ctx.deleted.id}`, [ctx.deleted.title], 404);
		});

		test(`${pname}: a 404 path and error pages with payloads run nothing`, async () => {
			const evil = `<script pwn>${run('404')}</script>"'><svg pwn onload=${run('404b')}>`;
			await check(P(), `/${encodeURIComponent(evil)}`, [], 404);
			await check(P(), `/reviews/${encodeURIComponent(evil)}`);
			await check(P(), `/reviews/99999/${encodeURIComponent(evil)}`);
			await check(P(), `/x'onmouseover='${run('404c')}'/<b>`, [], 404);
			await check(P(), `/static/${encodeURIComponent(evil)}`);
		});

		test(`${pname}: the sign-in page keeps next and the username as inert values`, async () => {
			const evil = `/"><script pwn>${run('next')}</script>`;
			await check(P(), `/login?next=${encodeURIComponent(evil)}`);
			for (const n of [`javascript:${run('next2')}`, '//attacker.invalid/', '/\\attacker.invalid'])
				await check(P(), `/login?next=${encodeURIComponent(n)}`);
			const page = P().page;
			await check(P(), `/login?next=${encodeURIComponent(evil)}`);
			const user = shortPayload('username');
			await page.fill('#username', user);
			await page.fill('#password', `"><svg pwn onload=${run('password')}>`);
			await Promise.all([page.waitForLoadState('load'), page.click('button[type=submit].primary')]);
			await page.waitForSelector('.notice-error');
			await check(P(), null);
			assert(await page.inputValue('#username') === user, 'the username is kept as typed');
			const next = await page.inputValue('input[name=next]');
			assert(next === evil || next === '/', `next stays a path on this site (got ${next.slice(0, 40)})`);
		});

		test(`${pname}: the coach highlights a payload with a counterfactual as text`, async () => {
			const page = P().page;
			await check(P(), `/reviews/${ctx.r1.id}/edit`);
			const typed = `They should have <img pwn src=x onerror=${run('coach')}> checked ` +
				`<script pwn>${run('coach2')}</script></textarea> the dashboard.`;
			const answered = page.waitForResponse((res) => res.url().endsWith('/api/v1/lint') &&
				(res.request().postData() || '').includes('coach2'));
			// typed as a person would end it: the last key pressed
			await page.fill('#f-tldr', typed.slice(0, -1));
			await page.press('#f-tldr', typed.slice(-1));
			await answered;
			const mark = page.locator('.fn-tldr .lint-layer mark');
			await mark.first().waitFor();
			await check(P(), null);
			assert(/^should have/i.test(await mark.first().textContent()), 'the words are highlighted');
			const layer = await page.textContent('.fn-tldr .lint-layer');
			assert(layer.startsWith(typed), `the overlay shows the typed text as text: ${layer.slice(0, 80)}`);
			const mb = await mark.first().boundingBox();
			await page.mouse.move(mb.x + mb.width / 2, mb.y + mb.height / 2);
			await page.waitForSelector('.lint-tip:not([hidden])');
			await check(P(), null);
			await page.mouse.move(5, 5);
			assert(await page.inputValue('#f-tldr') === typed, 'the coach never changes the text');
		});
	}

	test('a review typed into the forms keeps its payloads as text', async () => {
		const pass = ctx.passes['with CSP'];
		const page = pass.page;
		await check(pass, '/reviews/new');
		const want = { title: shortPayload('form-title'), services: services('form-svc'),
			tags: TAGS.slice(0, 3), timeline: [], followups: [], factors: [], people: [], links: [] };
		await page.fill('#f-title', want.title);
		for (const f of MD_FIELDS) {
			want[f] = mdPayload(`form-${f}`);
			await page.fill(`#f-${f}`, want[f]);
		}
		for (const f of LINE_FIELDS) {
			want[f] = linePayload(`form-${f}`);
			await page.fill(`#f-${f}`, want[f]);
		}
		await page.fill('#f-services', want.services.join(', '));
		await page.fill('#f-tags', want.tags.join(', '));
		// Create opens the editor at the timeline
		await Promise.all([page.waitForURL(/\/edit\?created=1#created$/), page.click('button[type=submit].primary')]);
		ctx.formUrl = page.url().replace(ctx.base, '').replace(/\/edit.*$/, '');
		const row = (kind) => page.locator(`#sec-${kind} .row-new`).first();
		const fill = async (kind, vals) => {
			// a timeline entry keeps its rarer fields behind an expander
			const more = row(kind).locator('.row-more:not([open]) > summary');
			if (await more.count())
				await more.click();
			for (const [f, v] of Object.entries(vals))
				await row(kind).locator(`[name$=".${f}"]`).fill(v);
			want[kind].push(vals);
		};
		await fill('timeline', { at: '2026-11-20 14:05', text: mdPayload('form-tl-text'),
			actor: linePayload('form-tl-actor'), source: linePayload('form-tl-source'),
			context: mdPayload('form-tl-context'), perspective: linePayload('form-tl-perspective') });
		await fill('followups', { title: shortPayload('form-fu-title'), description: mdPayload('form-fu-desc'),
			owner: linePayload('form-fu-owner'), ticket: linePayload('form-fu-ticket') });
		await fill('factors', { text: shortPayload('form-factor'), description: mdPayload('form-factor-desc') });
		await fill('people', { name: shortPayload('form-person') });
		await fill('links', { url: `https://example.invalid/"><svg pwn onload=${run('form-link')}>`,
			comment: linePayload('form-link-comment') });
		await Promise.all([page.waitForURL(/\/reviews\/\d+$/), page.click('.form-actions button[type=submit]')]);
		await check(pass, null, reviewShown(want));
		// what was stored is what was typed
		const id = ctx.formUrl.split('/').pop();
		const got = (await api('GET', `/api/v1/reviews/${id}`)).json;
		for (const f of ['title', ...MD_FIELDS, ...LINE_FIELDS])
			assert(got[f] === want[f], `${f} stored as typed`);
		assert(JSON.stringify(got.tags.slice().sort()) === JSON.stringify(want.tags.slice().sort()), 'tags');
		for (const k of ['timeline', 'followups', 'factors', 'people', 'links'])
			for (const [f, v] of Object.entries(want[k][0]))
				assert(f === 'at' || got[k][0][f] === v, `${k}.${f} stored as typed`);
		for (const pname of Object.keys(ctx.passes))
			await check(ctx.passes[pname], ctx.formUrl, reviewShown(want));
	});

	test('saving the edit page of a payload review unchanged changes nothing', async () => {
		const pass = ctx.passes['with CSP'];
		const page = pass.page;
		const before = (await api('GET', `/api/v1/reviews/${ctx.r1.id}`)).json;
		await check(pass, `/reviews/${ctx.r1.id}/edit`);
		await Promise.all([page.waitForURL(/\/reviews\/\d+$/), page.click('.form-actions button[type=submit]')]);
		await check(pass, null);
		const after = (await api('GET', `/api/v1/reviews/${ctx.r1.id}`)).json;
		const strip = (o) => JSON.stringify(o, (k, v) =>
			['version', 'updated_at', 'created_at', 'review_version'].includes(k) ? undefined : v);
		const a = JSON.parse(strip(after)), b = JSON.parse(strip(before));
		const differ = Object.keys(b).filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
		assert(differ.length === 0, `changed by the save: ${differ.join(', ')}`);
	});

	test('errors that echo input keep it as text in the form', async () => {
		const pass = ctx.passes['with CSP'];
		const page = pass.page;
		await check(pass, '/reviews/new');
		const badTime = `"><svg pwn onload=${run('time')}>`;
		const longTitle = maxTitle('long') + 'y';
		await page.fill('#f-title', longTitle);
		await page.fill('#f-started_at', badTime);
		await page.fill('#f-summary', mdPayload('kept'));
		await Promise.all([page.waitForLoadState('load'), page.click('button[type=submit].primary')]);
		await page.waitForSelector('#e-started_at');
		await check(pass, null);
		assert(await page.inputValue('#f-started_at') === badTime, 'the bad time is kept as typed');
		assert(await page.inputValue('#f-title') === longTitle, 'the long title is kept');
		assert(await page.inputValue('#f-summary') === mdPayload('kept'), 'the summary is kept');
		// a javascript: link typed on the edit page is refused, and kept as text
		await check(pass, `/reviews/${ctx.r1.id}/edit`);
		const url = `javascript:${run('form-js-link')}`;
		await page.locator('#sec-links .row-new').first().locator('[name$=".url"]').fill(url);
		await page.locator('#sec-people .row-new').first().locator('[name$=".name"]')
			.fill(`<script pwn>${run('name-with-bad-link')}</script>`);
		await Promise.all([page.waitForLoadState('load'), page.click('.form-actions button[type=submit]')]);
		await page.waitForSelector('.notice-error');
		await check(pass, null);
		const kept = await page.$$eval('input[name^="links["][name$=".url"]', (is) => is.map((i) => i.value));
		assert(kept.includes(url), 'the refused URL is kept in its field');
		const now = (await api('GET', `/api/v1/reviews/${ctx.r1.id}`)).json;
		assert(now.links.length === 3 && !now.people.some((p) => /name-with-bad-link/.test(p.name)),
			'nothing was saved');
	});

	test('without JavaScript a save with findings lists them as text', async () => {
		const pass = ctx.passes['without JavaScript'];
		const page = pass.page;
		await check(pass, `/reviews/${ctx.r1.id}/edit`);
		const typed = `They should have <img pwn src=x onerror=${run('nojs')}> checked ` +
			`<script pwn>${run('nojs2')}</script> the dashboard.`;
		await page.fill('#f-tldr', typed);
		await Promise.all([page.waitForLoadState('load'), page.click('.form-actions button[type=submit]')]);
		await page.waitForSelector('.coach-static');
		await check(pass, null, ['should have']);
		assert(await page.inputValue('#f-tldr') === typed, 'the text is kept in its field');
		const listed = await page.textContent('.coach-static');
		assert(/should have/i.test(listed), 'the finding is listed');
		// every listed finding is plain text
		assert(await page.locator('.coach-static [pwn], .coach-static img, .coach-static script').count() === 0,
			'no markup in the list');
	});

	test('no page showed a dialog, asked another host or broke the CSP', async () => {
		const all = ctx.events.concat(Object.values(ctx.passes).flatMap((p) => p.events));
		assert(all.length === 0, all.join('; ').slice(0, 500));
		assert(ctx.requests.length === 0, `requests to other hosts: ${ctx.requests.join(' ')}`);
	});
	return t;
}

/* ---- main ------------------------------------------------------------- */

async function newPass(ctx, name, options) {
	const context = await ctx.browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
	context.setDefaultTimeout(10000);
	// nothing may leave for another host: record and refuse it
	await context.route((u) => !u.href.startsWith(ctx.base + '/'), (route) => {
		ctx.requests.push(route.request().url().slice(0, 80));
		route.abort().catch(() => {});
	});
	const pass = { context, page: await context.newPage(), events: [] };
	pass.page.on('dialog', (d) => {
		// leaving a form with unsaved text asks first (draft.js): not
		// a payload's doing
		if (d.type() === 'beforeunload') {
			d.accept().catch(() => {});
			return;
		}
		pass.events.push(`${name}: dialog "${d.message()}"`);
		d.dismiss().catch(() => {});
	});
	pass.page.on('console', (m) => {
		// forms sent back with errors (422), the 404 pages and the sign-in
		// failure (401) are expected; a CSP report is not
		if (m.type() === 'error' && !/status of (4\d\d)/.test(m.text()))
			pass.events.push(`${name}: console: ${m.text().slice(0, 200)}`);
	});
	pass.page.on('pageerror', (e) => pass.events.push(`${name}: page error: ${e.message}`));
	ctx.passes[name] = pass;
}

async function main() {
	const bin = process.argv[2] || process.env.DEBRIEF_BIN;
	let passed = 0, failed = 0;
	let server = null;
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'debrief-xss-'));
	const ctx = { passes: {}, requests: [], events: [] };

	try {
		if (!bin)
			throw new Error('usage: node xss.test.js /path/to/debrief');
		server = await H.startServer(bin, dir);
		ctx.base = server.base;
		ctx.browser = await H.launchBrowser();
		await newPass(ctx, 'with CSP', {});
		await newPass(ctx, 'without CSP', { bypassCSP: true });
		await newPass(ctx, 'without JavaScript', { javaScriptEnabled: false });
	} catch (e) {
		console.log(`not ok - setup: ${e.message}`);
		failed++;
	}
	if (!failed)
		({ passed, failed } = await H.runTests(defineTests(ctx), TEST_TIMEOUT_MS));
	if (ctx.browser)
		await ctx.browser.close().catch(() => {});
	await H.stopServer(server);
	if (failed)
		console.log(`server log kept in ${dir}`);
	else
		fs.rmSync(dir, { recursive: true, force: true });
	console.log(`${passed} passed, ${failed} failed`);
	process.exitCode = failed ? 1 : 0;
}

main();
