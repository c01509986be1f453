/* lint_words.h: word ids and word classes of the lint lexicon. Words that
 * rules test one by one get an id (W_*) here; the big class lists (people,
 * prepositions, participles, ...) live in lint_lex.c. A word may have an
 * id and several classes. */
#ifndef DEBRIEF_LINT_WORDS_H
#define DEBRIEF_LINT_WORDS_H

#include <stdint.h>

#define CL(n)	    ((uint64_t)1 << (n))
#define CL_TRIG	    CL(0)  /* starts a rule check */
#define CL_DET	    CL(1)  /* a, the, this, its, ... */
#define CL_PREP	    CL(2)  /* of, in, on, at, by, to, ... */
#define CL_CONJ	    CL(3)  /* and, or, but */
#define CL_SUBORD   CL(4)  /* when, while, because, if, ... */
#define CL_REL	    CL(5)  /* who, which, that */
#define CL_BE	    CL(6)  /* is, was, were, been, ... */
#define CL_HAVE	    CL(7)  /* has, have, had */
#define CL_DO	    CL(8)  /* do, does, did */
#define CL_MODAL    CL(9)  /* can, could, should, ... */
#define CL_NEG	    CL(10) /* not, never, didn't ... */
#define CL_ADV	    CL(11) /* adverbs not ending in -ly */
#define CL_PRON_P   CL(12) /* pronouns for people: we, they, someone */
#define CL_PRON_T   CL(13) /* pronouns for things: it, this */
#define CL_PERSON   CL(14) /* nouns for people, teams, organisations */
#define CL_PP	    CL(15) /* irregular past participle */
#define CL_PAST	    CL(16) /* irregular past tense */
#define CL_OPV	    CL(17) /* operational action (participle) */
#define CL_REMED    CL(18) /* remediation noun: fix, revert, mitigation */
#define CL_HACT	    CL(19) /* noun for a human action: deletion, keystroke */
#define CL_HPROC    CL(20) /* verb of a human duty: notify, escalate */
#define CL_EPI	    CL(21) /* participle of exposure or uncertainty */
#define CL_OPTION   CL(22) /* participle of option reasoning: meant */
#define CL_COMM	    CL(23) /* communication: state, label, document */
#define CL_TIME	    CL(24) /* time words: noon, monday, january, utc */
#define CL_BADADJ   CL(25) /* offending, malicious, faulty */
#define CL_PROC	    CL(26) /* procedure nouns: protocol, runbook */
#define CL_RESP	    CL(27) /* response participle: restarted, reverted */
#define CL_NOUN	    CL(28) /* noun: the plural -s form inherits it */
#define CL_NOTADV   CL(29) /* ends in -ly but is no adverb: apply */
#define CL_ABBR	    CL(30) /* abbreviation before a full stop */
#define CL_SYSTEM   CL(31) /* explicitly a thing although person-like */
#define CL_COG	    CL(32) /* participle of knowing or attending */
#define CL_EVAL	    CL(33) /* evaluative word: wrong, mistake, better */
#define CL_OUTCOME  CL(34) /* failure, outage, incident, outcome */
#define CL_MENTION  CL(35) /* label, term, word, called */
#define CL_EVID	    CL(36) /* showed, indicated, pointed */
#define CL_TECH	    CL(38) /* loading, evaluation: after "lazy" */
#define CL_HABIT    CL(39) /* regularly, routinely, usually */
#define CL_AUTO	    CL(40) /* automatically, automated, automation */
#define CL_BADRES   CL(41) /* failed, broke, crashed: outcome verbs */
#define CL_REMEDV   CL(42) /* remediation verb (base): resolve, mitigate */
#define CL_SYSCAUSE CL(43) /* bug, crash, timeout: system causes */
#define CL_PARTICLE CL(44) /* on, off, out, back, blank, open */
#define CL_ADJSTATE CL(45) /* available, aware, public: "made X" */
#define CL_IMPACTED CL(46) /* users, customers: people the outage hit */
#define CL_NOTPP    CL(47) /* ends in -ed but is no participle: need */
#define CL_ASK	    CL(48) /* checked, know, unclear: "checked if" */
#define CL_URL	    CL(49) /* http, https, www: a URL may start here */
#define CL_PLURAL   CL(50) /* the plural of a CL_NOUN word (errors) */
#define CL_CONSEQ   CL(51) /* causing, leading, resulting: a consequence */
#define CL_FOLLOW   CL(52) /* after, following, since */
#define CL_WRITEUP  CL(53) /* form, report, postmortem: the write-up itself */
#define CL_FOLLOWN  CL(54) /* audit, review, investigation: a follow-up */
#define CL_JUDGED   CL(55) /* wrong, untested, accidentally: the action judged */
#define CL_HARM	    CL(56) /* causing, outage, downtime: tied to the harm */
#define CL_JUDGEV   CL(57) /* skipped, overlooked, misread: judging verbs */
#define CL_PAUX	    CL(58) /* was, were, been: passives outside the verb list */
#define CL_ENV	    CL(59) /* staging, test, production: environments */
#define CL_SECRET   CL(60) /* key, secret, token, password */

