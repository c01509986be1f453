/* lint_lex.c: the lexicon: one open-addressing hash table from a lower
 * case word to its id (lint_words.h) and its word classes. Built once on
 * first use (pthread_once), read-only afterwards, so lint_text can run in
 * many threads at once. */
#include <pthread.h>
#include <string.h>

#include "lint/lint_internal.h"

#define LEX_MAX 2048

uint32_t lex_slot[LEX_SLOTS];
struct lex_short lex_short[LEX_SHORT_SLOTS];
uint16_t lex_short_id[LEX_SHORT_SLOTS];
struct lex_entry lex_entries[LEX_MAX];
static int nlex;

/* KEEP(m): a mask of the first m bytes in memory order (shift counts stay
 * in 0..63 in both branches). */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define KEEP(m) ((m) >= 8 ? ~0ULL : ~(~0ULL >> ((8 * (m)) & 63)))
#else
#define KEEP(m) ((m) >= 8 ? ~0ULL : (1ULL << ((8 * (m)) & 63)) - 1)
#endif
const uint64_t lex_mask_lo[LEX_KEY_MAX + 1] = {
	KEEP(0),  KEEP(1),  KEEP(2),  KEEP(3),	KEEP(4),  KEEP(5),
	KEEP(6),  KEEP(7),  KEEP(8),  KEEP(9),	KEEP(10), KEEP(11),
	KEEP(12), KEEP(13), KEEP(14), KEEP(15), KEEP(16),
};
const uint64_t lex_mask_hi[LEX_KEY_MAX + 1] = {
	0,	 0,	  0,	   0,	    0,	     0,
	0,	 0,	  0,	   KEEP(1), KEEP(2), KEEP(3),
	KEEP(4), KEEP(5), KEEP(6), KEEP(7), KEEP(8),
};
static pthread_once_t lex_once = PTHREAD_ONCE_INIT;

static const struct {
	const char *w;
	uint64_t cls;
} lex_words[] = {
#define X(id, s, cl) {s, cl},
	LINT_WORD_LIST(X)
#undef X
};

