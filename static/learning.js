/* learning.js: the learning signals and memory aids on a page (issue 17).
 * Everything works without it: the reads are a link to their JSON, the
 * "#" links are plain anchors. With it:
 * - a review page's "Read and linked" section shows its reads, read from
 *   the API (which answers only to those who see the review), since they
 *   change on every view and the cached page cannot hold them;
 * - every "#" permalink gets a copy-link button that copies the full
 *   URL of its anchor;
 * - a comment's Edit link is shown to its author only (the server
 *   refuses anyone else anyway).
 * Loaded with defer, from 'self' only. */
(function () {
	'use strict';

	function text(el, s) {
		el.textContent = s;
		return el;
	}

	function get(url, done) {
		var x = new XMLHttpRequest();
		x.open('GET', url);
		x.setRequestHeader('Accept', 'application/json');
		x.onload = function () {
			if (x.status !== 200)
				return;
			try {
				done(JSON.parse(x.responseText));
			} catch (e) {
				/* not JSON: leave the link */
			}
		};
		x.send();
	}

	function plural(n, one, many) {
		return n + ' ' + (n === 1 ? one : many);
	}

	function fillSignals(sec) {
		var id = sec.getAttribute('data-review');
		var reads = sec.querySelector('[data-reads]');

		get('/api/v1/reviews/' + id + '/reads', function (j) {
			text(reads, 'Read ' + plural(j.reads, 'time', 'times') +
				' by ' + plural(j.readers, 'person', 'people') +
				' (views by its authors, and again within ' +
				'an hour, are not counted).');
		});
	}

	function copy(s, done) {
		if (navigator.clipboard && navigator.clipboard.writeText) {
			navigator.clipboard.writeText(s).then(done, function () {
				fallback(s, done);
			});
			return;
		}
		fallback(s, done);
	}

	function fallback(s, done) {
		var t = document.createElement('textarea');
		t.value = s;
		document.body.appendChild(t);
		t.select();
		try {
			document.execCommand('copy');
		} catch (e) {
			/* nothing more to try */
		}
		document.body.removeChild(t);
		done();
	}

	document.addEventListener('click', function (ev) {
		var b = ev.target.closest && ev.target.closest('.copy-link');
		var url;

		if (!b)
			return;
		url = location.origin + location.pathname + location.search +
			'#' + b.getAttribute('data-anchor');
		b.setAttribute('data-url', url);
		copy(url, function () {
			b.textContent = 'Copied';
			setTimeout(function () {
				b.textContent = 'Copy link';
			}, 2000);
		});
	});

	/* a copy-link button after each permalink ("#" link) */
	function addCopyButtons() {
		var links = document.querySelectorAll('a.permalink');
		var i;

		for (i = 0; i < links.length; i++) {
			var b = document.createElement('button');
			b.type = 'button';
			b.className = 'copy-link';
			b.setAttribute('data-anchor',
				links[i].getAttribute('href').slice(1));
			b.title = 'Copy a link to ' +
				(links[i].getAttribute('aria-label') || '')
					.replace(/^Link to /, '');
			b.textContent = 'Copy link';
			links[i].parentNode.insertBefore(b, links[i].nextSibling);
		}
	}

	function init() {
		var who = document.querySelector('.user-nav .who strong');
		var me = who ? who.textContent : null;
		var sec = document.getElementById('signals');
		var edits = document.querySelectorAll('.comment-edit');
		var i;

		addCopyButtons();
		if (sec)
			fillSignals(sec);
		/* signed in as someone: only their own comments; local mode
		 * (no accounts, one person): every comment */
		for (i = 0; me !== null && i < edits.length; i++)
			if (edits[i].getAttribute('data-author') !== me)
				edits[i].hidden = true;
	}

	if (document.readyState === 'loading')
		document.addEventListener('DOMContentLoaded', init);
	else
		init();
})();
