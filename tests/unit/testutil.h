/* Common includes for the cmocka unit tests. */
#ifndef SALESPLAN_TESTUTIL_H
#define SALESPLAN_TESTUTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <math.h>
#include <string.h>
#include <stdio.h>
#include <stdlib.h>
#include <cmocka.h>

/* |a - b| <= tol * max(1, |b|): exact answers derived by hand. */
#define assert_close(a, b, tol) do { \
    double a_ = (a), b_ = (b); \
    double s_ = fabs(b_) > 1 ? fabs(b_) : 1; \
    if (!(fabs(a_ - b_) <= (tol) * s_)) \
        fail_msg("%s = %.17g, expected %.17g (tol %g)", #a, a_, b_, (double)(tol)); \
} while (0)

#endif
