/* entry.js: one timeline entry edited in place on the review page. Each
 * entry's Edit link (editors only) opens the entry's own small form
 * (GET /reviews/{id}/timeline/{child}/edit, web/timeline_entry.c) inside
 * the table instead of on a page of its own; it posts to the same place.
 * A save shows the timeline as the server renders it now; a form sent back
 * (422 errors, 409 changed meanwhile) takes the form's place, with what
 * was typed. Escape or Cancel closes it unsaved; Ctrl+Enter saves.
 * Without this script the link opens the form's page. Loaded with defer,
 * from 'self'. */
(function () {
	'use strict';

	if (!window.fetch || !window.DOMParser || !document.querySelector)
		return;

	function parse(html) {
		return new DOMParser().parseFromString(html, 'text/html');
	}

	/* close puts the entry's row back and drops the form's row. */
	function close(editing, focusLink) {
		var row = editing.previousElementSibling;
		editing.parentNode.removeChild(editing);
		if (row) {
			row.hidden = false;
			var link = row.querySelector('a.entry-edit');
			if (link && focusLink)
				link.focus();
		}
	}

	/* place puts the form of page doc into the editing row; false when
	 * the page holds none (an error page: the caller goes there). */
	function place(editing, doc) {
		var form = doc.querySelector('form.entry-form');
		if (!form)
			return false;
		var cell = editing.firstElementChild;
		cell.textContent = '';
		var notices = doc.querySelectorAll('main .notice, main .error-summary');
		for (var i = 0; i < notices.length; i++)
			cell.appendChild(document.importNode(notices[i], true));
		form = document.importNode(form, true);
		cell.appendChild(form);
		if (window.debrief && window.debrief.preview)
			window.debrief.preview(form); /* preview.js */
		var first = form.querySelector('input:not([type=hidden]), textarea, select');
		if (first)
			first.focus();
		return true;
	}

	/* showTimeline swaps the page's timeline for the one in doc (the
	 * review page after a save) and brings entry id into view. */
	function showTimeline(doc, id) {
		var now = doc.getElementById('timeline'), old = document.getElementById('timeline');
		if (!now || !old)
			return false;
		old.parentNode.replaceChild(document.importNode(now, true), old);
		var row = document.getElementById('tl-' + id);
		if (row) {
			row.classList.add('entry-saved');
			var link = row.querySelector('a.entry-edit');
			if (link)
				link.focus({ preventScroll: true });
			if (row.scrollIntoView)
				row.scrollIntoView({ block: 'nearest' });
		}
		return true;
	}

	function submit(form, editing) {
		var button = form.querySelector('button[type=submit]');
		if (button)
			button.disabled = true;
		var body = new URLSearchParams(new FormData(form));
		fetch(form.action, {
			method: 'POST', body: body, credentials: 'same-origin',
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
		}).then(function (res) {
			return res.text().then(function (html) {
				return { res: res, doc: parse(html) };
			});
		}).then(function (r) {
			var id = (r.res.url.match(/#tl-(\d+)$/) || [])[1] ||
				form.getAttribute('data-entry');
			if (r.res.ok && r.res.redirected && showTimeline(r.doc, id))
				return;
			if ((r.res.status === 409 || r.res.status === 422) && place(editing, r.doc))
				return;
			/* anything else: the form's own page says what happened */
			form.submit();
		}).catch(function () {
			if (button)
				button.disabled = false;
			form.submit();
		});
	}

	function open(link) {
		var row = link.closest('tr');
		if (!row || row.hidden)
			return;
		var cols = row.children.length;
		fetch(link.href, { credentials: 'same-origin' }).then(function (res) {
			if (!res.ok)
				throw new Error(String(res.status));
			return res.text();
		}).then(function (html) {
			var editing = document.createElement('tr');
			editing.className = 'entry-editing';
			var cell = document.createElement('td');
			cell.colSpan = cols;
			editing.appendChild(cell);
			row.parentNode.insertBefore(editing, row.nextSibling);
			if (!place(editing, parse(html))) {
				editing.parentNode.removeChild(editing);
				window.location.href = link.href;
				return;
			}
			row.hidden = true;
		}).catch(function () {
			window.location.href = link.href;
		});
	}

	document.addEventListener('click', function (ev) {
		var t = ev.target;
		if (!t.closest || ev.button !== 0 || ev.ctrlKey || ev.metaKey || ev.shiftKey)
			return;
		var link = t.closest('#timeline a.entry-edit');
		if (link) {
			ev.preventDefault();
			open(link);
			return;
		}
		var cancel = t.closest('tr.entry-editing a.entry-cancel');
		if (cancel) {
			ev.preventDefault();
			close(cancel.closest('tr.entry-editing'), true);
		}
	});

	document.addEventListener('submit', function (ev) {
		var form = ev.target;
		var editing = form.closest && form.closest('tr.entry-editing');
		if (!editing || !form.matches('form.entry-form'))
			return;
		ev.preventDefault();
		submit(form, editing);
	});

	document.addEventListener('keydown', function (ev) {
		var editing = ev.target.closest && ev.target.closest('tr.entry-editing');
		if (!editing)
			return;
		if (ev.key === 'Escape') {
			ev.preventDefault();
			close(editing, true);
		} else if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) {
			ev.preventDefault();
			var form = editing.querySelector('form.entry-form');
			if (form)
				submit(form, editing);
		} else if (ev.key === 'Enter' && ev.target.tagName === 'INPUT' &&
			   !/^(checkbox|submit|button)$/.test(ev.target.type)) {
			/* Enter in a one-line field saves this one entry */
			ev.preventDefault();
			var f = editing.querySelector('form.entry-form');
			if (f)
				submit(f, editing);
		}
	});
})();
