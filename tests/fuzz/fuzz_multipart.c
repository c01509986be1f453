/* fuzz_multipart.c: libFuzzer target for the multipart/form-data reader
 * (http/multipart.c), which the chat upload routes run on untrusted
 * bodies. The input is the body; the boundary is fixed ("XyZ"), as a
 * browser's would be.
 *
 * Invariants: form_parsed ends 1 or -1; on 1, every form field's name and
 * value are NUL-terminated UTF-8, and every file part lies inside the
 * body, with a name; req_file_get finds the first file part of its name. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz/fuzz_common.h"
#include "http/http.h"
#include "util/arena.h"
#include "util/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct kv headers[] = {
		{"Content-Type", "multipart/form-data; boundary=XyZ"}};
	struct request req;
	char *body = malloc(size + 1);

	FUZZ_ASSERT(body, "oom");
	memcpy(body, data, size);
	body[size] = '\0';
	memset(&req, 0, sizeof req);
	req.method = "POST";
	req.path = "/api/v1/reviews/1/transcripts";
	req.body = body;
	req.body_len = size;
	req.headers = headers;
	req.nheaders = 1;
	req.arena = arena_new();
	FUZZ_ASSERT(req.arena, "oom");
	req_multipart_parse(&req);
	FUZZ_ASSERT(req.form_parsed == 1 || req.form_parsed == -1,
		    "form_parsed %d", req.form_parsed);
	if (req.form_parsed == 1) {
		for (size_t i = 0; i < req.nform; i++) {
			FUZZ_ASSERT(utf8_valid(req.form[i].key,
					       strlen(req.form[i].key), NULL),
				    "field name not UTF-8");
			FUZZ_ASSERT(utf8_valid(req.form[i].value,
					       strlen(req.form[i].value), NULL),
				    "field value not UTF-8");
		}
		for (size_t i = 0; i < req.nfiles; i++) {
			const struct req_file *f = &req.files[i];
			FUZZ_ASSERT(f->name && f->filename, "file without name");
			FUZZ_ASSERT(f->data >= body &&
					    f->data + f->len <= body + size,
				    "file part outside the body");
			FUZZ_ASSERT(req_file_get(&req, f->name) != NULL,
				    "file part not found by name");
		}
	}
	arena_free(req.arena);
	free(body);
	return 0;
}
