/* draft.js: the editor never loses what was typed. While the review form
 * (form.review-form) differs from what the page loaded with, it is saved
 * as the person's draft on the server (PUT /api/v1/reviews/{id}/draft, or
 * /api/v1/drafts/new for the new-review form) every few seconds and when
 * the page is hidden or left, and leaving the page asks first. Coming
 * back, a draft that differs from the form is offered: restore it or throw
 * it away (the form carries data-draft when there is one). The server
 * drops the draft when the form is saved. The draft
 * holds every field, the form's version and base included, so a restored
 * draft over a review saved meanwhile merges like any late save. A form
 * the server sent back (data-unsaved: errors to fix, a merge to finish)
 * counts as unsaved from the start.
 *
 * Without JavaScript there are no drafts, and the form works as before.
 * Loaded with defer, from 'self'. */
(function () {
	'use strict';

	var SAVE_EVERY_MS = 3000;
	/* fields that are not what a person typed */
	var SKIP = { csrf: 1, coach: 1 };

	if (!window.fetch || !window.JSON || !document.querySelector)
		return;

	var form = document.querySelector('form.review-form');
	if (!form)
		return;
	var m = /^\/reviews\/(\d+)\/edit$/.exec(form.getAttribute('action') || '');
	var url = m ? '/api/v1/reviews/' + m[1] + '/draft' : '/api/v1/drafts/new';

	function csrfToken() {
		var t = document.querySelector('meta[name="csrf-token"]');
		return t ? t.getAttribute('content') : '';
	}

	/* selectDefault is the value a select had in the page's HTML. */
	function selectDefault(el) {
		var opts = el.options;
		for (var i = 0; i < opts.length; i++)
			if (opts[i].defaultSelected)
				return opts[i].value;
		return opts.length ? opts[0].value : '';
	}

	/* fields reads the form as name -> text, as it would be posted (a
	 * box or a choice that is not ticked is left out); with asSent, as
	 * the server sent it, whatever the browser filled in since (it
	 * refills forms on reload). */
	function fields(asSent) {
		var out = {}, els = form.elements;
		for (var i = 0; i < els.length; i++) {
			var el = els[i];
			if (!el.name || SKIP[el.name] || el.disabled)
				continue;
			if (el.type === 'submit' || el.type === 'button')
				continue;
			if (el.type === 'checkbox' || el.type === 'radio') {
				if (asSent ? el.defaultChecked : el.checked)
					out[el.name] = el.value;
			} else if (el.tagName === 'SELECT') {
				out[el.name] = asSent ? selectDefault(el) : el.value;
			} else {
				out[el.name] = asSent ? el.defaultValue : el.value;
			}
		}
		return out;
	}

	function same(a, b) {
		var ka = Object.keys(a), kb = Object.keys(b);
		if (ka.length !== kb.length)
			return false;
		for (var i = 0; i < ka.length; i++)
			if (a[ka[i]] !== b[ka[i]])
				return false;
		return true;
	}

	/* META: what the form carries about itself, not what was typed */
	var META = { version: 1, base: 1, conflicts: 1 };

	/* sameTyped compares only what a person types: a draft whose text
	 * the form already holds is nothing to restore, whatever version it
	 * was typed over. */
	function sameTyped(a, b) {
		var strip = function (o) {
			var r = {};
			Object.keys(o).forEach(function (k) {
				if (!META[k])
					r[k] = o[k];
			});
			return r;
		};
		return same(strip(a), strip(b));
	}

	var loaded = null;      /* the form as the server sent it */
	var lastSent = null;    /* JSON of the fields last stored */
	var stored = false;     /* a draft of ours is on the server */
	var submitting = false;
	var offering = false;   /* the restore question is open */
	var touched = false;    /* typed into since the last save */

	function dirty() {
		return loaded && !same(fields(), loaded);
	}

	function body(f) {
		var v = parseInt(f.version, 10);
		var o = { fields: f };
		if (v > 0)
			o.version = v;
		return JSON.stringify(o);
	}

	function request(method, data, keepalive) {
		var opts = {
			method: method, credentials: 'same-origin',
			headers: { 'X-CSRF-Token': csrfToken() }, keepalive: !!keepalive
		};
		if (data !== undefined) {
			opts.headers['Content-Type'] = 'application/json';
			opts.body = data;
		}
		return fetch(url, opts);
	}

	/* save stores the form when it changed since the last save; a form
	 * back to how it loaded drops the draft. */
	function save(keepalive) {
		if (submitting || offering || !loaded)
			return;
		/* reading a long form costs 15-40 ms: only after a change */
		if (!touched && !keepalive)
			return;
		touched = false;
		var f = fields();
		if (same(f, loaded)) {
			if (stored) {
				stored = false;
				lastSent = null;
				request('DELETE', undefined, keepalive).catch(function () {});
			}
			return;
		}
		var data = body(f);
		if (data === lastSent)
			return;
		/* a keepalive request may carry at most 64 KiB; a longer form
		 * is sent the usual way, which the browser may cut short when
		 * the page goes (the save every few seconds has most of it) */
		if (keepalive && data.length > 60000)
			keepalive = false;
		lastSent = data;
		/* a save that fails is tried again at the next tick */
		request('PUT', data, keepalive).then(function (r) {
			if (r.ok) {
				stored = true;
			} else {
				lastSent = null;
				touched = r.status !== 413 && r.status !== 400;
			}
		}).catch(function () {
			lastSent = null;
			touched = true;
		});
	}

	/* setField puts a draft's value into the input called name, making
	 * the row it belongs to when the form has none ("timeline[7].text"). */
	function setField(name, value) {
		var els = form.querySelectorAll('[name="' + name.replace(/"/g, '\\"') + '"]');
		if (!els.length) {
			var rm = /^([a-z]+)\[(\d+)\]\./.exec(name);
			if (rm && window.debrief && window.debrief.addRow)
				window.debrief.addRow(rm[1], parseInt(rm[2], 10));
			els = form.querySelectorAll('[name="' + name.replace(/"/g, '\\"') + '"]');
		}
		if (!els.length) {
			if (/^(version|base|conflicts)$/.test(name)) {
				var h = document.createElement('input');
				h.type = 'hidden';
				h.name = name;
				h.value = value;
				form.appendChild(h);
			}
			return;
		}
		for (var i = 0; i < els.length; i++) {
			var el = els[i];
			if (el.type === 'checkbox' || el.type === 'radio')
				el.checked = el.value === value;
			else
				el.value = value;
			el.dispatchEvent(new Event('input', { bubbles: true }));
		}
	}

	function restore(f) {
		/* boxes and choices the draft does not hold were not ticked */
		var els = form.elements;
		for (var i = 0; i < els.length; i++)
			if ((els[i].type === 'checkbox' || els[i].type === 'radio') &&
			    !Object.prototype.hasOwnProperty.call(f, els[i].name))
				els[i].checked = false;
		Object.keys(f).forEach(function (name) {
			if (!SKIP[name])
				setField(name, f[name]);
		});
	}

	function when(iso) {
		var d = new Date(iso);
		if (isNaN(d.getTime()))
			return '';
		var pad = function (n) { return n < 10 ? '0' + n : String(n); };
		return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) +
			' ' + pad(d.getHours()) + ':' + pad(d.getMinutes());
	}

	/* offer asks whether to restore draft d above the form. */
	function offer(d) {
		offering = true;
		var box = document.createElement('div');
		box.className = 'notice notice-draft';
		box.setAttribute('role', 'status');
		var p = document.createElement('p');
		var strong = document.createElement('strong');
		strong.textContent = 'You have unsaved changes';
		p.appendChild(strong);
		p.appendChild(document.createTextNode(
			' from ' + when(d.updated_at) + ' that are not in this form.'));
		box.appendChild(p);
		var actions = document.createElement('p');
		var yes = document.createElement('button');
		yes.type = 'button';
		yes.className = 'primary small';
		yes.id = 'draft-restore';
		yes.textContent = 'Restore them';
		var no = document.createElement('button');
		no.type = 'button';
		no.className = 'small';
		no.id = 'draft-discard';
		no.textContent = 'Throw them away';
		actions.appendChild(yes);
		actions.appendChild(document.createTextNode(' '));
		actions.appendChild(no);
		box.appendChild(actions);
		form.parentNode.insertBefore(box, form);
		yes.addEventListener('click', function () {
			restore(d.fields);
			box.parentNode.removeChild(box);
			offering = false;
			stored = true;
			lastSent = body(fields());
			touched = false;
		});
		no.addEventListener('click', function () {
			box.parentNode.removeChild(box);
			offering = false;
			stored = false;
			request('DELETE').catch(function () {});
		});
	}

	function init() {
		var now = fields();
		/* a form sent back (errors, a merge to finish) holds unsaved
		 * text from the start */
		loaded = form.hasAttribute('data-unsaved') ? {} : fields(true);
		/* the page says whether there is a draft to ask for */
		(form.hasAttribute('data-draft') ? request('GET') : Promise.resolve({ status: 404 })).then(function (r) {
			return r.status === 200 ? r.json() : null;
		}).then(function (d) {
			if (!d || !d.fields)
				return;
			stored = true;
			if (sameTyped(d.fields, now) || sameTyped(d.fields, fields()))
				return; /* the form already holds it */
			offer(d);
		}).catch(function () {});
		form.addEventListener('submit', function () {
			submitting = true;
		});
		var touch = function () { touched = true; };
		form.addEventListener('input', touch, true);
		form.addEventListener('change', touch, true);
		setInterval(function () { save(false); }, SAVE_EVERY_MS);
		window.addEventListener('pagehide', function () { save(true); });
		document.addEventListener('visibilitychange', function () {
			if (document.visibilityState === 'hidden')
				save(true);
		});
		window.addEventListener('beforeunload', function (ev) {
			if (submitting || !dirty())
				return;
			save(true);
			ev.preventDefault();
			ev.returnValue = '';
		});
	}

	if (document.readyState === 'loading')
		document.addEventListener('DOMContentLoaded', init);
	else
		init();
})();
