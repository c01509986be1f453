/* lazyload.h: shared libraries loaded at the first call of one of their
 * functions, so that a command which needs none of them does not pay for
 * mapping them at process start.
 *
 * Why: ./debrief links libmicrohttpd, libcurl, libgit2, libarchive,
 * libical, libpq, ... which pull in about 55 shared libraries (TLS, SSH,
 * Kerberos, LDAP, ICU, libstdc++). The dynamic loader mapped and relocated
 * all of them before main(), 20-40 ms of CPU on a busy machine, while
 * `debrief lint` needs only libc and cmark-gfm (issue 12: one sentence
 * under 5 ms including process start).
 *
 * How: for the binary, scripts/lazy-stubs.sh writes one stub per library
 * function the code calls (found with nm), named like the function, and
 * the binary is linked without those libraries. A stub jumps through its
 * slot in `addr`; the first call finds the slot empty and goes to
 * lazy_resolve, which dlopens the library by its soname (once), looks the
 * symbol up and fills the slot; later calls cost one load and an indirect
 * jump. A stub only jumps: every argument register and the stack reach the
 * real function untouched, so any signature works, variadic ones too.
 * Library data objects (variables) cannot be stubbed; the script refuses
 * them. Only x86-64 has stubs; elsewhere the Makefile links the libraries
 * as before. The unit tests link the libraries directly and use none of
 * this, except tests/unit/test_lazyload.c.
 *
 * A library that cannot be loaded, or lacks the symbol, ends the process
 * with status 127 (as the dynamic loader does at start) after naming both
 * on stderr: at that point the caller has no way to go on. */
#ifndef DEBRIEF_LAZYLOAD_H
#define DEBRIEF_LAZYLOAD_H

/* One table per set of stubs. handles and addr start zeroed (NULL). */
struct lazy_table {
	const char *const *libs;	/* sonames, e.g. "libcurl.so.4" */
	void **handles;			/* per library: dlopen's handle */
	const char *const *names;	/* per symbol: the name to look up */
	const unsigned char *lib;	/* per symbol: index into libs */
	void **addr;			/* per symbol: the function, once found */
};

/* lazy_resolve loads symbol i of t (and its library, if not yet loaded),
 * stores its address in t->addr[i] and returns it. Thread-safe; errno is
 * left as it was. Never returns on failure (see above). */
void *lazy_resolve(const struct lazy_table *t, unsigned i);

#define LAZY_STR_(x) #x
#define LAZY_STR(x) LAZY_STR_(x)

#if defined(__x86_64__) && defined(__ELF__)
/* LAZY_ENTER(enter, table): the shared slow path of a table's stubs,
 * named enter. It saves the argument registers (rdi, rsi, rdx, rcx, r8,
 * r9, rax: the vector count of a variadic call, xmm0-7), calls
 * lazy_resolve(&table, r11) and jumps to the result with the registers and
 * the stack as the caller left them. */
#define LAZY_ENTER(enter, table)                                             \
	__asm__(".pushsection .text\n"                                       \
		".p2align 4\n"                                               \
		".type " #enter ",@function\n" #enter ":\n"                  \
		"\tpushq %rbp\n\tmovq %rsp, %rbp\n\tsubq $192, %rsp\n"      \
		"\tmovq %rdi, 0(%rsp)\n\tmovq %rsi, 8(%rsp)\n"               \
		"\tmovq %rdx, 16(%rsp)\n\tmovq %rcx, 24(%rsp)\n"             \
		"\tmovq %r8, 32(%rsp)\n\tmovq %r9, 40(%rsp)\n"               \
		"\tmovq %rax, 48(%rsp)\n"                                    \
		"\tmovaps %xmm0, 64(%rsp)\n\tmovaps %xmm1, 80(%rsp)\n"       \
		"\tmovaps %xmm2, 96(%rsp)\n\tmovaps %xmm3, 112(%rsp)\n"      \
		"\tmovaps %xmm4, 128(%rsp)\n\tmovaps %xmm5, 144(%rsp)\n"     \
		"\tmovaps %xmm6, 160(%rsp)\n\tmovaps %xmm7, 176(%rsp)\n"     \
		"\tleaq " #table "(%rip), %rdi\n\tmovl %r11d, %esi\n"        \
		"\tcall lazy_resolve\n\tmovq %rax, %r11\n"                   \
		"\tmovq 0(%rsp), %rdi\n\tmovq 8(%rsp), %rsi\n"               \
		"\tmovq 16(%rsp), %rdx\n\tmovq 24(%rsp), %rcx\n"             \
		"\tmovq 32(%rsp), %r8\n\tmovq 40(%rsp), %r9\n"               \
		"\tmovq 48(%rsp), %rax\n"                                    \
		"\tmovaps 64(%rsp), %xmm0\n\tmovaps 80(%rsp), %xmm1\n"       \
		"\tmovaps 96(%rsp), %xmm2\n\tmovaps 112(%rsp), %xmm3\n"      \
		"\tmovaps 128(%rsp), %xmm4\n\tmovaps 144(%rsp), %xmm5\n"     \
		"\tmovaps 160(%rsp), %xmm6\n\tmovaps 176(%rsp), %xmm7\n"     \
		"\tleave\n\tjmp *%r11\n"                                     \
		".size " #enter ", .-" #enter "\n"                           \
		".popsection\n")

/* LAZY_STUB(name, i, addr, enter): the global function name, which jumps
 * to addr[i], or to enter with i in r11 while addr[i] is NULL. */
#define LAZY_STUB(name, i, addr, enter)                                      \
	__asm__(".pushsection .text\n"                                       \
		".globl " #name "\n.type " #name ",@function\n" #name ":\n"  \
		"\tmovq " #addr "+8*" #i "(%rip), %r11\n"                     \
		"\ttestq %r11, %r11\n\tjz 1f\n\tjmp *%r11\n"                 \
		"1:\tmovl $" #i ", %r11d\n\tjmp " #enter "\n"                \
		".size " #name ", .-" #name "\n"                             \
		".popsection\n")
#define LAZY_STUBS_SUPPORTED 1
#else
#define LAZY_ENTER(enter, table)
#define LAZY_STUB(name, i, addr, enter)
#define LAZY_STUBS_SUPPORTED 0
#endif

#endif
