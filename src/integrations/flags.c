/* flags.c: the flag source poller (flags.h). The state is a small table
 * replaced as a whole under a mutex after every good read; readers copy
 * one entry out. */
#include "integrations/flags.h"

#include <curl/curl.h>
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "util/buf.h"
#include "util/log.h"
#include "util/timeutil.h"

#define FLAGS_MAX	 10000
#define SOURCE_MAX_BYTES (4 * 1024 * 1024)

struct entry {
	char *name;
	char *value;
	int64_t changed_at;
};

static struct {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	pthread_t thread;
	int running, stop;
	char source[1024];
	long interval;
	struct entry *items;
	size_t n;
	int64_t read_at, error_at, generation;
	char error[200];
} F = {.mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER};

static int is_url(const char *s)
{
	return !strncmp(s, "http://", 7) || !strncmp(s, "https://", 8);
}

static int is_yaml(const char *s)
{
	size_t n = strlen(s);

	return (n > 5 && !strcmp(s + n - 5, ".yaml")) ||
	       (n > 4 && !strcmp(s + n - 4, ".yml"));
}

/* yaml_value_json turns a YAML scalar into JSON text: true/false/null
 * and numbers as themselves, anything else as a string. */
static char *yaml_value_json(const char *s, int plain)
{
	json_t *j = NULL;
	char *end, *out;

	if (plain &&
	    (!strcmp(s, "true") || !strcmp(s, "false") || !strcmp(s, "null")))
		return strdup(s);
	if (plain && *s) {
		strtod(s, &end);
		if (!*end)
			return strdup(s);
	}
	j = json_string(s);
	out = j ? json_dumps(j, JSON_ENCODE_ANY) : NULL;
	json_decref(j);
	return out;
}

static int parse_yaml(const char *text, size_t len,
		      void (*fn)(const char *, const char *, void *), void *ctx,
		      char *err, size_t errlen)
{
	yaml_parser_t p;
	yaml_document_t d;
	yaml_node_t *root;
	int rc = -1;

	if (!yaml_parser_initialize(&p))
		return -1;
	yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
	if (!yaml_parser_load(&p, &d)) {
		snprintf(err, errlen, "not YAML: %s at line %zu",
			 p.problem ? p.problem : "error",
			 p.problem_mark.line + 1);
		yaml_parser_delete(&p);
		return -1;
	}
	root = yaml_document_get_root_node(&d);
	if (!root || root->type != YAML_MAPPING_NODE) {
		snprintf(err, errlen, "not a mapping of flag names to values");
		goto out;
	}
	for (yaml_node_pair_t *pr = root->data.mapping.pairs.start;
	     pr < root->data.mapping.pairs.top; pr++) {
		yaml_node_t *k = yaml_document_get_node(&d, pr->key);
		yaml_node_t *v = yaml_document_get_node(&d, pr->value);
		char *vj;

		if (!k || !v || k->type != YAML_SCALAR_NODE ||
		    v->type != YAML_SCALAR_NODE) {
			snprintf(err, errlen,
				 "each flag must be a name and a plain value");
			goto out;
		}
		vj = yaml_value_json((const char *)v->data.scalar.value,
				     v->data.scalar.style ==
					     YAML_PLAIN_SCALAR_STYLE);
		if (!vj)
			goto out;
		fn((const char *)k->data.scalar.value, vj, ctx);
		free(vj);
	}
	rc = 0;
out:
	yaml_document_delete(&d);
	yaml_parser_delete(&p);
	return rc;
}

int flags_parse(const char *text, size_t len, int yaml,
		void (*fn)(const char *name, const char *value_json, void *ctx),
		void *ctx, char *err, size_t errlen)
{
	json_error_t je;
	json_t *o, *v;
	const char *k;

	if (yaml)
		return parse_yaml(text, len, fn, ctx, err, errlen);
	o = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	if (!o) {
		snprintf(err, errlen, "not JSON: %s (line %d)", je.text,
			 je.line);
		return -1;
	}
	if (!json_is_object(o)) {
		json_decref(o);
		snprintf(err, errlen,
			 "not a JSON object of flag names to values");
		return -1;
	}
	json_object_foreach(o, k, v)
	{
		char *vj = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
		if (!vj)
			break;
		fn(k, vj, ctx);
		free(vj);
	}
	json_decref(o);
	return 0;
}

static size_t on_data(char *p, size_t sz, size_t n, void *arg)
{
	struct buf *b = arg;

	if (b->len + sz * n > SOURCE_MAX_BYTES || buf_append(b, p, sz * n) < 0)
		return 0;
	return sz * n;
}

/* fetch reads the source into b; -1 with a message in err. */
static int fetch(const char *source, struct buf *b, char *err, size_t errlen)
{
	if (is_url(source)) {
		CURL *c = curl_easy_init();
		CURLcode rc;
		long status = 0;

		if (!c)
			return -1;
		curl_easy_setopt(c, CURLOPT_URL, source);
		curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
		curl_easy_setopt(c, CURLOPT_WRITEDATA, b);
		curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 3L);
		curl_easy_setopt(c, CURLOPT_TIMEOUT, 5L);
		curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
		curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
		rc = curl_easy_perform(c);
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
		curl_easy_cleanup(c);
		if (rc != CURLE_OK) {
			snprintf(err, errlen, "%s", curl_easy_strerror(rc));
			return -1;
		}
		if (status != 200) {
			snprintf(err, errlen, "the source answered HTTP %ld",
				 status);
			return -1;
		}
	} else {
		FILE *fp = fopen(source, "rb");
		char chunk[8192];
		size_t n;

		if (!fp) {
			snprintf(err, errlen, "cannot read the file");
			return -1;
		}
		while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
			if (b->len + n > SOURCE_MAX_BYTES ||
			    buf_append(b, chunk, n) < 0) {
				fclose(fp);
				snprintf(err, errlen, "the file is too large");
				return -1;
			}
		fclose(fp);
	}
	return b->oom ? -1 : 0;
}

