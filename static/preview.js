/* preview.js: a "Preview" button beside every markdown field of the review
 * form. It shows the field as the review page will: the server renders it
 * (POST /preview) with the same safe renderer as the page, so a stray
 * backtick or an unclosed list is seen before saving. The preview follows
 * the text while it is open. Events are handled on the document, so rows
 * added later (app.js copies a row with its button) and one timeline
 * entry's form opened in place on the review page (entry.js calls
 * window.debrief.preview on it) work the same. Without
 * JavaScript there is no preview; the page after a save shows the result.
 * Loaded with defer, from 'self'. */
(function () {
	'use strict';

	var DEBOUNCE_MS = 400;

	var FORMS = 'form.review-form, form.entry-form';

	if (!window.fetch || !window.URLSearchParams || !document.querySelector)
		return;

	function csrfToken() {
		var t = document.querySelector('meta[name="csrf-token"]');
		return t ? t.getAttribute('content') : '';
	}

	/* attach adds the button (after the text, for Tab; on the label's
	 * line, by the stylesheet) and the hidden panel to one field. */
	function attach(field) {
		if (!field.querySelector('textarea') || field.querySelector('.preview-bar'))
			return;
		var bar = document.createElement('div');
		bar.className = 'preview-bar';
		var btn = document.createElement('button');
		btn.type = 'button';
		btn.className = 'small preview-toggle';
		btn.textContent = 'Preview';
		btn.setAttribute('aria-expanded', 'false');
		bar.appendChild(btn);
		var panel = document.createElement('div');
		panel.className = 'md-preview prose';
		panel.hidden = true;
		panel.setAttribute('aria-live', 'polite');
		var help = field.querySelector('.help');
		field.insertBefore(bar, help || null);
		field.insertBefore(panel, help || null);
	}

	function refresh(field) {
		var ta = field.querySelector('textarea'), panel = field.querySelector('.md-preview');
		var mine = (field.previewSeq || 0) + 1;
		field.previewSeq = mine;
		if (!ta.value.trim()) {
			panel.textContent = '(empty)';
			return;
		}
		var body = new URLSearchParams();
		body.set('text', ta.value);
		fetch('/preview', {
			method: 'POST', credentials: 'same-origin',
			headers: { 'X-CSRF-Token': csrfToken() }, body: body
		}).then(function (r) {
			return r.text().then(function (t) { return { ok: r.ok, text: t }; });
		}).then(function (r) {
			if (mine !== field.previewSeq)
				return;
			if (r.ok)
				panel.innerHTML = r.text; /* rendered in safe mode */
			else
				panel.textContent = r.text;
		}).catch(function () {
			if (mine === field.previewSeq)
				panel.textContent = 'The preview is not available right now.';
		});
	}

	function inForm(el) {
		return el && el.closest && el.closest(FORMS);
	}

	document.addEventListener('click', function (ev) {
		var btn = ev.target.closest && ev.target.closest('button.preview-toggle');
		if (!btn || !inForm(btn))
			return;
		var field = btn.closest('.field-markdown'), panel = field.querySelector('.md-preview');
		panel.hidden = !panel.hidden;
		btn.setAttribute('aria-expanded', panel.hidden ? 'false' : 'true');
		btn.textContent = panel.hidden ? 'Preview' : 'Hide preview';
		if (!panel.hidden)
			refresh(field);
	});

	document.addEventListener('input', function (ev) {
		var field = ev.target.tagName === 'TEXTAREA' && inForm(ev.target) &&
			ev.target.closest('.field-markdown');
		var panel = field && field.querySelector('.md-preview');
		if (!panel || panel.hidden)
			return;
		clearTimeout(field.previewTimer);
		field.previewTimer = setTimeout(function () { refresh(field); }, DEBOUNCE_MS);
	});

	/* attachAll gives every markdown field of the forms in root its
	 * button. */
	function attachAll(root) {
		var forms = root.matches && root.matches(FORMS) ? [root] : root.querySelectorAll(FORMS);
		for (var f = 0; f < forms.length; f++) {
			var fields = forms[f].querySelectorAll('.field-markdown');
			for (var i = 0; i < fields.length; i++)
				attach(fields[i]);
		}
	}

	window.debrief = window.debrief || {};
	window.debrief.preview = attachAll;
	attachAll(document);
})();