/* Class lists: words separated by single spaces. */
static const struct {
	uint64_t cls;
	const char *words;
} lex_classes[] = {
	{CL_PERSON | CL_NOUN,
	 "engineer operator technician admin administrator sysadmin developer "
	 "dev programmer coder sre responder on-call oncall on-caller "
	 "deployer reviewer approver maintainer team teammate staff staffer "
	 "person people employee contractor consultant manager owner author "
	 "analyst architect designer tester pilot crew officer organisation "
	 "organization org company department squad human individual hire "
	 "intern newcomer colleague coworker co-worker supervisor director "
	 "executive leadership management ops devops sysop scientist nurse "
	 "doctor surgeon trader dispatcher mechanic driver captain navigator "
	 "vendor dba specialist expert personnel firm agency contributor "
	 "committer student researcher professional facilitator commander "
	 "lead operations-team on-duty"},
	{CL_IMPACTED | CL_PERSON | CL_NOUN,
	 "user customer visitor subscriber player buyer merchant client-side"},
	{CL_PRON_P,
	 "i we you he she they us them him someone somebody anyone anybody "
	 "nobody everyone everybody who whoever whom"},
	{CL_PRON_T, "it this that which these those something everything"},
	{CL_SYSTEM | CL_NOUN,
	 "worker agent controller client master leader follower primary "
	 "replica secondary node server service job process daemon script "
	 "bot robot automation system attempt change"},
	{CL_DET,
	 "a an the this that these those its their his her our my your some "
	 "any each every no another either neither several many few most"},
	{CL_PREP,
	 "of in on at for from with by to into onto over under during after "
	 "before across via through throughout within without about against "
	 "between among per since until till toward towards upon behind "
	 "beyond like near inside outside around amid despite except along "
	 "above below beneath"},
	{CL_CONJ, "and or but nor"},
	{CL_SUBORD,
	 "when while whilst because since although though if unless whereas "
	 "once as where whether after before until"},
	{CL_REL, "who which that whom whose"},
	{CL_BE | CL_NEG, "isn't wasn't weren't aren't"},
	{CL_BE, "am is are was were be been being"},
	{CL_HAVE | CL_NEG, "hasn't haven't hadn't"},
	{CL_HAVE, "has have had having"},
	{CL_DO | CL_NEG, "didn't doesn't don't"},
	{CL_DO, "do does did"},
	{CL_MODAL | CL_NEG,
	 "cannot can't won't wouldn't shouldn't couldn't mustn't"},
	{CL_MODAL, "can could may might must shall should will would"},
	{CL_NEG, "not never"},
	{CL_ADV,
	 "also then still already just only even again later soon now ever "
	 "always often too very quite almost therefore thus hence however "
	 "alone together twice afterwards meanwhile indeed perhaps maybe "
	 "somehow further sometimes yet first"},
	{CL_NOTADV,
	 "apply supply reply multiply rely family assembly anomaly july italy "
	 "ally belly bully jelly folly holly rally tally comply imply fly "
	 "monopoly poly reapply ugly silly friendly lonely "
	 "daily weekly monthly hourly nightly yearly quarterly costly timely "
	 "orderly elderly lovely deadly lively curly holy oily assembly "
	 "butterfly early only supply"},
	{CL_PP,
	 "been done made taken set left put cut written forgotten known seen "
	 "given gone brought built caught found held kept lost meant paid read "
	 "sent shut spent split spun stood struck thought told understood won "
	 "begun broken chosen driven eaten fallen flown frozen gotten got "
	 "grown hidden ridden risen shaken shown spoken stolen sworn thrown "
	 "woken worn overwritten rewritten undone rerun reset upset hit let "
	 "quit burst cast cost hurt shed spread slid led fed fled dealt felt "
	 "heard laid lent lit met sold sought taught wound run drawn dug "
	 "foreseen mistaken overseen overtaken withdrawn forbidden forgiven "
	 "bitten blown sunk sprung swung stuck strung hung rung sung torn "
	 "borne bent bred bought fought sat slept swept upheld withheld "
	 "overridden overrun misread mislaid misled misunderstood offset "
	 "input output broadcast forecast become come said"},
	{CL_PAST,
	 "ran did made took set left put cut wrote forgot knew saw gave went "
	 "brought built caught found held kept lost meant paid read sent shut "
	 "spent split stood struck thought told understood won began broke "
	 "chose drove ate fell flew froze got grew hid rode rose shook showed "
	 "spoke stole threw woke wore overwrote rewrote undid reran reset hit "
	 "let quit burst cast cost hurt shed spread slid led fed fled dealt "
	 "felt heard laid lent lit met sold sought taught wound drew dug "
	 "mistook overrode withdrew misread misled misunderstood sank sprang "
	 "swung stuck hung rang sang tore bent bought fought sat slept swept "
	 "became came said"},
	{CL_OPV,
	 "run executed issued pushed deployed applied rolled made merged "
	 "removed deleted dropped disabled skipped set left introduced "
	 "upgraded downgraded migrated labeled labelled mislabeled mislabelled "
	 "prioritised prioritized deprioritised deprioritized moved changed "
	 "modified edited altered performed done overlooked ignored neglected "
	 "forgotten shipped truncated wiped overwritten erased purged "
	 "reformatted misconfigured mistyped entered typed enabled turned "
	 "unplugged decommissioned bypassed approved submitted uploaded "
	 "installed uninstalled provisioned lowered decreased shortened "
	 "rushed renamed overridden commented hardcoded hard-coded "
	 "hand-edited rerun silenced muted scheduled launched released "
	 "started configured bundled batched"},
	{CL_RESP,
	 "reverted restored mitigated fixed resolved identified acknowledged "
	 "notified alerted paged restarted rebooted corrected detected "
	 "noticed escalated recovered investigated re-enabled reenabled "
	 "stopped paused halted repaired replaced patched drained isolated "
	 "quarantined rolled-back undone redeployed re-deployed rebuilt "
	 "discovered diagnosed contained"},
	{CL_REMED | CL_NOUN,
	 "fix hotfix bugfix revert rollback roll-back mitigation workaround "
	 "remediation correction restart reboot failover repair recovery "
	 "countermeasure"},
	{CL_REMEDV,
	 "resolve mitigate fix stop restore recover unblock contain break "
	 "relieve alleviate stabilize stabilise halt remediate repair "
	 "correct undo revert drain isolate reestablish re-establish regain "
	 "unstick"},
	{CL_BADADJ,
	 "offending malicious faulty bad problematic broken buggy erroneous "
	 "culprit corrupted corrupt rogue bogus errant misbehaving compromised "
	 "affected unhealthy failing failed harmful incorrect wrong"},
	{CL_HACT | CL_NOUN,
	 "modification change misconfiguration deletion keystroke key-stroke "
	 "stroke click command push deploy deployment removal edit input "
	 "entry action execution commit merge restart shutdown reboot "
	 "disclosure release typo overwrite drop invocation run press "
	 "activation approval publication upload misclick selection paste "
	 "rm operation rollout change-set exposure sharing"},
	{CL_HPROC,
	 "notify inform communicate follow escalate review patch test verify "
	 "check implement act respond renew document train heed investigate "
	 "plan anticipate recognise recognize consider ensure perform conduct "
	 "disclose report warn understand read ask consult coordinate approve "
	 "notice spot catch take tell wait"},
	{CL_EPI,
	 "contributed encountered experienced received observed caused "
	 "affected impacted played hit triggered exposed accessed compromised "
	 "leaked viewed downloaded served involved lost corrupted delayed "
	 "used shown charged billed sent existed occurred happened been "
	 "introduced originated started begun come"},
	{CL_OPTION,
	 "meant required needed involved taken cost caused risked forced "
	 "entailed added"},
	{CL_COMM,
	 "state states stated label labels labeled labelled document "
	 "documents documented communicate communicates communicated explain "
	 "explains explained describe describes described mark marks marked "
	 "indicate indicates name names named define defines defined specify "
	 "specifies specified show shows say says list lists listed separate "
	 "separates separated distinguish distinguishes distinguished "
	 "highlight highlights highlighted identify identifies written "
	 "articulated worded readable explained displayed displays display "
	 "outline outlines outlined"},
	{CL_TIME,
	 "noon midnight morning evening afternoon night tonight today "
	 "yesterday tomorrow monday tuesday wednesday thursday friday "
	 "saturday sunday january february march april june july august "
	 "september october november december jan feb apr jun jul aug sep "
	 "sept oct nov dec utc gmt pst pdt est edt cet cest am pm a.m p.m "
	 "end then now eod week month year weekend hour hours minute minutes "
	 "day days time start close q1 q2 q3 q4 mid-day"},
	{CL_PROC | CL_NOUN,
	 "protocol process procedure runbook playbook policy checklist "
	 "guideline standard practice library tooling pipeline workflow "
	 "review approval sop instructions documentation"},
	{CL_EVAL,
	 "wrong bad mistake better worse should obvious obviously evident "
	 "predictable foreseeable avoidable preventable poor risky unwise "
	 "right call decision choice idea signs fault misstep sensible naive "
	 "optimistic premature unnecessary inevitable clearly careless "
	 "reckless mistakes flags apparent too ignored missed lesson "
	 "lessons failed overlooked"},
	{CL_OUTCOME | CL_NOUN,
	 "failure outage incident outcome result consequence disaster crash "
	 "breach loss collapse meltdown downtime"},
	{CL_MENTION,
	 "label labels labelled labeled term terms word words phrase phrases "
	 "expression wording called so-called say saying says write writing "
	 "wrote use using avoid avoids avoiding ban banned replace replaced "
	 "replacing flag flags flagged like heading headings title field "
	 "column tag category keyword name named phrasing vocabulary jargon "
	 "e.g eg i.e ie namely call calls calling about"},
	{CL_EVID,
	 "showed indicated pointed signaled signalled warned suggested "
	 "demonstrated revealed flagged visible"},
	{CL_TECH,
	 "loading load loaded loads evaluation eval evaluated initialization "
	 "initialisation init initialized initialised instantiation binding "
	 "import imports fetch fetching fetched iterator iteration sequence "
	 "deletion allocation val static mode expiration expiry migration "
	 "propagation hydration compilation parsing computation consensus "
	 "replication writes writer reads copy cloning resolution caching "
	 "validation connection connections ack evaluator instantiated "
	 "property properties list lists stream streams"},
	{CL_HABIT,
	 "regularly routinely usually often typically always normally "
	 "generally frequently commonly sometimes periodically occasionally "
	 "daily weekly nightly hourly"},
	{CL_AUTO,
	 "automatically automated automation autonomously programmatically "
	 "auto automatic"},
	{CL_SYSCAUSE,
	 "bug bugs crash crashes timeout timeouts limit limits fault faults "
	 "failure failures outage error errors race condition deadlock "
	 "overload leak exception panic defect regression glitch malfunction "
	 "loop issue issues problem problems"},
	{CL_PARTICLE,
	 "on off out back blank open up down over behind enabled disabled "
	 "running unattended empty unchanged unset unlocked in"},
	{CL_ADJSTATE,
	 "available aware public possible visible clear worse better "
	 "read-only idle redundant permanent obsolete unavailable accessible "
	 "active inactive default responsible harder easier sure ready "
	 "private unusable"},
	{CL_ABBR,
	 "e.g i.e vs mr mrs ms dr st jr sr approx inc ltd fig a.m p.m u.s u.k "
	 "cf al corp dept no est"},
	{CL_NOTPP,
	 "need feed seed speed deed bleed breed embed proceed exceed succeed "
	 "indeed bed red hundred sacred naked wicked wretched rugged ragged "
	 "kindred hatred shred sled weed greed steed creed reed tweed bred "
	 "shed"},
	{CL_URL, "http https www"},
	{CL_CONSEQ, "causing leading resulting triggering forcing prompting"},
	{CL_JUDGED,
	 "wrong incorrect incorrectly erroneous erroneously untested "
	 "unreviewed unapproved unvetted unverified unannounced typo typos "
	 "mistake mistakes accidentally accidental inadvertently inadvertent "
	 "mistakenly unintentionally unintentional improperly prematurely "
	 "hastily haste hasty rushed manual manually wrongly despite "
	 "contrary simultaneously "
	 "carelessly mistaken faulty bad unmerged unpatched outdated "
	 "stale"},
	{CL_HARM,
	 "causing caused leading led lead resulting resulted triggering "
	 "triggered"},
	{CL_HARM | CL_NOUN, "outage downtime incident disruption"},
	{CL_JUDGEV | CL_OPV,
	 "skipped bypassed overlooked ignored neglected forgotten "
	 "misconfigured mislabeled mislabelled mistyped misdiagnosed "
	 "misread misinterpreted misapplied misjudged misrouted "
	 "misunderstood rushed circumvented hardcoded hard-coded dismissed "
	 "disregarded"},
	{CL_FOLLOW, "after following since"},
	{CL_SECRET,
	 "key keys secret secrets credential credentials token tokens "
	 "password passwords"},
	{CL_ENV,
	 "staging stage test testing dev development sandbox qa production "
	 "prod live"},
	{CL_WRITEUP,
	 "form report template postmortem post-mortem write-up writeup "
	 "retrospective"},
	{CL_FOLLOWN,
	 "audit review investigation postmortem post-mortem retrospective"},
	{CL_ASK,
	 "check checked checking see saw seen know knew known determine "
	 "determined determining ask asked asking verify verified verifying "
	 "unclear unknown sure wonder wondered investigate investigated "
	 "investigating confirm confirmed confirming tell test tested "
	 "testing whether"},
	{CL_BADRES,
	 "failed broke crashed collapsed exploded happened died overflowed "
	 "fell went blew slowed stalled"},
	{CL_COG,
	 "known realised realized noticed seen predicted foreseen anticipated "
	 "understood recognised recognized asked checked verified escalated "
	 "waited followed read looked spotted caught considered tested "
	 "reviewed questioned communicated notified told warned paused "
	 "stopped double-checked"},
};

