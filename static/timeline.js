/* timeline.js: the keyboard in the review form.
 *  - Enter in a one-line field never sends the whole form: in a timeline
 *    entry it moves to the next entry's time, adding an entry after the
 *    last one; elsewhere it does nothing. In an entry's "what happened"
 *    Enter does the same and Shift+Enter starts a new line.
 *  - Ctrl+Enter (Cmd+Enter on a Mac) saves, from any field.
 *  - A time typed as "HH:MM" takes its date from the entry above (or the
 *    review's start), the day after when the clock is earlier than that
 *    time (00:10 after 23:30 is past midnight); "+5m" / "+1h" counts from
 *    the entry above. The
 *    full time is written into the field as soon as it is left, so what
 *    will be saved is what is shown. The server reads "HH:MM" the same way
 *    when JavaScript is off.
 *  - Pasting several lines that start with a time ("14:02 text",
 *    "[14:02] <alice> text", "2017-01-31 14:02 alice: text") into a
 *    timeline entry makes one entry per line, from that entry on: time,
 *    actor (a chat nick) and what happened.
 *  - "?" (outside a field) lists these shortcuts; Escape closes the list.
 *  - Just after Create the first entry's time has the focus.
 * Loaded with defer, from 'self'. */
(function () {
	'use strict';

	if (!document.querySelector)
		return;
	var form = document.querySelector('form.review-form');
	if (!form)
		return;

	var FULL = /^(\d{4}-\d{2}-\d{2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?/;
	var CLOCK = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/;
	var OFFSET = /^\+(\d+)\s*(m|min|h)$/i;

	function pad(n) {
		return n < 10 ? '0' + n : String(n);
	}

	function timelineRows() {
		return Array.prototype.slice.call(form.querySelectorAll('.rows[data-kind="timeline"] > .row'));
	}

	function atInput(row) {
		return row ? row.querySelector('input[name$=".at"]') : null;
	}

	/* reference is the full time of the nearest entry above row with
	 * one, else the review's start: [date, hours, minutes] or null. */
	function reference(row) {
		var rows = timelineRows();
		for (var i = rows.indexOf(row) - 1; i >= 0; i--) {
			var a = atInput(rows[i]), m = a && FULL.exec(a.value.trim());
			if (m)
				return m;
		}
		var start = form.querySelector('[name="started_at"]');
		var s = start && FULL.exec(start.value.trim());
		return s || null;
	}

	/* complete turns "14:20" or "+5m" in a timeline time into a full
	 * "YYYY-MM-DD HH:MM"; anything else is left as typed. */
	function complete(input) {
		var v = input.value.trim(), row = input.closest('.row');
		var m = CLOCK.exec(v), o = OFFSET.exec(v);
		if ((!m && !o) || !row)
			return;
		var ref = reference(row);
		if (!ref)
			return;
		var d = new Date(ref[1] + 'T' + pad(+ref[2]) + ':' + ref[3] + ':00Z');
		if (m) {
			if (+m[1] > 23 || +m[2] > 59 || (m[3] && +m[3] > 59))
				return;
			var day = new Date(ref[1] + 'T00:00:00Z').getTime();
			var at = day + ((+m[1] * 60 + +m[2]) * 60 + (m[3] ? +m[3] : 0)) * 1000;
			if (at < d.getTime())
				at += 86400000; /* past midnight */
			d = new Date(at);
		} else {
			var mins = +o[1] * (/^h$/i.test(o[2]) ? 60 : 1);
			d = new Date(d.getTime() + mins * 60000);
		}
		input.value = d.getUTCFullYear() + '-' + pad(d.getUTCMonth() + 1) + '-' +
			pad(d.getUTCDate()) + ' ' + pad(d.getUTCHours()) + ':' + pad(d.getUTCMinutes()) +
			(d.getUTCSeconds() ? ':' + pad(d.getUTCSeconds()) : '');
		input.dispatchEvent(new Event('input', { bubbles: true }));
	}

	function completeAll() {
		timelineRows().forEach(function (row) {
			var a = atInput(row);
			if (a)
				complete(a);
		});
	}

	/* nextEntry focuses the time of the entry after row, adding one
	 * when row is the last. */
	function nextEntry(row) {
		var rows = timelineRows(), i = rows.indexOf(row), next = rows[i + 1];
		if (!next && window.debrief && window.debrief.addRow)
			next = window.debrief.addRow('timeline');
		var a = atInput(next);
		if (a)
			a.focus();
	}

	function oneLine(el) {
		return el.tagName === 'INPUT' &&
			!/^(checkbox|radio|submit|button|reset|file|image|hidden)$/.test(el.type);
	}

	form.addEventListener('keydown', function (ev) {
		if (ev.key !== 'Enter' || ev.isComposing)
			return;
		var el = ev.target;
		if (ev.ctrlKey || ev.metaKey) {
			ev.preventDefault();
			completeAll();
			if (form.requestSubmit)
				form.requestSubmit();
			else
				form.submit();
			return;
		}
		var row = el.closest('.rows[data-kind="timeline"] > .row');
		var entryText = row && el.tagName === 'TEXTAREA' && /\.text$/.test(el.name);
		if ((!oneLine(el) && !entryText) || ev.altKey || ev.shiftKey)
			return;
		ev.preventDefault();
		if (row) {
			if (/\.at$/.test(el.name))
				complete(el);
			nextEntry(row);
		}
	});

	form.addEventListener('change', function (ev) {
		var el = ev.target;
		if (el.name && /^timeline\[\d+\]\.at$/.test(el.name))
			complete(el);
	});

	/* A pasted line: optional [ ], a time (full or clock), optional
	 * "<nick>" or "nick:" and the text. */
	var LINE = /^\s*\[?((?:\d{4}-\d{2}-\d{2}[ T])?\d{1,2}:\d{2}(?::\d{2})?)\]?\s+(?:<([^>\s]{1,64})>\s*|([A-Za-z0-9._-]{1,64}):\s+)?(.*\S)\s*$/;

	function parseLines(text) {
		var out = [], lines = text.split(/\r?\n/);
		for (var i = 0; i < lines.length; i++) {
			if (!lines[i].trim())
				continue;
			var m = LINE.exec(lines[i]);
			if (!m)
				return null; /* not a block of timed lines */
			out.push({ at: m[1].replace('T', ' '), actor: m[2] || m[3] || '', text: m[4] });
		}
		return out.length >= 2 ? out : null;
	}

	function setValue(row, suffix, value) {
		var el = row.querySelector('[name$="' + suffix + '"]');
		if (!el)
			return null;
		el.value = value;
		el.dispatchEvent(new Event('input', { bubbles: true }));
		return el;
	}

	/* pasteLines fills the entry of row and the ones after it (adding
	 * entries as needed) with one pasted line each. */
	function pasteLines(row, lines) {
		var rows = timelineRows(), i = rows.indexOf(row);
		lines.forEach(function (l, k) {
			var r = rows[i + k];
			if (!r && window.debrief && window.debrief.addRow)
				r = window.debrief.addRow('timeline');
			if (!r)
				return;
			var at = setValue(r, '.at', l.at);
			if (at)
				complete(at);
			if (l.actor) {
				setValue(r, '.actor', l.actor);
				setValue(r, '.kind', 'chat');
			}
			setValue(r, '.text', l.text);
			rows = timelineRows();
		});
		var next = rows[i + lines.length];
		var a = atInput(next) || atInput(rows[rows.length - 1]);
		if (a)
			a.focus();
	}

	form.addEventListener('paste', function (ev) {
		var el = ev.target;
		var row = el.closest && el.closest('.rows[data-kind="timeline"] > .row');
		if (!row || !ev.clipboardData || !/\.(at|text|actor)$/.test(el.name || ''))
			return;
		var lines = parseLines(ev.clipboardData.getData('text/plain') || '');
		if (!lines)
			return;
		ev.preventDefault();
		pasteLines(row, lines);
	});

	form.addEventListener('submit', completeAll);

	var SHORTCUTS = [
		['Ctrl+Enter', 'Save (Cmd+Enter on a Mac)'],
		['Enter', 'In a timeline entry: go to the next entry, adding one after the last; elsewhere in a one-line field: nothing'],
		['Shift+Enter', 'A new line in an entry\u2019s \u201cWhat happened\u201d'],
		['14:20', 'A timeline time on the date of the entry above (or the review\u2019s start)'],
		['+5m, +1h', 'A timeline time counted from the entry above'],
		['Paste', 'Lines starting with a time, into a timeline entry: one entry per line'],
		['?', 'This list; Escape closes it'],
	];
	var overlay = null;

	function toggleShortcuts() {
		if (overlay) {
			overlay.parentNode.removeChild(overlay);
			overlay = null;
			return;
		}
		overlay = document.createElement('div');
		overlay.className = 'shortcuts';
		overlay.setAttribute('role', 'dialog');
		overlay.setAttribute('aria-label', 'Keyboard shortcuts');
		var h = document.createElement('h2');
		h.textContent = 'Keyboard shortcuts';
		overlay.appendChild(h);
		var dl = document.createElement('dl');
		SHORTCUTS.forEach(function (s) {
			var dt = document.createElement('dt'), kbd = document.createElement('kbd');
			kbd.textContent = s[0];
			dt.appendChild(kbd);
			var dd = document.createElement('dd');
			dd.textContent = s[1];
			dl.appendChild(dt);
			dl.appendChild(dd);
		});
		overlay.appendChild(dl);
		var close = document.createElement('button');
		close.type = 'button';
		close.className = 'small';
		close.textContent = 'Close';
		close.addEventListener('click', toggleShortcuts);
		overlay.appendChild(close);
		document.body.appendChild(overlay);
		close.focus();
	}

	document.addEventListener('keydown', function (ev) {
		var t = ev.target;
		var typing = t && (t.tagName === 'INPUT' || t.tagName === 'TEXTAREA' ||
			t.tagName === 'SELECT' || t.isContentEditable);
		if (ev.key === 'Escape' && overlay) {
			toggleShortcuts();
		} else if (ev.key === '?' && !typing && !ev.ctrlKey && !ev.metaKey && !ev.altKey) {
			ev.preventDefault();
			toggleShortcuts();
		}
	});

	/* After Create the page opens at #created, just above the timeline
	 * (review_save.c): the first entry's time takes the keys, and the
	 * page stays where the browser put it. The browser's own move to the
	 * fragment takes the focus away, so this comes after it. */
	function focusAfterCreate() {
		var first = atInput(timelineRows()[0]);
		if (first && document.activeElement === document.body)
			first.focus({ preventScroll: true });
	}
	if (location.hash === '#created' && document.getElementById('created')) {
		if (document.readyState === 'complete')
			setTimeout(focusAfterCreate, 0);
		else
			window.addEventListener('load', function () {
				setTimeout(focusAfterCreate, 0);
			});
	}

	var actions = form.querySelector('.form-actions');
	if (actions) {
		var hint = document.createElement('span');
		hint.className = 'shortcut-hint';
		hint.textContent = 'Ctrl+Enter saves \u00b7 ? lists the shortcuts';
		actions.appendChild(hint);
	}
})();