struct table {
	struct entry *items;
	size_t n, cap;
	int bad;
};

static void collect(const char *name, const char *value, void *ctx)
{
	struct table *t = ctx;

	if (t->bad || t->n >= FLAGS_MAX)
		return;
	if (t->n == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 64;
		struct entry *it = realloc(t->items, cap * sizeof *it);
		if (!it) {
			t->bad = 1;
			return;
		}
		t->items = it;
		t->cap = cap;
	}
	t->items[t->n].name = strdup(name);
	t->items[t->n].value = strdup(value);
	t->items[t->n].changed_at = 0;
	if (!t->items[t->n].name || !t->items[t->n].value)
		t->bad = 1;
	t->n++;
}

static void table_free(struct entry *items, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(items[i].name);
		free(items[i].value);
	}
	free(items);
}

/* poll_once reads the source; a good read replaces the table (a flag
 * whose value is the same keeps its changed_at), a bad one keeps it and
 * records the error. */
static void poll_once(void)
{
	struct buf b = BUF_INIT;
	struct table t = {0};
	char err[200] = "";
	int64_t now = time_now();
	int ok;

	ok = fetch(F.source, &b, err, sizeof err) == 0 &&
	     flags_parse(b.data ? b.data : "", b.len, is_yaml(F.source),
			 collect, &t, err, sizeof err) == 0 &&
	     !t.bad;
	buf_release(&b);
	pthread_mutex_lock(&F.mu);
	if (!ok) {
		if (!F.error_at || strcmp(F.error, err))
			F.generation++;
		F.error_at = now;
		snprintf(F.error, sizeof F.error, "%s",
			 err[0] ? err : "out of memory");
		pthread_mutex_unlock(&F.mu);
		table_free(t.items, t.n);
		log_warn("flags.source: %s (keeping the last good state)",
			 F.error);
		return;
	}
	for (size_t i = 0; i < t.n; i++) {
		t.items[i].changed_at = now;
		for (size_t j = 0; j < F.n; j++)
			if (!strcmp(F.items[j].name, t.items[i].name)) {
				if (!strcmp(F.items[j].value, t.items[i].value))
					t.items[i].changed_at =
						F.items[j].changed_at;
				break;
			}
		if (t.items[i].changed_at == now)
			F.generation++;
	}
	if (t.n != F.n || F.error_at)
		F.generation++;
	table_free(F.items, F.n);
	F.items = t.items;
	F.n = t.n;
	F.read_at = now;
	F.error_at = 0;
	F.error[0] = '\0';
	pthread_mutex_unlock(&F.mu);
}

static void *poller(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&F.mu);
	while (!F.stop) {
		struct timespec until;

		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_sec += F.interval;
		pthread_cond_timedwait(&F.cv, &F.mu, &until);
		if (F.stop)
			break;
		pthread_mutex_unlock(&F.mu);
		poll_once();
		pthread_mutex_lock(&F.mu);
	}
	pthread_mutex_unlock(&F.mu);
	return NULL;
}

enum err_code flags_start(const char *source, long interval, struct err *e)
{
	if (!source || !*source)
		return E_OK;
	if (strlen(source) >= sizeof F.source)
		return err_set(e, E_INVALID, "flags.source",
			       "flags.source is too long");
	snprintf(F.source, sizeof F.source, "%s", source);
	F.interval = interval < 1 ? 1 : interval;
	poll_once();
	F.stop = 0;
	if (pthread_create(&F.thread, NULL, poller, NULL) != 0)
		return err_set(e, E_STORE, "flags.source",
			       "cannot start the flag poller");
	F.running = 1;
	return E_OK;
}

void flags_stop(void)
{
	if (!F.running)
		return;
	pthread_mutex_lock(&F.mu);
	F.stop = 1;
	pthread_cond_signal(&F.cv);
	pthread_mutex_unlock(&F.mu);
	pthread_join(F.thread, NULL);
	F.running = 0;
	pthread_mutex_lock(&F.mu);
	table_free(F.items, F.n);
	F.items = NULL;
	F.n = 0;
	pthread_mutex_unlock(&F.mu);
}

int flags_configured(void)
{
	return F.source[0] != '\0';
}

int64_t flags_generation(void)
{
	int64_t g;

	pthread_mutex_lock(&F.mu);
	g = F.generation;
	pthread_mutex_unlock(&F.mu);
	return g;
}

int flags_get(const char *name, struct flag_state *out)
{
	memset(out, 0, sizeof *out);
	pthread_mutex_lock(&F.mu);
	out->read_at = F.read_at;
	out->error_at = F.error_at;
	snprintf(out->error, sizeof out->error, "%s", F.error);
	for (size_t i = 0; name && i < F.n; i++)
		if (!strcmp(F.items[i].name, name)) {
			out->known = 1;
			snprintf(out->value, sizeof out->value, "%s",
				 F.items[i].value);
			out->changed_at = F.items[i].changed_at;
			break;
		}
	pthread_mutex_unlock(&F.mu);
	return out->known;
}