/* lex_add inserts w (or ORs classes into an existing entry; an id is set
 * only once). */
static void lex_add(const char *w, size_t n, uint16_t id, uint64_t cls)
{
	struct lex_key k;
	uint32_t slot;
	unsigned e;

	if (n == 0 || n > LEX_KEY_MAX)
		return;
	k = lex_key_copy(w, n);
	e = lex_probe(&k, &slot);
	if (e) {
		lex_entries[e].cls |= cls;
		if (!lex_entries[e].id)
			lex_entries[e].id = id;
		return;
	}
	if (nlex + 1 >= LEX_MAX)
		return; /* cannot happen with the lists above */
	nlex++;
	lex_entries[nlex].lo = k.lo;
	lex_entries[nlex].hi = k.hi;
	lex_entries[nlex].len = (uint16_t)k.len;
	lex_entries[nlex].id = id;
	lex_entries[nlex].cls = cls;
	lex_slot[slot] = (lex_key_hash(&k) >> 16) << 16 | (uint32_t)nlex;
}

/* The classes a plural inherits from its singular noun. */
#define NOUN_CLASSES                                                          \
	(CL_TRIG | CL_NOUN | CL_PERSON | CL_IMPACTED | CL_SYSTEM | CL_REMED | \
	 CL_HACT | CL_PROC | CL_OUTCOME | CL_EVAL | CL_SYSCAUSE)

