/* meeting.js: the meeting form (form.meeting-form on /reviews/{id}/meeting)
 * saves through the API: PUT /api/v1/reviews/{id}/meeting with the form's
 * version, DELETE to cancel. An error is shown next to its field, a
 * warning (a meeting in the past, an involved facilitator, phases that do
 * not fit) above the form; a stale version says so and changes nothing.
 * Loaded with defer, from 'self'. */
(function () {
	'use strict';

	var form = document.querySelector('form.meeting-form');
	if (!form || !window.fetch)
		return;
	var id = form.getAttribute('data-review');
	var url = '/api/v1/reviews/' + id + '/meeting';
	var warnBox = form.querySelector('.meeting-warnings');
	var errBox = form.querySelector('.meeting-error');

	function csrfToken() {
		var t = document.querySelector('meta[name="csrf-token"]');
		return t ? t.getAttribute('content') : '';
	}

	function value(name) {
		var el = form.elements[name];
		return el ? el.value.trim() : '';
	}

	function clearMessages() {
		var errs = form.querySelectorAll('.field-error');
		for (var i = 0; i < errs.length; i++) {
			errs[i].className = 'field-error';
			errs[i].hidden = true;
			errs[i].textContent = '';
		}
		errBox.hidden = true;
		warnBox.hidden = true;
		warnBox.textContent = '';
	}

	function showError(err) {
		var field = err.field || '';
		var slot = form.querySelector('.field-error[data-for="' +
					      field.replace(/[^a-z_]/g, '') + '"]');
		errBox.textContent = err.message || 'The meeting was not saved.';
		errBox.hidden = false;
		if (slot) {
			slot.textContent = err.message;
			slot.hidden = false;
		}
	}

	function showSaved(m) {
		var p = document.createElement('p'), ul, a;
		form.setAttribute('data-version', String(m.version));
		p.className = 'meeting-saved';
		p.textContent = 'Saved: ' + m.status + ', version ' + m.version +
			'. ';
		a = document.createElement('a');
		a.href = m.ics_url;
		a.setAttribute('download', '');
		a.className = 'meeting-ics';
		a.textContent = 'Download the invite (.ics)';
		p.appendChild(a);
		warnBox.appendChild(p);
		if (m.warnings && m.warnings.length) {
			ul = document.createElement('ul');
			for (var i = 0; i < m.warnings.length; i++) {
				var li = document.createElement('li');
				var near = form.querySelector('.field-error[data-for="' +
					m.warnings[i].field + '"]');
				if (near) { /* next to its field too */
					near.textContent = m.warnings[i].message;
					near.className = 'field-error field-warning';
					near.hidden = false;
				}
				li.className = 'meeting-warning';
				li.setAttribute('data-field', m.warnings[i].field);
				li.textContent = m.warnings[i].message;
				ul.appendChild(li);
			}
			warnBox.appendChild(ul);
		}
		warnBox.hidden = false;
	}

	function send(method, body) {
		var headers = { 'X-CSRF-Token': csrfToken() };
		var v = form.getAttribute('data-version');
		if (v && v !== '0')
			headers['If-Match'] = '"' + v + '"';
		if (body)
			headers['Content-Type'] = 'application/json';
		clearMessages();
		return fetch(url, {
			method: method, credentials: 'same-origin',
			headers: headers,
			body: body ? JSON.stringify(body) : undefined
		}).then(function (r) {
			return r.json().then(function (j) {
				if (r.ok) {
					showSaved(j);
				} else if (r.status === 409) {
					showError({ field: 'version', message:
						'Someone changed the meeting since ' +
						'this page was loaded; nothing was ' +
						'saved. Reload to see their version.' });
				} else {
					showError(j.error || {});
				}
			});
		}).catch(function () {
			showError({ message: 'The server could not be reached; ' +
					     'nothing was saved.' });
		});
	}

	form.addEventListener('submit', function (ev) {
		var body = {}, texts = ['start', 'timezone', 'location', 'video_url',
					 'facilitator', 'note_taker', 'agenda',
					 'notes_url'];
		ev.preventDefault();
		for (var i = 0; i < texts.length; i++)
			if (value(texts[i]))
				body[texts[i]] = value(texts[i]);
		if (value('duration_minutes'))
			body.duration_minutes =
				parseInt(value('duration_minutes'), 10);
		body.facilitator_wanted = !!(form.elements.facilitator_wanted &&
			form.elements.facilitator_wanted.checked);
		body.invitees = value('invitees').split(/[\n,]+/).map(function (s) {
			return s.trim();
		}).filter(function (s) { return s.length > 0; });
		send('PUT', body);
	});

	/* a suggested facilitator fills the field */
	form.addEventListener('click', function (ev) {
		var b = ev.target.closest('button.suggest');
		if (b)
			form.elements.facilitator.value = b.getAttribute('data-value');
	});

	var sendBtn = form.querySelector('.meeting-send');
	if (sendBtn)
		sendBtn.addEventListener('click', function () {
			clearMessages();
			fetch(url + '/send', {
				method: 'POST', credentials: 'same-origin',
				headers: { 'X-CSRF-Token': csrfToken(),
					'If-Match': '"' + form.getAttribute('data-version') + '"' }
			}).then(function (r) {
				return r.json().then(function (j) {
					if (!r.ok)
						return showError(j.error || {});
					var p = document.createElement('p');
					p.className = 'meeting-sent';
					p.textContent = 'Sent to ' + j.sent_to.join(', ') +
						(j.skipped.length ? '; no address for ' +
						 j.skipped.join(', ') : '') + '.';
					warnBox.appendChild(p);
					warnBox.hidden = false;
				});
			});
		});

	var cancel = form.querySelector('.meeting-cancel');
	if (cancel)
		cancel.addEventListener('click', function () {
			send('DELETE', null);
		});
})();
