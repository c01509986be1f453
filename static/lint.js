/* lint.js: the language coach in the review form. Every prose field
 * (textarea[data-lint] for markdown, input[data-lint] for one-line fields
 * such as titles and contributing factors) is sent to POST /api/v1/lint a
 * moment after the person stops typing; the findings are highlighted
 * behind the text (a backdrop of <mark> spans under a transparent
 * textarea or input), listed under the
 * field with buttons that select the words, explained on hover and when
 * the caret is in them, and counted per field and per section. Each
 * finding links to its category's page of the guide (GET /coach/NAME)
 * and, on the edit page, has a "Not blame here" button that stores an
 * allow entry with the review (POST /api/v1/reviews/{id}/lint-allows);
 * the review's entries (the form's data-lint-allow) go with every lint
 * request. The coach only reads: it never changes what people type.
 *
 * Without this script the server lists the findings above the form after a
 * save. Once the coach has answered, the form carries coach=live, so that
 * a save goes straight to the review page, and the server's list (which
 * goes stale as people type) is hidden. Loaded with defer, from 'self'. */
(function () {
	'use strict';

	var API = '/api/v1/lint';
	var DEBOUNCE_MS = 400;
	var MAX_INFLIGHT = 3;

	var FIELDS = 'textarea[data-lint], input[data-lint]';

	var GUIDE = '/coach/'; /* + category: why the coach flags it */

	var fields = [];      /* one state object per field */
	var review = 0;       /* the review being edited; 0: a new one */
	var allows = [];      /* its allow entries: [{phrase, category}] */
	var queue = [];       /* fields waiting for a request */
	var inflight = 0;
	var live = false;     /* the API answered once */
	var tip = null;       /* the one tooltip element */
	var announcer = null; /* polite live region for screen readers */
	/* one observer for all fields: their backdrops follow their size */
	var resizes = window.ResizeObserver ? new ResizeObserver(function (es) {
		syncLayout(es.map(function (e) { return e.target._lint; })
			.filter(Boolean));
	}) : null;

	if (!window.fetch || !window.JSON || !document.querySelector)
		return;

	function el(tag, cls, text) {
		var e = document.createElement(tag);
		if (cls)
			e.className = cls;
		if (text !== undefined)
			e.textContent = text;
		return e;
	}

	function plural(n) {
		return n + (n === 1 ? ' wording note' : ' wording notes');
	}

	function label(category) {
		var s = String(category || '').replace(/-/g, ' ');
		return s.charAt(0).toUpperCase() + s.slice(1);
	}

	/* toIndices maps UTF-8 byte offsets (the API's) to indices into the
	 * JavaScript string (UTF-16 code units). An offset inside a character
	 * maps to the end of that character. */
	function toIndices(text, offsets) {
		var want = offsets.slice().sort(function (a, b) { return a - b; });
		var map = {}, bytes = 0, i = 0, k = 0;
		while (k < want.length) {
			while (k < want.length && want[k] <= bytes)
				map[want[k++]] = i;
			if (i >= text.length)
				break;
			var c = text.charCodeAt(i);
			if (c < 0x80) {
				bytes += 1; i += 1;
			} else if (c < 0x800) {
				bytes += 2; i += 1;
			} else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length &&
				text.charCodeAt(i + 1) >= 0xdc00 && text.charCodeAt(i + 1) <= 0xdfff) {
				bytes += 4; i += 2;
			} else {
				bytes += 3; i += 1;
			}
		}
		for (; k < want.length; k++)
			map[want[k]] = text.length;
		return map;
	}

	/* Copied from the textarea to the backdrop, so that the text lays out
	 * the same and a <mark> sits exactly under its words. */
	var MIRROR = ['fontFamily', 'fontSize', 'fontWeight', 'fontStyle',
		'fontVariant', 'fontFeatureSettings', 'fontKerning', 'lineHeight',
		'letterSpacing', 'wordSpacing', 'textIndent', 'textTransform',
		'tabSize', 'paddingTop', 'paddingRight', 'paddingBottom',
		'paddingLeft', 'borderTopWidth', 'borderRightWidth',
		'borderBottomWidth', 'borderLeftWidth', 'whiteSpace', 'overflowWrap',
		'wordBreak'];

	/* measure reads what the backdrop of st needs (no writes), place
	 * writes it (no reads): syncLayout of many fields measures them all
	 * first, so that the page is laid out once, not once per field. */
	function measure(st) {
		var cs = window.getComputedStyle(st.ta), m = { css: {} };
		for (var i = 0; i < MIRROR.length; i++)
			m.css[MIRROR[i]] = cs[MIRROR[i]];
		/* an input: one line that scrolls sideways, centred in its
		 * content box */
		m.h = st.ta.clientHeight - parseFloat(cs.paddingTop) -
			parseFloat(cs.paddingBottom);
		/* the textarea's own width less its scroll bar */
		m.w = st.ta.clientWidth - parseFloat(cs.paddingLeft) -
			parseFloat(cs.paddingRight);
		m.left = st.ta.scrollLeft;
		m.top = st.ta.scrollTop;
		return m;
	}

	function place(st, m) {
		var ls = st.layer.style;
		for (var i = 0; i < MIRROR.length; i++)
			ls[MIRROR[i]] = m.css[MIRROR[i]];
		if (st.oneLine) {
			ls.whiteSpace = 'pre';
			ls.overflowWrap = 'normal';
			ls.wordBreak = 'normal';
			ls.lineHeight = Math.max(m.h, 0) + 'px';
			ls.height = Math.max(m.h, 0) + 'px';
		}
		ls.width = Math.max(m.w, 0) + 'px';
		ls.transform = 'translate(' + (-m.left) + 'px, ' + (-m.top) + 'px)';
	}

	function syncLayout(list) {
		var ms = list.map(measure);
		list.forEach(function (st, i) { place(st, ms[i]); });
	}

	function syncScroll(st) {
		st.layer.style.transform = 'translate(' + (-st.ta.scrollLeft) +
			'px, ' + (-st.ta.scrollTop) + 'px)';
	}

	/* render draws st.text with one <mark> per group of overlapping
	 * findings (the same words may be both hindsight and a
	 * counterfactual). st.findings are sorted by start. Text goes in as
	 * text nodes only, never as HTML. */
	function render(st, noScroll) {
		var text = st.text, layer = st.layer, pos = 0;
		layer.textContent = '';
		st.groups = [];
		st.findings.forEach(function (f, n) {
			if (f.s < 0 || f.e <= f.s || f.e > text.length)
				return;
			var g = st.groups[st.groups.length - 1];
			if (g && f.s < g.e) {
				g.e = Math.max(g.e, f.e);
				g.members.push(n);
				g.hint = g.hint && f.hint;
			} else {
				st.groups.push({ s: f.s, e: f.e, members: [n], hint: f.hint });
			}
		});
		st.groups.forEach(function (g) {
			layer.appendChild(document.createTextNode(text.slice(pos, g.s)));
			/* a hint (a less precise category) is drawn more quietly */
			g.mark = el('mark', g.hint ? 'lint-mark lint-hint' : 'lint-mark',
				text.slice(g.s, g.e));
			layer.appendChild(g.mark);
			pos = g.e;
		});
		/* a final newline needs something after it to take up a line */
		layer.appendChild(document.createTextNode(text.slice(pos) + ' '));
		if (!noScroll)
			syncScroll(st);
	}

	function groupOf(st, n) {
		for (var i = 0; i < st.groups.length; i++)
			if (st.groups[i].members.indexOf(n) >= 0)
				return st.groups[i];
		return null;
	}

	function groupAt(st, pos) {
		for (var i = 0; i < st.groups.length; i++)
			if (pos >= st.groups[i].s && pos <= st.groups[i].e)
				return st.groups[i];
		return null;
	}

	function describe(ta, id, on) {
		var ids = (ta.getAttribute('aria-describedby') || '').split(/\s+/)
			.filter(function (x) { return x && x.indexOf('lint-') !== 0; });
		if (on)
			ids.push(id);
		if (ids.length)
			ta.setAttribute('aria-describedby', ids.join(' '));
		else
			ta.removeAttribute('aria-describedby');
	}

	function selectFinding(st, n) {
		var f = st.findings[n];
		if (!f)
			return;
		st.ta.focus();
		st.ta.setSelectionRange(f.s, f.e);
		/* bring the words into view inside a scrolled textarea */
		var g = groupOf(st, n);
		if (g && st.oneLine) {
			st.ta.scrollLeft = Math.max(0, g.mark.offsetLeft -
				st.ta.clientWidth / 2);
			syncScroll(st);
		} else if (g) {
			var top = g.mark.offsetTop - st.ta.clientHeight / 2;
			st.ta.scrollTop = Math.max(0, top);
			syncScroll(st);
		}
		caret(st);
	}

	/* renderNotes lists the findings under the field and updates the
	 * counts of the field and of its section. */
	function renderNotes(st) {
		var n = st.findings.length, list = st.list;
		list.textContent = '';
		st.items = [];
		st.findings.forEach(function (f, i) {
			var li = el('li', f.hint ? 'lint-note lint-hint' : 'lint-note');
			var go = el('button', 'lint-go');
			go.type = 'button';
			go.appendChild(el('q', null, st.text.slice(f.s, f.e)));
			go.title = f.message + ' Try: ' + f.suggestion;
			go.setAttribute('aria-label', 'Select \u201c' +
				st.text.slice(f.s, f.e) + '\u201d in ' + st.name);
			go.addEventListener('click', function () { selectFinding(st, i); });
			li.appendChild(go);
			li.appendChild(document.createTextNode(' '));
			li.appendChild(el('span', 'badge coach-cat', label(f.category)));
			if (f.hint)
				li.appendChild(el('span', 'coach-sev', 'hint'));
			/* the links before the message: it opens (focus-within)
			 * when they are pressed and must not move them */
			var why = el('a', 'coach-why', 'Why?');
			why.href = GUIDE + encodeURIComponent(f.category);
			why.target = '_blank';
			why.rel = 'noopener';
			why.setAttribute('aria-label', 'Why the coach flags ' +
				label(f.category) + ' (opens the guide)');
			li.appendChild(document.createTextNode(' '));
			li.appendChild(why);
			if (review) {
				var ok = el('button', 'lint-allow', 'Not blame here');
				ok.type = 'button';
				ok.title = 'Fine in this context: the review remembers it ' +
					'and the coach stops flagging these words as ' +
					label(f.category);
				ok.addEventListener('click', function () {
					allowFinding(st, f, ok);
				});
				li.appendChild(document.createTextNode(' '));
				li.appendChild(ok);
			}
			li.appendChild(el('span', 'coach-msg', f.message));
			var t = el('span', 'coach-try');
			t.appendChild(el('span', 'label', 'Try'));
			t.appendChild(document.createTextNode(' ' + f.suggestion));
			li.appendChild(t);
			list.appendChild(li);
			st.items[i] = li;
		});
		st.notes.hidden = n === 0;
		st.head.textContent = 'Language coach \u00b7 ' + plural(n);
		describe(st.ta, st.head.id, n > 0);
		st.count.textContent = plural(n);
		st.count.hidden = n === 0;
		if (n !== st.announced && document.activeElement === st.ta) {
			say(n ? st.name + ': ' + plural(n) : st.name + ': no wording notes');
		}
		st.announced = n;
		sectionCounts(st);
	}

	/* sectionCounts updates the counts of the sections around field
	 * only (of every section without it). */
	function sectionCounts(only) {
		var sets = document.querySelectorAll('fieldset');
		for (var i = 0; i < sets.length; i++) {
			var fs = sets[i], total = 0, known = false;
			if (only && !fs.contains(only.ta))
				continue;
			fields.forEach(function (st) {
				if (st.ta.isConnected && fs.contains(st.ta)) {
					total += st.findings.length;
					known = true;
				}
			});
			var legend = fs.querySelector('legend');
			if (!known || !legend)
				continue;
			var c = legend.querySelector('.lint-count');
			if (!c) {
				c = el('span', 'lint-count lint-count-section');
				c.setAttribute('aria-hidden', 'true');
				legend.appendChild(c);
			}
			c.textContent = plural(total);
			c.hidden = total === 0;
		}
	}

	function say(msg) {
		if (!announcer)
			return;
		announcer.textContent = '';
		window.setTimeout(function () { announcer.textContent = msg; }, 50);
	}

	/* Tooltip: message and suggestion of the findings of group g, under
	 * their words. */
	function showTip(st, g) {
		if (!g || !g.mark) {
			hideTip();
			return;
		}
		tip.textContent = '';
		g.members.forEach(function (n) {
			var f = st.findings[n], part = el('div', 'lint-tip-part');
			part.appendChild(el('span', 'badge coach-cat', label(f.category)));
			part.appendChild(el('span', 'coach-msg', f.message));
			var t = el('span', 'coach-try');
			t.appendChild(el('span', 'label', 'Try'));
			t.appendChild(document.createTextNode(' ' + f.suggestion));
			part.appendChild(t);
			tip.appendChild(part);
		});
		tip.hidden = false;
		var m = g.mark, r = m.getClientRects()[0] || m.getBoundingClientRect();
		var box = st.ta.getBoundingClientRect();
		var top = r.bottom;
		if (r.bottom < box.top || r.top > box.bottom)
			top = box.bottom; /* scrolled out of view */
		var left = Math.min(Math.max(r.left, 8),
			document.documentElement.clientWidth - tip.offsetWidth - 8);
		tip.style.top = (top + window.scrollY + 6) + 'px';
		tip.style.left = (Math.max(left, 8) + window.scrollX) + 'px';
		st.groups.forEach(function (x) {
			x.mark.classList.toggle('lint-active', x === g);
		});
		st.items.forEach(function (x, i) {
			x.classList.toggle('lint-active', g.members.indexOf(i) >= 0);
		});
		tip.owner = st;
		tip.group = g;
	}

	function hideTip() {
		if (!tip || tip.hidden)
			return;
		var st = tip.owner;
		tip.hidden = true;
		tip.owner = null;
		if (st) {
			st.groups.forEach(function (x) { x.mark.classList.remove('lint-active'); });
			st.items.forEach(function (x) { x.classList.remove('lint-active'); });
		}
	}

	/* caret shows the tooltip while the caret is in a finding and says
	 * it once to screen readers. */
	function caret(st) {
		if (st.oneLine)
			syncScroll(st); /* inputs scroll with the caret */
		if (st.stale)
			return;
		var g = groupAt(st, st.ta.selectionStart);
		if (!g) {
			if (tip.owner === st)
				hideTip();
			st.spoken = '';
			return;
		}
		showTip(st, g);
		if (st.spoken !== g.s + ':' + g.e) {
			say(g.members.map(function (n) {
				var f = st.findings[n];
				return label(f.category) + ': ' + f.message + ' Try: ' + f.suggestion;
			}).join(' '));
			st.spoken = g.s + ':' + g.e;
		}
	}

	function hover(st, ev) {
		for (var i = 0; i < st.groups.length; i++) {
			var g = st.groups[i], rs = g.mark.getClientRects();
			for (var k = 0; k < rs.length; k++) {
				var r = rs[k];
				if (ev.clientX >= r.left && ev.clientX <= r.right &&
					ev.clientY >= r.top && ev.clientY <= r.bottom) {
					st.ta.classList.add('lint-over');
					if (tip.owner !== st || tip.group !== g)
						showTip(st, g);
					return;
				}
			}
		}
		st.ta.classList.remove('lint-over');
		if (tip.owner === st)
			unhover(st);
	}

	/* unhover: the pointer left the words; the tooltip stays only while
	 * the caret is in a finding. */
	function unhover(st) {
		hideTip();
		if (document.activeElement === st.ta)
			caret(st);
	}

	/* shift keeps the marks in place while typing, until the next answer:
	 * findings before the edit stay, those after it move with the text,
	 * those it touched go. */
	function shift(st, next) {
		var prev = st.text, p = 0, q = 0;
		while (p < prev.length && p < next.length && prev[p] === next[p])
			p++;
		while (q < prev.length - p && q < next.length - p &&
			prev[prev.length - 1 - q] === next[next.length - 1 - q])
			q++;
		var delta = next.length - prev.length, cut = prev.length - q;
		st.findings = st.findings.filter(function (f) {
			return f.e <= p || f.s >= cut;
		}).map(function (f) {
			if (f.s < cut)
				return f;
			var g = Object.assign({}, f);
			g.s += delta;
			g.e += delta;
			return g;
		});
		st.text = next;
	}

	function pump() {
		while (inflight < MAX_INFLIGHT && queue.length) {
			var st = queue.shift();
			st.queued = false;
			send(st);
		}
	}

	function schedule(st, now) {
		window.clearTimeout(st.timer);
		st.timer = window.setTimeout(function () {
			if (!st.queued) {
				st.queued = true;
				queue.push(st);
			}
			pump();
		}, now ? 0 : DEBOUNCE_MS);
	}

	function goneLive() {
		if (live)
			return;
		live = true;
		var forms = document.querySelectorAll('form.review-form');
		for (var i = 0; i < forms.length; i++) {
			if (forms[i].querySelector('input[name=coach]'))
				continue;
			var h = document.createElement('input');
			h.type = 'hidden';
			h.name = 'coach';
			h.value = 'live';
			forms[i].appendChild(h);
		}
		var stale = document.querySelectorAll('.coach-static');
		for (i = 0; i < stale.length; i++) {
			stale[i].hidden = true;
			/* the notice around it goes too unless it says more
			 * ("Saved."): no empty bordered box above the form */
			var box = stale[i].closest('.notice-coach');
			if (box && !box.querySelector('.coach-saved'))
				box.hidden = true;
		}
	}

	/* csrfToken is the page's CSRF token (<meta name="csrf-token">):
	 * every POST from a page sends it as X-CSRF-Token. */
	function csrfToken() {
		var m = document.querySelector('meta[name="csrf-token"]');
		return m ? m.getAttribute('content') || '' : '';
	}

	/* allowFinding stores "not blame here" for finding f of field st: an
	 * allow entry of the review (POST /api/v1/reviews/{id}/lint-allows),
	 * which the coach then honours in every field. */
	function allowFinding(st, f, btn) {
		/* one line: the coach matches any white space between words */
		var phrase = st.text.slice(f.s, f.e).replace(/\s+/g, ' ').trim();
		btn.disabled = true;
		fetch('/api/v1/reviews/' + review + '/lint-allows', {
			method: 'POST',
			credentials: 'same-origin',
			headers: {
				'Content-Type': 'application/json',
				'X-CSRF-Token': csrfToken()
			},
			body: JSON.stringify({ phrase: phrase, category: f.category })
		}).then(function (r) {
			return r.json().catch(function () { return {}; }).then(
				function (j) { return { ok: r.ok, j: j }; });
		}).then(function (a) {
			if (!a.ok)
				throw new Error((a.j && a.j.error && a.j.error.message) ||
					'not saved');
			allows.push({ phrase: phrase, category: f.category });
			say('\u201c' + phrase + '\u201d is allowed as ' +
				label(f.category) + ' in this review');
			fields.forEach(function (x) { schedule(x, true); });
		}).catch(function (e) {
			btn.disabled = false;
			var li = btn.parentNode, m = li.querySelector('.lint-allow-error');
			if (!m) {
				m = el('span', 'lint-allow-error');
				m.setAttribute('role', 'alert');
				li.appendChild(m);
			}
			m.textContent = 'Not saved: ' + e.message;
		});
	}

	/* unallow removes allow entry li (the list above the form) of the
	 * review, and the coach flags those words again. */
	function unallow(li, btn) {
		var id = li.getAttribute('data-allow-id');
		var phrase = li.querySelector('q').textContent;
		var category = li.getAttribute('data-allow-category');
		btn.disabled = true;
		fetch('/api/v1/reviews/' + review + '/lint-allows/' + id, {
			method: 'DELETE',
			credentials: 'same-origin',
			headers: { 'X-CSRF-Token': csrfToken() }
		}).then(function (r) {
			if (!r.ok && r.status !== 404)
				throw new Error('answered ' + r.status);
			allows = allows.filter(function (x) {
				return x.category !== category ||
					x.phrase.toLowerCase() !== phrase.toLowerCase();
			});
			li.parentNode.removeChild(li);
			say('\u201c' + phrase + '\u201d is checked again');
			fields.forEach(function (x) { schedule(x, true); });
		}).catch(function (e) {
			btn.disabled = false;
			btn.textContent = 'Remove (failed: ' + e.message + ')';
		});
	}

	function send(st) {
		var text = st.ta.value;
		if (!text.trim()) {
			apply(st, text, []);
			return;
		}
		var seq = ++st.seq;
		inflight++;
		fetch(API, {
			method: 'POST',
			credentials: 'same-origin',
			headers: {
				'Content-Type': 'application/json',
				'X-CSRF-Token': csrfToken()
			},
			body: JSON.stringify(allows.length ?
				{ text: text, allow: allows } : { text: text })
		}).then(function (r) {
			if (!r.ok)
				throw new Error('lint answered ' + r.status);
			return r.json();
		}).then(function (j) {
			if (seq !== st.seq)
				return;
			goneLive();
			var raw = (j && j.findings) || [], offs = [];
			raw.forEach(function (f) { offs.push(f.start, f.end); });
			var map = toIndices(text, offs);
			apply(st, text, raw.map(function (f) {
				return {
					s: map[f.start], e: map[f.end], category: f.category,
					hint: f.severity === 'hint',
					message: f.message, suggestion: f.suggestion
				};
			}));
		}).catch(function () {
			/* the coach is a help, not a gate: stay quiet */
			if (seq === st.seq)
				apply(st, text, []);
		}).then(function () {
			inflight--;
			pump();
		});
	}

	/* apply shows the findings for text, unless the person typed on
	 * meanwhile (the next answer will do). */
	function apply(st, text, findings) {
		if (st.ta.value !== text)
			return;
		st.text = text;
		st.findings = findings.sort(function (a, b) {
			return a.s - b.s || a.e - b.e;
		});
		st.stale = false;
		if (tip.owner === st)
			hideTip();
		render(st);
		renderNotes(st);
		if (document.activeElement === st.ta)
			caret(st);
	}

	/* build wraps one textarea (DOM writes only, no layout reads). A row
	 * cloned by app.js ("add" button) arrives with a copy of another
	 * field's coach parts: they are dropped and made anew. */
	function build(ta) {
		var field = ta.closest('.field') || ta.parentNode;
		var old = field.querySelectorAll('.lint-notes, label .lint-count');
		for (var i = 0; i < old.length; i++)
			old[i].parentNode.removeChild(old[i]);
		var wrap = ta.parentNode;
		var backdrop, layer;
		if (wrap.classList.contains('lint-wrap')) {
			backdrop = wrap.querySelector('.lint-backdrop');
			layer = backdrop.querySelector('.lint-layer');
		} else {
			wrap = el('div', 'lint-wrap');
			backdrop = el('div', 'lint-backdrop');
			backdrop.setAttribute('aria-hidden', 'true');
			layer = el('div', 'lint-layer');
			backdrop.appendChild(layer);
			ta.parentNode.insertBefore(wrap, ta);
			wrap.appendChild(backdrop);
			wrap.appendChild(ta);
		}
		var lab = field.querySelector('label[for="' + ta.id + '"]');
		var name = lab ? lab.textContent.replace(/\s*\*\s*$/, '') : ta.name;
		var count = el('span', 'lint-count');
		count.setAttribute('aria-hidden', 'true');
		count.hidden = true;
		if (lab)
			lab.appendChild(count);
		var notes = el('div', 'lint-notes');
		notes.hidden = true;
		var head = el('p', 'lint-notes-head');
		head.id = 'lint-' + ta.id;
		var list = el('ul', 'lint-list');
		notes.appendChild(head);
		notes.appendChild(list);
		/* under the textarea, before its help line and error */
		wrap.parentNode.insertBefore(notes, wrap.nextSibling);
		describe(ta, null, false);

		var st = {
			ta: ta, layer: layer, notes: notes, head: head, list: list,
			count: count, name: name, text: ta.value, findings: [],
			groups: [], items: [], seq: 0, timer: 0, queued: false,
			stale: false, announced: 0, spoken: '',
			oneLine: ta.tagName === 'INPUT'
		};
		ta._lint = st;
		fields.push(st);

		ta.addEventListener('input', function () {
			shift(st, ta.value);
			st.stale = true;
			if (tip.owner === st)
				hideTip();
			render(st);
			schedule(st, false);
		});
		ta.addEventListener('scroll', function () {
			syncScroll(st);
			if (tip.owner === st)
				showTip(st, tip.group); /* follow the words */
		});
		['keyup', 'click', 'focus', 'select'].forEach(function (t) {
			ta.addEventListener(t, function () { caret(st); });
		});
		ta.addEventListener('blur', function () {
			if (tip.owner === st)
				hideTip();
		});
		ta.addEventListener('mousemove', function (ev) { hover(st, ev); });
		ta.addEventListener('mouseleave', function () {
			ta.classList.remove('lint-over');
			if (tip.owner === st)
				unhover(st);
		});
		if (resizes)
			resizes.observe(ta);
		return st;
	}

	/* setup wraps the fields tas that are not yet: it builds them all,
	 * then measures them all, then draws them all (one layout for the
	 * lot), and asks the API about those with text. */
	function setup(tas) {
		var list = [];
		for (var i = 0; i < tas.length; i++)
			if (!tas[i]._lint)
				list.push(build(tas[i]));
		syncLayout(list);
		list.forEach(function (st) {
			render(st, true);
			if (st.ta.value.trim())
				schedule(st, true);
		});
		if (list.length)
			sectionCounts();
		return list;
	}

	/* Fields are set up lazily, so that opening a long review costs the
	 * same as a short one: a field when it is first focused or typed in,
	 * and those with text (which may have findings to show) in idle
	 * time, in document order, a few at a time. */
	var pending = [];
	var idleQueued = false;

	function idle(fn) {
		if (window.requestIdleCallback)
			window.requestIdleCallback(fn, { timeout: 2000 });
		else
			window.setTimeout(function () {
				fn({ timeRemaining: function () { return 8; }, didTimeout: false });
			}, 1);
	}

	function drain(deadline) {
		idleQueued = false;
		do {
			var batch = [];
			while (pending.length && batch.length < 10) {
				var ta = pending.shift();
				if (!ta._lint && ta.isConnected)
					batch.push(ta);
			}
			setup(batch);
		} while (pending.length && (deadline.timeRemaining() > 4));
		if (pending.length)
			later();
	}

	function later() {
		if (idleQueued)
			return;
		idleQueued = true;
		idle(drain);
	}

	/* now: the field the person is in, before its own listeners run.
	 * Wrapping it moves it in the document, which takes the focus away:
	 * it gets the focus and its selection back. */
	function now(ev) {
		var ta = ev.target;
		if (!ta || ta._lint || !ta.matches || !ta.matches(FIELDS))
			return;
		var a = ta.selectionStart, b = ta.selectionEnd,
			dir = ta.selectionDirection, had = document.activeElement === ta;
		var st = setup([ta])[0];
		if (had && document.activeElement !== ta) {
			ta.focus({ preventScroll: true });
			try {
				ta.setSelectionRange(a, b, dir || 'none');
			} catch (e) { /* a type without a selection */ }
		}
		if (st && ev.type === 'focusin')
			caret(st);
	}

	function init() {
		var tas = document.querySelectorAll(FIELDS);
		if (!tas.length)
			return;
		var form = document.querySelector('form[data-review]');
		var rm = document.querySelectorAll('.coach-allowed button.lint-unallow');
		for (var r = 0; form && r < rm.length; r++) {
			rm[r].hidden = false;
			rm[r].addEventListener('click', function (ev) {
				unallow(ev.target.closest('li'), ev.target);
			});
		}
		if (form) {
			review = parseInt(form.getAttribute('data-review'), 10) || 0;
			try {
				allows = JSON.parse(form.getAttribute('data-lint-allow') ||
					'[]') || [];
			} catch (e) {
				allows = [];
			}
		}
		tip = el('div', 'lint-tip');
		tip.id = 'lint-tip';
		tip.setAttribute('role', 'tooltip');
		tip.hidden = true;
		document.body.appendChild(tip);
		announcer = el('div', 'sr-only');
		announcer.setAttribute('aria-live', 'polite');
		document.body.appendChild(announcer);
		document.addEventListener('focusin', now, true);
		document.addEventListener('input', now, true);
		for (var i = 0; i < tas.length; i++)
			if (tas[i].value.trim())
				pending.push(tas[i]);
		later();
		document.addEventListener('keydown', function (ev) {
			if (ev.key === 'Escape')
				hideTip();
		});
		window.addEventListener('resize', function () {
			syncLayout(fields);
			hideTip();
		});
		/* rows added by app.js's "add" buttons */
		if (window.MutationObserver) {
			var mo = new MutationObserver(function (recs) {
				recs.forEach(function (rec) {
					for (var k = 0; k < rec.addedNodes.length; k++) {
						var n = rec.addedNodes[k];
						if (n.nodeType !== 1)
							continue;
						setup(n.querySelectorAll(FIELDS));
					}
				});
			});
			var rows = document.querySelectorAll('.rows');
			for (i = 0; i < rows.length; i++)
				mo.observe(rows[i], { childList: true });
		}
	}

	if (document.readyState === 'loading')
		document.addEventListener('DOMContentLoaded', init);
	else
		init();
})();
