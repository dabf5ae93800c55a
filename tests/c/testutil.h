/* Helpers shared by the cmocka tests of the C core. */
#ifndef NC_TESTUTIL_H
#define NC_TESTUTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#endif
