/* Parsed parameter values: the typed form every statement is turned into.
 *
 * Ownership: an sp_value owns its heap members (list, pairs, str, dist
 * pairs); sp_value_copy deep-copies and sp_value_free releases them.  A
 * zero-initialised sp_value of type SP_T_NONE holds nothing. */
#ifndef SALESPLAN_VALUE_H
#define SALESPLAN_VALUE_H

#include <stddef.h>
#include "salesplan/dist.h"

/* Bytes a currency sign may take, its NUL included: room for a word such
 * as "人民币" or "CHF " (the `currency` parameter refuses longer ones). */
#define SP_CURRENCY_MAX 32

/* Units say how a number is read back and printed. */
typedef enum {
    SP_U_NONE = 0,  /* plain number */
    SP_U_MONEY,     /* an amount of money: 900k, $1.2M, 1,200,000 */
    SP_U_PERCENT,   /* a fraction printed as a percentage: 20% <-> 0.20 */
    SP_U_MONTHS,    /* a number of months */
    SP_U_COUNT,     /* a whole number of people or things */
    SP_U_MULT       /* a multiplier: 1.5 (a percentage is also accepted) */
} sp_unit;

/* Kinds of value a parameter can hold. */
typedef enum {
    SP_T_NONE = 0,   /* unset / no value */
    SP_T_NUM,        /* a number (money, percent as fraction, ratio) in num */
    SP_T_INT,        /* a whole number in num */
    SP_T_MONTH,      /* a calendar month YYYY-MM in num as year*12 + (month-1) */
    SP_T_BOOL,       /* on/off in num (1/0) */
    SP_T_ENUM,       /* one word of the parameter's enumeration, index in num */
    SP_T_DIST,       /* a distribution in dist */
    SP_T_NUMLIST,    /* n numbers in list (seasonality, target, attrition) */
    SP_T_PAIRS,      /* n pairs in pairs: tiers, bonus_curve (x:y) */
    SP_T_HIRES,      /* n pairs month:count in pairs (x = month index, y = count) */
    SP_T_RAMP,       /* flag 0: n factors in list; flag 1: `linear N`, N in n */
    SP_T_POOL,       /* `RATE of ROLE`: num = rate, str = role id */
    SP_T_AWARD,      /* `K AMOUNT`: n = K, num = amount */
    SP_T_DRAW,       /* `N AMOUNT recoverable|nonrecoverable`: n = months
                        (-1 = all), num = amount, flag 1 = recoverable */
    SP_T_GUARANTEE,  /* `N AMOUNT`: n = months, num = amount */
    SP_T_REVENUE,    /* flag 0 `bookings`; flag 1 `ratable N`, N in n */
    SP_T_ROLE,       /* a role id in str (manages) */
    SP_T_STRING      /* free text in str (currency sign) */
} sp_type;

typedef struct {
    sp_type type;
    double num;
    int n;
    int flag;
    double *list;
    sp_pair *pairs;
    char *str;
    sp_dist dist;
} sp_value;

void sp_value_free(sp_value *v);
/* Deep copy; returns 0, or -1 when memory ran out (dst then holds nothing). */
int  sp_value_copy(sp_value *dst, const sp_value *src);
/* 1 when both hold the same value (deep compare). */
int  sp_value_equal(const sp_value *a, const sp_value *b);

#endif
