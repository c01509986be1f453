/* app.js: progressive enhancement for debrief's pages. Everything works
 * without it; with it, times switch to UTC and back with one click, the
 * edit form gets "add" buttons for more rows (window.debrief.addRow), and
 * the chat page is worked from the keyboard (j/k move, x ticks, p adds the
 * ticked messages to the timeline) and by clicking a message's row.
 * Loaded with defer, from 'self' only (no inline script anywhere). */
(function () {
	'use strict';

	/* Times come from the server in the reader's zone (their setting,
	 * else the configuration's): <time datetime="...Z"><span class="tz"
	 * title="2026-11-20 10:04 UTC">2026-11-20 11:04 CET</span></time>.
	 * UTC is one click away: a button in the header, or a click on any
	 * time, shows every time of the page in UTC, and back. */
	function utcToggle() {
		var spans = document.querySelectorAll('time > span.tz');
		if (!spans.length)
			return;
		var utc = false;
		var nav = document.querySelector('.user-nav') || document.querySelector('footer.site p');
		var btn = document.createElement('button');
		btn.type = 'button';
		btn.className = 'link utc-toggle';
		btn.setAttribute('aria-pressed', 'false');
		btn.textContent = 'Show times in UTC';
		function flip() {
			utc = !utc;
			for (var i = 0; i < spans.length; i++) {
				var s = spans[i], shown = s.textContent;
				s.textContent = s.title;
				s.title = shown;
			}
			btn.textContent = utc ? 'Show times in my zone' : 'Show times in UTC';
			btn.setAttribute('aria-pressed', utc ? 'true' : 'false');
		}
		btn.addEventListener('click', flip);
		document.addEventListener('click', function (ev) {
			if (ev.target.closest && ev.target.closest('time > span.tz') &&
			    !ev.target.closest('a, button, label'))
				flip();
		});
		if (nav)
			nav.insertBefore(btn, nav.firstChild);
	}

	/* renumber rewrites a cloned row's names and ids from index from to
	 * index to: "timeline[4].at" and "f-timeline-4--at". */
	function renumber(row, kind, from, to) {
		var nameOld = kind + '[' + from + '].', nameNew = kind + '[' + to + '].';
		var idOld = kind + '-' + from + '--', idNew = kind + '-' + to + '--';
		var els = row.querySelectorAll('[name], [id], [for], [aria-describedby]');
		for (var i = 0; i < els.length; i++) {
			var el = els[i];
			['name', 'id', 'for', 'aria-describedby'].forEach(function (a) {
				var v = el.getAttribute(a);
				if (v === null)
					return;
				v = a === 'name' ? v.split(nameOld).join(nameNew)
					: v.split(idOld).join(idNew);
				el.setAttribute(a, v);
			});
		}
		row.setAttribute('data-index', String(to));
	}

	/* blankRow turns a clone into an empty new row. */
	function blankRow(row) {
		var drop = row.querySelectorAll('.field-error, .row-remove, input[type=hidden]');
		for (var i = 0; i < drop.length; i++)
			drop[i].parentNode.removeChild(drop[i]);
		var bad = row.querySelectorAll('.has-error, [aria-invalid]');
		for (i = 0; i < bad.length; i++) {
			bad[i].classList.remove('has-error');
			bad[i].removeAttribute('aria-invalid');
			bad[i].removeAttribute('aria-describedby');
		}
		row.classList.remove('has-error');
		row.classList.add('row-new');
		/* a copied preview (preview.js) starts closed and empty */
		var previews = row.querySelectorAll('.md-preview');
		for (i = 0; i < previews.length; i++) {
			previews[i].hidden = true;
			previews[i].textContent = '';
		}
		var toggles = row.querySelectorAll('.preview-toggle');
		for (i = 0; i < toggles.length; i++) {
			toggles[i].textContent = 'Preview';
			toggles[i].setAttribute('aria-expanded', 'false');
		}
		var inputs = row.querySelectorAll('input, textarea, select');
		for (i = 0; i < inputs.length; i++) {
			var el = inputs[i];
			if (el.type === 'checkbox')
				el.checked = false;
			else if (el.tagName === 'SELECT') {
				var opts = el.options, def = 0;
				for (var j = 0; j < opts.length; j++)
					if (opts[j].defaultSelected)
						def = j;
				el.selectedIndex = def;
			} else
				el.value = '';
		}
	}

	/* addRow appends a blank row to the list of kind ("timeline"), as
	 * index when given (a draft being restored names its rows), else
	 * after the highest; returns the row, or null when the list has no
	 * row to copy. */
	function addRow(kind, index) {
		var rows = document.querySelector('.rows[data-kind="' + kind + '"]');
		if (!rows)
			return null;
		var all = rows.querySelectorAll('.row');
		if (!all.length)
			return null;
		var news = rows.querySelectorAll('.row.row-new');
		var tmpl = news.length ? news[news.length - 1] : all[all.length - 1];
		var next = 0;
		for (var k = 0; k < all.length; k++)
			next = Math.max(next, parseInt(all[k].getAttribute('data-index'), 10) + 1);
		if (typeof index === 'number' && index >= 0)
			next = index;
		var row = tmpl.cloneNode(true);
		renumber(row, kind, tmpl.getAttribute('data-index'), next);
		blankRow(row);
		rows.appendChild(row);
		return row;
	}

	function addRowButtons() {
		var lists = document.querySelectorAll('.rows[data-kind]');
		for (var i = 0; i < lists.length; i++)
			(function (rows) {
				var kind = rows.getAttribute('data-kind');
				var label = (rows.getAttribute('data-label') || 'row').toLowerCase();
				var btn = document.createElement('button');
				btn.type = 'button';
				btn.className = 'add-row small';
				btn.textContent = '+ Add ' + label;
				btn.setAttribute('data-kind', kind);
				btn.addEventListener('click', function () {
					var row = addRow(kind);
					var first = row && row.querySelector('input:not([type=checkbox]), textarea');
					if (first)
						first.focus();
				});
				rows.parentNode.appendChild(btn);
			})(lists[i]);
	}

	/* Deleting can be undone, but ask once anyway. */
	function confirmDelete() {
		var forms = document.querySelectorAll('form.danger-zone');
		for (var i = 0; i < forms.length; i++)
			forms[i].addEventListener('submit', function (ev) {
				if (!window.confirm('Delete this review? It can be restored from "Deleted".'))
					ev.preventDefault();
			});
	}

	/* for the other scripts of the editor (draft.js, timeline.js) */
	window.debrief = window.debrief || {};
	window.debrief.addRow = addRow;

	/* The chat page (web/transcript.c): a click anywhere on a message's
	 * row ticks it, shift-click ticks the rows between; j and k move the
	 * current row, x (or space) ticks it, p adds the ticked messages to
	 * the timeline with the form's own button. */
	function chatKeys() {
		var table = document.querySelector('table.chat');
		if (!table)
			return;
		var rows = Array.prototype.slice.call(
			table.querySelectorAll('tbody tr[id^="m"]'));
		var button = document.querySelector('button[name=promote]');
		var current = -1, last = -1;

		function box(i) {
			return rows[i].querySelector('input[type=checkbox]');
		}
		function move(i) {
			if (i < 0 || i >= rows.length)
				return;
			if (current >= 0)
				rows[current].classList.remove('current');
			current = i;
			rows[i].classList.add('current');
			rows[i].focus();
		}
		rows.forEach(function (row, i) {
			row.tabIndex = -1;
			row.addEventListener('click', function (ev) {
				var t = ev.target;
				if (t.closest('a, input, button, label'))
					return;
				if (ev.shiftKey && last >= 0) {
					var on = !box(i).checked;
					for (var k = Math.min(last, i); k <= Math.max(last, i); k++)
						box(k).checked = on;
				} else {
					box(i).checked = !box(i).checked;
				}
				last = i;
				move(i);
			});
		});
		document.addEventListener('keydown', function (ev) {
			var t = ev.target;
			if (ev.ctrlKey || ev.metaKey || ev.altKey ||
			    (t.closest && t.closest('input:not([type=checkbox]), textarea, select')))
				return;
			if (ev.key === 'j') {
				move(current + 1 < rows.length ? current + 1 : current);
			} else if (ev.key === 'k') {
				move(current > 0 ? current - 1 : 0);
			} else if ((ev.key === 'x' || (ev.key === ' ' && current >= 0 &&
					t === rows[current])) && current >= 0) {
				box(current).checked = !box(current).checked;
				last = current;
			} else if (ev.key === 'p' && button &&
				   table.querySelector('input[type=checkbox]:checked')) {
				button.click();
			} else {
				return;
			}
			ev.preventDefault();
		});
	}

	function init() {
		utcToggle();
		addRowButtons();
		confirmDelete();
		chatKeys();
	}

	if (document.readyState === 'loading')
		document.addEventListener('DOMContentLoaded', init);
	else
		init();
})();