/* X(ID, "word", classes) */
#define LINT_WORD_LIST(X)                                      \
	X(SHOULD, "should", CL_MODAL | CL_TRIG)                \
	X(COULD, "could", CL_MODAL | CL_TRIG)                  \
	X(WOULD, "would", CL_MODAL | CL_TRIG)                  \
	X(MIGHT, "might", CL_MODAL | CL_TRIG)                  \
	X(MUST, "must", CL_MODAL)                              \
	X(MAY, "may", CL_MODAL)                                \
	X(SHOULDVE, "should've", CL_MODAL | CL_TRIG)           \
	X(COULDVE, "could've", CL_MODAL | CL_TRIG)             \
	X(WOULDVE, "would've", CL_MODAL | CL_TRIG)             \
	X(MIGHTVE, "might've", CL_MODAL | CL_TRIG)             \
	X(SHOULDNT, "shouldn't", CL_MODAL | CL_NEG | CL_TRIG)  \
	X(COULDNT, "couldn't", CL_MODAL | CL_NEG)              \
	X(WOULDNT, "wouldn't", CL_MODAL | CL_NEG | CL_TRIG)    \
	X(HAVE, "have", CL_HAVE)                               \
	X(HAS, "has", CL_HAVE)                                 \
	X(HAD, "had", CL_HAVE | CL_TRIG)                       \
	X(HADNT, "hadn't", CL_HAVE | CL_NEG)                   \
	X(IF, "if", CL_SUBORD | CL_TRIG)                       \
	X(ONLY, "only", CL_ADV)                                \
	X(WHETHER, "whether", CL_SUBORD)                       \
	X(FAILED, "failed", CL_TRIG | CL_BADRES)               \
	X(FAILING, "failing", CL_TRIG)                         \
	X(FAIL, "fail", CL_TRIG)                               \
	X(FAILS, "fails", CL_TRIG)                             \
	X(FAILURE, "failure", CL_TRIG | CL_OUTCOME | CL_NOUN)  \
	X(NEGLECTED, "neglected", CL_TRIG | CL_OPV)            \
	X(OMITTED, "omitted", CL_TRIG)                         \
	X(MISSED, "missed", CL_TRIG)                           \
	X(INSTEAD, "instead", CL_TRIG)                         \
	X(RATHER, "rather", CL_TRIG)                           \
	X(OF, "of", CL_PREP)                                   \
	X(THAN, "than", 0)                                     \
	X(TO, "to", CL_PREP)                                   \
	X(NOT, "not", CL_NEG)                                  \
	X(NEVER, "never", CL_NEG)                              \
	X(BEEN, "been", CL_BE | CL_PAUX)                                 \
	X(BE, "be", CL_BE)                                     \
	X(BEING, "being", CL_BE)                               \
	X(WAS, "was", CL_BE | CL_PAUX)                                   \
	X(WERE, "were", CL_BE | CL_PAUX)                                 \
	X(IS, "is", CL_BE)                                     \
	X(ARE, "are", CL_BE)                                   \
	X(GOT, "got", CL_PAST | CL_PP)                         \
	X(GOTTEN, "gotten", CL_PP)                             \
	X(GET, "get", 0)                                       \
	X(BY, "by", CL_PREP)                                   \
	X(DUE, "due", 0)                                       \
	X(BECAUSE, "because", CL_SUBORD)                       \
	X(AS, "as", CL_SUBORD)                                 \
	X(AND, "and", CL_CONJ)                                 \
	X(OR, "or", CL_CONJ)                                   \
	X(BUT, "but", CL_CONJ)                                 \
	X(THEN, "then", CL_ADV)                                \
	X(WHO, "who", CL_REL | CL_PRON_P)                      \
	X(WHICH, "which", CL_REL | CL_PRON_T)                  \
	X(THAT, "that", CL_REL | CL_DET | CL_PRON_T)           \
	X(IT, "it", CL_PRON_T)                                 \
	X(THIS, "this", CL_DET | CL_PRON_T)                    \
	X(A, "a", CL_DET)                                      \
	X(AN, "an", CL_DET)                                    \
	X(THE, "the", CL_DET)                                  \
	X(ITS, "its", CL_DET)                                  \
	X(THEIR, "their", CL_DET)                              \
	X(ROOT, "root", CL_TRIG)                               \
	X(ROOTS, "roots", CL_TRIG)                             \
	X(ROOT_CAUSE, "root-cause", CL_TRIG)                   \
	X(ROOT_CAUSES, "root-causes", CL_TRIG)                 \
	X(ROOT_CAUSED, "root-caused", CL_TRIG)                 \
	X(ROOT_CAUSING, "root-causing", CL_TRIG)               \
	X(ROOTCAUSE, "rootcause", CL_TRIG)                     \
	X(RCA, "rca", CL_TRIG)                                 \
	X(RCAS, "rcas", CL_TRIG)                               \
	X(CAUSE, "cause", CL_TRIG | CL_NOUN)                   \
	X(CAUSED, "caused", CL_EPI | CL_OPTION)                \
	X(ANALYSIS, "analysis", 0)                             \
	X(ANALYSES, "analyses", 0)                             \
	X(HUMAN, "human", CL_TRIG)                             \
	X(HUMAN_ERROR, "human-error", CL_TRIG)                 \
	X(ERROR, "error", CL_TRIG | CL_NOUN)                   \
	X(OPERATIONAL, "operational", 0)                       \
	X(MANUAL, "manual", 0)                                 \
	X(USER, "user", CL_PERSON | CL_NOUN)                   \
	X(CUSTOMER, "customer", CL_PERSON | CL_NOUN)           \
	X(MEMBER, "member", CL_PERSON | CL_NOUN)               \
	X(CONFIGURATION, "configuration", 0)                   \
	X(CONFIG, "config", 0)                                 \
	X(MADE, "made", CL_PP | CL_PAST | CL_OPV)              \
	X(MAKE, "make", 0)                                     \
	X(MAKING, "making", 0)                                 \
	X(COMMITTED, "committed", CL_OPV)                           \
	X(INTRODUCED, "introduced", CL_OPV)                    \
	X(MISTAKE, "mistake", CL_TRIG | CL_NOUN | CL_EVAL)     \
	X(MISTAKEN, "mistaken", CL_TRIG)                       \
	X(MISTAKENLY, "mistakenly", CL_TRIG)                   \
	X(SLIP, "slip", CL_TRIG | CL_NOUN)                     \
	X(LAPSE, "lapse", CL_TRIG | CL_NOUN)                   \
	X(DISTRACTED, "distracted", CL_TRIG)                   \
	X(DISTRACTION, "distraction", CL_TRIG | CL_NOUN)       \
	X(OVERSIGHT, "oversight", CL_TRIG | CL_NOUN)           \
	X(MISJUDGEMENT, "misjudgement", CL_TRIG | CL_NOUN)     \
	X(MISJUDGMENT, "misjudgment", CL_TRIG | CL_NOUN)       \
	X(MISJUDGED, "misjudged", CL_TRIG)                     \
	X(VIOLATION, "violation", CL_TRIG | CL_NOUN)           \
	X(TYPO, "typo", CL_TRIG | CL_NOUN)                     \
	X(MISCLICK, "misclick", CL_TRIG | CL_NOUN)             \
	X(MIS_CLICK, "mis-click", CL_TRIG | CL_NOUN)           \
	X(MISCLICKED, "misclicked", CL_TRIG)                   \
	X(FORESIGHT, "foresight", CL_TRIG | CL_NOUN)           \
	X(FAT, "fat", CL_TRIG)                                 \
	X(FAT_FINGER, "fat-finger", CL_TRIG | CL_NOUN)         \
	X(FAT_FINGERED, "fat-fingered", CL_TRIG)               \
	X(FAT_FINGERING, "fat-fingering", CL_TRIG)             \
	X(FINGER, "finger", 0)                                 \
	X(FINGERED, "fingered", 0)                             \
	X(FORGOT, "forgot", CL_TRIG)                           \
	X(FORGOTTEN, "forgotten", CL_TRIG | CL_OPV)            \
	X(FORGETTING, "forgetting", CL_TRIG)                   \
	X(CARELESSNESS, "carelessness", CL_TRIG)               \
	X(NEGLIGENCE, "negligence", CL_TRIG)                   \
	X(RECKLESSNESS, "recklessness", CL_TRIG)               \
	X(INCOMPETENCE, "incompetence", CL_TRIG)               \
	X(SLOPPINESS, "sloppiness", CL_TRIG)                   \
	X(LAZINESS, "laziness", CL_TRIG)                       \
	X(INATTENTION, "inattention", CL_TRIG)                 \
	X(BLUNDER, "blunder", CL_TRIG | CL_NOUN)               \
	X(ACCIDENTALLY, "accidentally", CL_TRIG)               \
	X(ACCIDENTAL, "accidental", CL_TRIG)                   \
	X(INADVERTENTLY, "inadvertently", CL_TRIG)             \
	X(INADVERTENT, "inadvertent", CL_TRIG)                 \
	X(UNINTENTIONALLY, "unintentionally", CL_TRIG)         \
	X(UNINTENTIONAL, "unintentional", CL_TRIG)             \
	X(ERRONEOUSLY, "erroneously", CL_TRIG)                 \
	X(ACCIDENT, "accident", CL_TRIG | CL_NOUN)             \
	X(OVERLOOKED, "overlooked", CL_TRIG | CL_OPV)          \
	X(PROCEDURAL, "procedural", 0)                         \
	X(IN, "in", CL_PREP)                                   \
	X(OBVIOUS, "obvious", CL_TRIG | CL_EVAL)               \
	X(OBVIOUSLY, "obviously", CL_TRIG | CL_EVAL)           \
	X(CLEARLY, "clearly", CL_TRIG)                         \
	X(CLEAR, "clear", 0)                                   \
	X(EVIDENT, "evident", CL_EVAL)                         \
	X(APPARENT, "apparent", 0)                             \
	X(PREDICTABLE, "predictable", CL_TRIG | CL_EVAL)       \
	X(FORESEEABLE, "foreseeable", CL_TRIG | CL_EVAL)       \
	X(PREVENTABLE, "preventable", CL_TRIG | CL_EVAL)       \
	X(AVOIDABLE, "avoidable", CL_TRIG | CL_EVAL)           \
	X(INEVITABLE, "inevitable", CL_TRIG | CL_EVAL)         \
	X(PREDICTABLY, "predictably", CL_TRIG | CL_EVAL)       \
	X(INEVITABLY, "inevitably", CL_TRIG | CL_EVAL)         \
	X(UNSURPRISINGLY, "unsurprisingly", CL_TRIG | CL_EVAL) \
	X(MATTER, "matter", CL_TRIG)                           \
	X(TIME, "time", CL_NOUN)                               \
	X(BOUND, "bound", CL_TRIG)                             \
	X(HINDSIGHT, "hindsight", CL_TRIG)                     \
	X(RETROSPECT, "retrospect", CL_TRIG)                   \
	X(LOOKING, "looking", CL_TRIG)                         \
	X(BACK, "back", CL_PARTICLE)                           \
	X(COURSE, "course", CL_TRIG)                           \
	X(WRONG, "wrong", CL_TRIG | CL_EVAL)                   \
	X(BAD, "bad", CL_TRIG | CL_EVAL | CL_BADADJ)           \
	X(POOR, "poor", CL_TRIG | CL_EVAL)                     \
	X(CALL, "call", CL_NOUN)                               \
	X(DECISION, "decision", CL_NOUN)                       \
	X(CHOICE, "choice", CL_NOUN)                           \
	X(IDEA, "idea", CL_NOUN)                               \
	X(SIGNS, "signs", CL_TRIG)                             \
	X(DISASTER, "disaster", CL_TRIG | CL_NOUN)             \
	X(ALWAYS, "always", CL_TRIG)                           \
	X(EASY, "easy", CL_TRIG)                               \
	X(PLAIN, "plain", CL_TRIG)                             \
	X(SURPRISE, "surprise", CL_TRIG | CL_NOUN)             \
	X(SURPRISING, "surprising", CL_TRIG)                   \
	X(SURPRISED, "surprised", CL_TRIG)                     \
	X(SIGNALS, "signals", CL_TRIG)                         \
	X(FLAGS, "flags", CL_TRIG)                             \
	X(THERE, "there", 0)                                   \
	X(ALL, "all", 0)                                       \
	X(WAITING, "waiting", 0)                               \
	X(HAPPEN, "happen", 0)                                 \
	X(WRITING, "writing", CL_TRIG)                         \
	X(WALL, "wall", 0)                                     \
	X(COMING, "coming", CL_TRIG)                           \
	X(ANYONE, "anyone", CL_PRON_P | CL_TRIG)               \
	X(ANYBODY, "anybody", CL_PRON_P | CL_TRIG)             \
	X(SEEN, "seen", CL_PP | CL_COG | CL_EPI)               \
	X(KNOWN, "known", CL_PP | CL_COG)                      \
	X(PREDICTED, "predicted", CL_COG)                      \
	X(FORESEEN, "foreseen", CL_PP | CL_COG)                \
	X(ANTICIPATED, "anticipated", CL_COG)                  \
	X(REALIZED, "realized", CL_COG)                        \
	X(REALISED, "realised", CL_COG)                        \
	X(MORE, "more", 0)                                     \
	X(LESS, "less", 0)                                     \
	X(NO, "no", CL_DET)                                    \
	X(NOTHING, "nothing", 0)                               \
	X(WITHOUT, "without", CL_PREP)                         \
	X(OUTAGE, "outage", CL_OUTCOME | CL_NOUN)              \
	X(EASILY, "easily", 0)                                 \
	X(CARELESS, "careless", CL_TRIG)                       \
	X(CARELESSLY, "carelessly", CL_TRIG)                   \
	X(SLOPPY, "sloppy", CL_TRIG)                           \
	X(SLOPPILY, "sloppily", CL_TRIG)                       \
	X(INCOMPETENT, "incompetent", CL_TRIG)                 \
	X(INCOMPETENTLY, "incompetently", CL_TRIG)             \
	X(LAZY, "lazy", CL_TRIG)                               \
	X(LAZILY, "lazily", CL_TRIG)                           \
	X(NEGLIGENT, "negligent", CL_TRIG)                     \
	X(NEGLIGENTLY, "negligently", CL_TRIG)                 \
	X(IRRESPONSIBLE, "irresponsible", CL_TRIG)             \
	X(IRRESPONSIBLY, "irresponsibly", CL_TRIG)             \
	X(RECKLESS, "reckless", CL_TRIG)                       \
	X(RECKLESSLY, "recklessly", CL_TRIG)                   \
	X(BOTHER, "bother", CL_TRIG)                           \
	X(BOTHERED, "bothered", CL_TRIG)                       \
	X(BOTHERING, "bothering", CL_TRIG)                     \
	X(IGNORED, "ignored", CL_TRIG | CL_OPV)                \
	X(RUBBER_STAMPED, "rubber-stamped", CL_TRIG)           \
	X(RUBBER_STAMP, "rubber-stamp", CL_TRIG)               \
	X(RUBBER_STAMPING, "rubber-stamping", CL_TRIG)         \
	X(RUBBER, "rubber", CL_TRIG)                           \
	X(ROOKIE, "rookie", CL_TRIG | CL_NOUN)                 \
	X(CUT, "cut", CL_TRIG | CL_PP | CL_PAST)               \
	X(CUTTING, "cutting", CL_TRIG)                         \
	X(CORNER_CUTTING, "corner-cutting", CL_TRIG)           \
	X(CORNERS, "corners", 0)                               \
	X(HASTE, "haste", CL_TRIG)                             \
	X(HASTILY, "hastily", CL_TRIG)                         \
	X(HASTY, "hasty", CL_TRIG)                             \
	X(RUSHED, "rushed", CL_TRIG | CL_OPV)                  \
	X(DILIGENCE, "diligence", CL_TRIG)                     \
	X(POORLY, "poorly", CL_TRIG)                           \
	X(BADLY, "badly", CL_TRIG)                             \
	X(COLLECTIVELY, "collectively", 0)                     \
	X(STUPID, "stupid", CL_TRIG)                           \
	X(DUMB, "dumb", CL_TRIG)                               \
	X(FOOLISH, "foolish", CL_TRIG)                         \
	X(IDIOTIC, "idiotic", CL_TRIG)                         \
	X(CLUELESS, "clueless", CL_TRIG)                       \
	X(INEPT, "inept", CL_TRIG)                             \
	X(AMATEURISH, "amateurish", CL_TRIG)                   \
	X(UNPROFESSIONAL, "unprofessional", CL_TRIG)           \
	X(SHODDY, "shoddy", CL_TRIG)                           \
	X(SLAPDASH, "slapdash", CL_TRIG)                       \
	X(LACKADAISICAL, "lackadaisical", CL_TRIG)             \
	X(HALF_BAKED, "half-baked", CL_TRIG)                   \
	X(THOUGHTLESS, "thoughtless", CL_TRIG)                 \
	X(THOUGHTLESSLY, "thoughtlessly", CL_TRIG)             \
	X(COMPLACENT, "complacent", CL_TRIG)                   \
	X(INATTENTIVE, "inattentive", CL_TRIG)                 \
	X(AUTOMATICALLY, "automatically", CL_AUTO)             \
	X(HAND, "hand", 0)                                     \
	X(LEFT, "left", CL_PP | CL_PAST | CL_OPV)              \
	X(SET, "set", CL_PP | CL_PAST | CL_OPV)                \
	X(TOO, "too", CL_ADV)                                  \
	X(DONE, "done", CL_PP | CL_OPV)                        \
	X(CONFIGURED, "configured", 0)                         \
	X(ITSELF, "itself", 0)                                 \
	X(THEMSELVES, "themselves", 0)                         \
	X(WHERE, "where", CL_SUBORD)                           \
	X(FOR, "for", CL_PREP)                                 \
	X(AFTER, "after", CL_PREP | CL_SUBORD)                 \
	X(ON, "on", CL_PREP | CL_PARTICLE)                     \
	X(AT, "at", CL_PREP)                                   \
	X(DURING, "during", CL_PREP)                           \
	X(WHILE, "while", CL_SUBORD)                           \
	X(WHEN, "when", CL_SUBORD)                             \
	X(AGAIN, "again", CL_ADV)                              \
	X(SUCH, "such", 0)                                     \
	X(LIKE, "like", CL_PREP | CL_MENTION)                  \
	X(SAID, "said", CL_PAST | CL_PP)                       \
	X(SIGNAL, "signal", 0)                                 \
	X(FIRST, "first", 0)                                   \
	X(HIGHER, "higher", 0)                                 \
	X(DEADLINE, "deadline", 0)                             \
	X(CULPRIT, "culprit", CL_TRIG | CL_NOUN)               \
	X(GIVEN, "given", CL_PP | CL_TRIG)

enum lint_word {
	W_NONE,
#define X(id, s, cl) W_##id,
	LINT_WORD_LIST(X)
#undef X
	W_COUNT
};

#endif
