/* run.js: the run of show (/reviews/{id}/meeting/run). The clock runs per
 * phase against its timebox; p takes a tangent to the parking lot (Enter
 * parks it); a parked item becomes a follow-up or an open question in one
 * click; invitees are ticked off and walk-ins added; timeline entries are
 * marked disputed or added live; the notes save as they are typed. Every
 * change to the meeting is a PATCH with its version: on a conflict the
 * change is applied again to what is stored now, and notes that two
 * people typed at once are offered for merging, never dropped.
 * Loaded with defer, from 'self'. */
(function () {
	'use strict';

	var root = document.querySelector('.run');
	if (!root || !window.fetch)
		return;
	var rid = root.getAttribute('data-review');
	var mid = root.getAttribute('data-meeting');
	var version = parseInt(root.getAttribute('data-version'), 10);
	var base = '/api/v1/reviews/' + rid;
	var status = root.querySelector('.run-status');

	/* on attaches fn when the page has sel: the note taker's page has
	 * only the notes */
	function on(sel, type, fn) {
		var el = root.querySelector(sel);
		if (el)
			el.addEventListener(type, fn);
		return el;
	}

	function csrfToken() {
		var t = document.querySelector('meta[name="csrf-token"]');
		return t ? t.getAttribute('content') : '';
	}

	function say(text, bad) {
		status.textContent = text;
		status.className = 'run-status notice' + (bad ? ' notice-error' : '');
		status.hidden = !text;
	}

	function api(method, path, body, ifMatch) {
		var h = { 'X-CSRF-Token': csrfToken() };
		if (body)
			h['Content-Type'] = 'application/json';
		if (ifMatch)
			h['If-Match'] = '"' + ifMatch + '"';
		return fetch(path, { method: method, credentials: 'same-origin',
			headers: h, body: body ? JSON.stringify(body) : undefined })
			.then(function (r) {
				return r.json().then(function (j) {
					return { status: r.status, ok: r.ok, json: j };
				}, function () {
					return { status: r.status, ok: r.ok, json: {} };
				});
			});
	}

	/* change applies op (meeting -> patch) to the stored meeting: with
	 * the version this page has, and on a conflict again to what is
	 * stored now. Resolves to the stored meeting. */
	function change(op, current) {
		var patch = op(current || meetingNow);
		return api('PATCH', base + '/meetings/' + mid, patch, version)
			.then(function (r) {
				if (r.ok) {
					version = r.json.version;
					meetingNow = r.json;
					render();
					return r.json;
				}
				if (r.status === 409 && !current)
					return api('GET', base + '/meeting').then(function (g) {
						meetingNow = g.json;
						version = g.json.version;
						return change(op, g.json);
					});
				say((r.json.error && r.json.error.message) ||
				    'Not saved', true);
				throw new Error('not saved');
			});
	}

	var meetingNow = null;

	function lines(text) {
		return (text || '').split('\n').filter(function (s) {
			return s.trim().length > 0;
		});
	}

	/* ---- the clock ---- */
	var phases = root.querySelectorAll('.phase');
	var started = 0, phaseAt = 0, current = -1, timer = null;

	function mmss(ms) {
		var s = Math.max(0, Math.floor(ms / 1000));
		var m = Math.floor(s / 60);
		s %= 60;
		return m + ':' + (s < 10 ? '0' : '') + s;
	}

	function tick() {
		var now = Date.now();
		root.querySelector('.run-total').textContent = mmss(now - started);
		if (current < 0 || current >= phases.length)
			return;
		var el = phases[current];
		var box = parseInt(el.getAttribute('data-minutes'), 10) * 60000;
		var used = now - phaseAt;
		el.querySelector('.phase-clock').textContent = mmss(used);
		el.classList.toggle('over', used > box);
	}

	function goPhase(i) {
		for (var k = 0; k < phases.length; k++)
			phases[k].classList.toggle('current', k === i);
		current = i;
		phaseAt = Date.now();
		tick();
	}

	on('.run-start', 'click', function () {
		if (timer)
			return;
		started = Date.now();
		timer = setInterval(tick, 1000);
		goPhase(0);
	});
	on('.run-next', 'click', function () {
		if (!timer) {
			started = Date.now();
			timer = setInterval(tick, 1000);
		}
		if (current < phases.length - 1)
			goPhase(current + 1);
	});

	/* ---- the parking lot ---- */
	var parkForm = root.querySelector('form.park');
	var parked = root.querySelector('ul.parked');

	function render() {
		if (!parked)
			return;
		var items = lines(meetingNow && meetingNow.parking_lot);
		parked.textContent = '';
		items.forEach(function (it) {
			var li = document.createElement('li');
			var span = document.createElement('span');
			span.className = 'item';
			span.textContent = it;
			li.appendChild(span);
			[['to-followup', 'Follow-up'], ['to-question', 'Open question']]
				.forEach(function (b) {
					var btn = document.createElement('button');
					btn.type = 'button';
					btn.className = 'button ghost ' + b[0];
					btn.textContent = b[1];
					li.appendChild(document.createTextNode(' '));
					li.appendChild(btn);
				});
			parked.appendChild(li);
		});
	}

	function unpark(item) {
		return change(function (m) {
			var rest = lines(m.parking_lot).filter(function (s) {
				return s !== item;
			});
			return { parking_lot: rest.length ? rest.join('\n') : null };
		});
	}

	if (parkForm) parkForm.addEventListener('submit', function (ev) {
		var input = parkForm.elements.tangent, item = input.value.trim();
		ev.preventDefault();
		if (!item)
			return;
		change(function (m) {
			var l = lines(m.parking_lot);
			if (l.indexOf(item) < 0)
				l.push(item);
			return { parking_lot: l.join('\n') };
		}).then(function () {
			input.value = '';
			say('Parked: ' + item);
		}, function () {});
	});

	if (parked) parked.addEventListener('click', function (ev) {
		var btn = ev.target.closest('button');
		if (!btn)
			return;
		var item = btn.parentNode.querySelector('.item').textContent;
		var done;
		if (btn.classList.contains('to-followup')) {
			done = api('POST', base + '/followups', { title: item })
				.then(function (r) {
					if (!r.ok)
						throw new Error(r.json.error ? r.json.error.message : 'not saved');
				});
		} else {
			done = api('GET', base).then(function (r) {
				var q = r.json.open_questions;
				return api('PATCH', base, {
					open_questions: (q ? q + '\n' : '') + '- ' + item,
					version: r.json.version });
			}).then(function (r) {
				if (!r.ok)
					throw new Error(r.json.error ? r.json.error.message : 'not saved');
			});
		}
		done.then(function () {
			return unpark(item);
		}).then(function () {
			say(btn.classList.contains('to-followup')
				? 'Now a follow-up: ' + item
				: 'Now an open question: ' + item);
		}, function (e) {
			say(e.message, true);
		});
	});

	document.addEventListener('keydown', function (ev) {
		var t = ev.target.tagName;
		if (!parkForm || ev.key !== 'p' || ev.ctrlKey || ev.metaKey || ev.altKey ||
		    t === 'INPUT' || t === 'TEXTAREA' || t === 'SELECT')
			return;
		ev.preventDefault();
		parkForm.elements.tangent.focus();
	});

	/* ---- attendance ---- */
	var att = root.querySelector('ul.attendance');
	function attend(name, on) {
		return change(function (m) {
			var l = (m.attended || []).filter(function (s) {
				return s !== name;
			});
			if (on)
				l.push(name);
			return { attended: l };
		});
	}
	if (att) att.addEventListener('change', function (ev) {
		if (ev.target.type === 'checkbox')
			attend(ev.target.value, ev.target.checked).catch(function () {});
	});
	on('form.walk-in-add', 'submit', function (ev) {
		var input = ev.target.elements.name, name = input.value.trim();
		ev.preventDefault();
		if (!name)
			return;
		attend(name, true).then(function () {
			var li = document.createElement('li'), label = document.createElement('label');
			var box = document.createElement('input');
			li.className = 'walk-in';
			box.type = 'checkbox';
			box.checked = true;
			box.value = name;
			label.appendChild(box);
			label.appendChild(document.createTextNode(' ' + name + ' (walk-in)'));
			li.appendChild(label);
			att.appendChild(li);
			input.value = '';
		}, function () {});
	});

	/* ---- the timeline ---- */
	var tl = root.querySelector('.big-timeline');
	if (tl) tl.addEventListener('click', function (ev) {
		var btn = ev.target.closest('button.tl-dispute');
		if (!btn)
			return;
		var li = btn.closest('li'), on = btn.getAttribute('aria-pressed') !== 'true';
		api('PATCH', base + '/timeline/' + li.getAttribute('data-id'),
		    { disputed: on }).then(function (r) {
			if (!r.ok)
				return say(r.json.error ? r.json.error.message : 'not saved', true);
			btn.setAttribute('aria-pressed', on ? 'true' : 'false');
			li.classList.toggle('disputed', on);
		});
	});
	on('form.tl-add', 'submit', function (ev) {
		var f = ev.target, err = f.querySelector('.field-error');
		ev.preventDefault();
		err.hidden = true;
		api('POST', base + '/timeline', { at: f.elements.at.value.trim(),
			text: f.elements.text.value.trim() }).then(function (r) {
			if (!r.ok) {
				err.textContent = r.json.error ? r.json.error.message : 'not saved';
				err.hidden = false;
				return;
			}
			var li = document.createElement('li'), span = document.createElement('span');
			li.setAttribute('data-id', r.json.id);
			span.className = 'tl-text';
			span.textContent = r.json.at + ' ' + r.json.text;
			li.appendChild(span);
			tl.appendChild(li);
			f.reset();
		});
	});

	/* ---- notes: saved as typed, merged on a conflict ---- */
	var notes = root.querySelector('textarea[name=notes]');
	var mergeBox = root.querySelector('.notes-merge');
	var savedNotes = notes ? notes.value : '', notesTimer = null;

	function saveNotes() {
		var mine = notes.value;
		if (mine === savedNotes)
			return;
		api('PATCH', base + '/meetings/' + mid, { notes: mine || null }, version)
			.then(function (r) {
				if (r.ok) {
					version = r.json.version;
					meetingNow = r.json;
					savedNotes = mine;
					return;
				}
				if (r.status !== 409)
					return say(r.json.error ? r.json.error.message : 'not saved', true);
				return api('GET', base + '/meeting').then(function (g) {
					var theirs = g.json.notes || '';
					meetingNow = g.json;
					version = g.json.version;
					if (theirs === savedNotes) { /* they changed only the rest */
						saveNotes();
						return;
					}
					offerMerge(theirs, mine);
				});
			});
	}

	function offerMerge(theirs, mine) {
		var p = document.createElement('p'), pre = document.createElement('pre');
		var both = document.createElement('button');
		mergeBox.textContent = '';
		p.textContent = 'Someone else saved the notes while you typed. ' +
			'Theirs are below; yours stay in the box until you choose.';
		pre.className = 'their-notes';
		pre.textContent = theirs;
		both.type = 'button';
		both.className = 'button merge-both';
		both.textContent = 'Keep both';
		both.addEventListener('click', function () {
			notes.value = theirs + (theirs ? '\n\n' : '') + mine;
			savedNotes = theirs;
			mergeBox.hidden = true;
			saveNotes();
		});
		mergeBox.appendChild(p);
		mergeBox.appendChild(pre);
		mergeBox.appendChild(both);
		mergeBox.hidden = false;
	}

	if (notes) notes.addEventListener('input', function () {
		if (!mergeBox.hidden)
			return; /* a merge to finish first */
		clearTimeout(notesTimer);
		notesTimer = setTimeout(saveNotes, 1200);
	});

	on('.run-held', 'click', function () {
		change(function () {
			return { status: 'held' };
		}).then(function () {
			say('Marked as held.');
		}, function () {});
	});

	api('GET', base + '/meeting').then(function (r) {
		if (r.ok) {
			meetingNow = r.json;
			version = r.json.version;
		}
	});
})();