/* plural_of_noun: when e is "<noun>s" or "<noun>es" of a CL_NOUN word, it
 * gets that word's id and noun classes. */
static void plural_of_noun(struct lex_entry *e)
{
	char w[LEX_KEY_MAX + 1];
	size_t n = e->len;

	if (n < 4 || e->id)
		return;
	memcpy(w, &e->lo, 8);
	memcpy(w + 8, &e->hi, 8);
	if (w[n - 1] != 's' || w[n - 2] == 's' || w[n - 2] == '\'')
		return;
	for (size_t cut = 1; cut <= 2; cut++) {
		struct lex_key k = lex_key_copy(w, n - cut);
		uint32_t slot;
		unsigned b;

		if (cut == 2 && w[n - 2] != 'e')
			break;
		b = lex_probe(&k, &slot);
		if (b && (lex_entries[b].cls & CL_NOUN)) {
			e->id = lex_entries[b].id;
			e->cls |= (lex_entries[b].cls & NOUN_CLASSES) |
				  CL_PLURAL;
			return;
		}
	}
}

/* add_list inserts the words of class list i. */
static void add_list(size_t i)
{
	const char *p = lex_classes[i].words;

	while (*p) {
		size_t n = strcspn(p, " ");

		lex_add(p, n, W_NONE, lex_classes[i].cls);
		p += n;
		while (*p == ' ')
			p++;
	}
}

