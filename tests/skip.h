/*
 * tests/skip.h: a cmocka test that cannot run here skips, except under
 * CI=true, where a skip is a failure (a test that never runs proves
 * nothing; CI machines must have what the tests need).
 */
#ifndef CCHC_TESTS_SKIP_H
#define CCHC_TESTS_SKIP_H

#include <stdlib.h>
#include <string.h>

#define skip_unless_ci(why)                                                            \
	do {                                                                           \
		const char *ci_ = getenv("CI");                                        \
		if (ci_ && strcmp(ci_, "true") == 0)                                   \
			fail_msg("skipped under CI=true: %s", (why));                  \
		skip();                                                                \
	} while (0)

#endif