/* Function words are the most frequent lookups: their entries go first,
 * together in the cache. */
#define FUNCTION_WORDS                                                       \
	(CL_DET | CL_PREP | CL_CONJ | CL_SUBORD | CL_REL | CL_BE | CL_HAVE | \
	 CL_DO | CL_MODAL | CL_NEG | CL_ADV | CL_PRON_P | CL_PRON_T)

static void lex_build(void)
{
	size_t nl = sizeof lex_classes / sizeof lex_classes[0];

	for (size_t i = 0; i < nl; i++)
		if (lex_classes[i].cls & FUNCTION_WORDS)
			add_list(i);
	for (size_t i = 0; i < nl; i++)
		if (!(lex_classes[i].cls & FUNCTION_WORDS))
			add_list(i);
	for (size_t i = 0; i < sizeof lex_words / sizeof lex_words[0]; i++)
		lex_add(lex_words[i].w, strlen(lex_words[i].w),
			(uint16_t)(i + 1), lex_words[i].cls);
	/* passives are checked from their participle */
	for (int i = 1; i <= nlex; i++)
		if (lex_entries[i].cls & CL_OPV)
			lex_entries[i].cls |= CL_TRIG;
	/* a listed plural ("errors" as a system cause) is still the plural
	 * of its noun ("human errors") */
	for (int i = 1; i <= nlex; i++)
		plural_of_noun(&lex_entries[i]);
	/* the short words' table (lint_lex_find), once the entries are
	 * final */
	for (int i = 1; i <= nlex; i++) {
		uint32_t h;

		if (lex_entries[i].len > 8)
			continue;
		for (h = lex_short_hash(lex_entries[i].lo); lex_short[h].key;
		     h = (h + 1) & (LEX_SHORT_SLOTS - 1))
			;
		lex_short[h].key = lex_entries[i].lo;
		lex_short[h].cls = lex_entries[i].cls;
		lex_short_id[h] = lex_entries[i].id;
	}
	/* the rules' word lists (tk_text_in) */
	lint_wsets_build();
}

void lint_lex_init(void)
{
	pthread_once(&lex_once, lex_build);
}

struct lex_key lex_key_copy(const char *w, size_t n)
{
	unsigned char b[16] = {0};
	struct lex_key k;

	memcpy(b, w, n > 16 ? 16 : n);
	memcpy(&k.lo, b, 8);
	memcpy(&k.hi, b + 8, 8);
	k.lo = (k.lo | LEX_LOWER) & lex_mask_lo[n];
	k.hi = (k.hi | LEX_LOWER) & lex_mask_hi[n];
	k.len = (uint32_t)n;
	return k;
}
