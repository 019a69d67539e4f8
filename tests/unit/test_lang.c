#include "testutil.h"
#include "salesplan/lang.h"
#include "salesplan/dist.h"

/* ---- helpers ---- */

static double num(const char *s)
{
    double x = -12345.678;
    int rc = sp_parse_number(s, &x, NULL);
    if (rc != 0)
        fail_msg("'%s' did not parse as a number", s);
    return x;
}

static void assert_tok(const sp_tokens *t, int i, const char *s, int line,
                       int col, int quoted)
{
    assert_true(i < t->n);
    assert_string_equal(t->v[i].s, s);
    assert_int_equal(t->v[i].line, line);
    assert_int_equal(t->v[i].col, col);
    assert_int_equal(t->v[i].quoted, quoted);
}

static void assert_contains(const char *hay, const char *needle)
{
    if (!strstr(hay, needle))
        fail_msg("'%s' does not contain '%s'", hay, needle);
}

/* Parses the value part of the one-statement text "set NAME VALUE...". */
static sp_status parse_set(const char *text, sp_type type, sp_unit unit,
                           sp_unit unit2, const char *enums, sp_value *out,
                           sp_error *err)
{
    sp_tokens t = {0};
    size_t pos = 0;
    int line = 1;

    assert_int_equal(sp_next_statement(text, &pos, &line, "f.plan", &t, err), 1);
    sp_status st = sp_parse_value(type, unit, unit2, enums, &t, 2, "f.plan",
                                  out, err);
    sp_tokens_free(&t);
    return st;
}

static void parse_ok(const char *text, sp_type type, sp_unit unit,
                     sp_unit unit2, const char *enums, sp_value *out)
{
    sp_error err = {0};
    sp_status st = parse_set(text, type, unit, unit2, enums, out, &err);
    if (st != SP_OK)
        fail_msg("'%s': %s", text, err.msg);
    assert_int_equal(out->type, type);
}

/* The whole message must match: place, expectation and what was found. */
static void parse_fails(const char *text, sp_type type, sp_unit unit,
                        sp_unit unit2, const char *enums, const char *msg)
{
    sp_value v;
    sp_error err = {0};
    assert_int_equal(parse_set(text, type, unit, unit2, enums, &v, &err),
                     SP_ERR_PARSE);
    assert_int_equal(err.status, SP_ERR_PARSE);
    assert_int_equal(v.type, SP_T_NONE);
    assert_null(v.list);
    assert_string_equal(err.msg, msg);
}

/* ---- numbers ---- */

static void test_number_forms(void **state)
{
    (void)state;
    assert_true(num("1,200,000") == 1200000.0);
    assert_true(num("900k") == 900000.0);
    assert_true(num("900K") == 900000.0);
    /* 1.2 * 1e6 and 1.1 * 1e3 are both off by one ulp in double
     * arithmetic; the parser must round once from the decimal text. */
    assert_true(num("1.2M") == 1200000.0);
    assert_true(num("1.1k") == 1100.0);
    assert_true(num("2B") == 2e9);
    assert_true(num("$5k") == 5000.0);
    assert_true(num("\xC2\xA5" "3,000") == 3000.0);      /* ¥3,000 */
    assert_true(num("\xE2\x82\xAC" "1.5k") == 1500.0);   /* €1.5k */
    assert_true(num("\xC2\xA3" "2M") == 2e6);            /* £2M */
    assert_true(num("-5") == -5.0);
    assert_true(num("+5") == 5.0);
    assert_true(num("-$5k") == -5000.0);
    assert_true(num("0.5") == 0.5);
    assert_true(num(".25") == 0.25);
    assert_true(num("1,234.5") == 1234.5);
    assert_true(num("12") == 12.0);
    assert_true(num("1e-07") == 1e-7);   /* the shortest form of tiny numbers */

    int pct = 0;
    double x;
    assert_int_equal(sp_parse_number("20%", &x, &pct), 0);
    assert_true(x == 0.2);
    assert_int_equal(pct, 1);
    assert_int_equal(sp_parse_number("20", &x, &pct), 0);
    assert_int_equal(pct, 0);
    assert_true(num("7%") == 0.07);       /* 7/100, not 7 * 0.01 = 0.07000000000000001 */
    assert_true(num("2.5%") == 0.025);
    assert_true(num("150%") == 1.5);
    assert_true(num("-30%") == -0.3);
}

/* 1.2m is 1.2M: months are written YYYY-MM, so m means nothing else. */
static void test_lowercase_million(void **state)
{
    (void)state;
    assert_true(num("1.2m") == 1200000);
    assert_true(num("1.2m") == num("1.2M"));
    assert_true(num("$3m") == 3000000);
}

/* A bare number above 1 on a percentage is refused with the two readings;
 * fractions, percentages and other units read as before. */
static void test_bare_percent(void **state)
{
    (void)state;
    sp_value v;
    parse_fails("set cap 250", SP_T_NUM, SP_U_PERCENT, SP_U_NONE, NULL,
                "f.plan:1:9: expected 250% or 25000% (a bare number above 1 "
                "is refused on a percentage: as a fraction 250 is 25000%), "
                "found '250'");
    parse_fails("set tiers 0:0 50:1", SP_T_PAIRS, SP_U_PERCENT, SP_U_MULT, NULL,
                "f.plan:1:15: expected 50% or 5000% (a bare number above 1 "
                "is refused on a percentage: as a fraction 50 is 5000%), "
                "found '50'");
    parse_ok("set cap 2.5%", SP_T_NUM, SP_U_PERCENT, SP_U_NONE, NULL, &v);
    assert_true(v.num == 0.025);
    parse_ok("set cap 0.5", SP_T_NUM, SP_U_PERCENT, SP_U_NONE, NULL, &v);
    assert_true(v.num == 0.5);
    parse_ok("set cap 1", SP_T_NUM, SP_U_PERCENT, SP_U_NONE, NULL, &v);
    assert_true(v.num == 1);
    sp_value_free(&v);
    parse_ok("set tiers 0%:0 50%:1 100%:1.5", SP_T_PAIRS, SP_U_PERCENT, SP_U_MULT,
             NULL, &v);
    sp_value_free(&v);
    parse_ok("set quota 250", SP_T_NUM, SP_U_MONEY, SP_U_NONE, NULL, &v);
    assert_true(v.num == 250);
}

static void test_number_rejections(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "", "k", "1.2.3", "12abc", "$", "%", "-", "1,20", "1,2345", "1234,567",
        ",100", "1,", "1.", "9OOk", "5 k", " 5", "5 ", "$-5", "1e",
        "k5", "1,000.5.5", "0x10", "nan", "inf", "1e999", "5%%", "++5",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        double x = 42.5;
        int pct = 7;
        if (sp_parse_number(bad[i], &x, &pct) != -1)
            fail_msg("'%s' was accepted", bad[i]);
        assert_true(x == 42.5);   /* untouched on failure */
        assert_int_equal(pct, 7);
    }
}

static void test_months(void **state)
{
    (void)state;
    int m = -1;
    char buf[8];

    /* 2027*12 + (3-1) = 24324 + 2 = 24326 */
    assert_int_equal(sp_parse_month("2027-03", &m), 0);
    assert_int_equal(m, 24326);
    sp_format_month(m, buf);
    assert_string_equal(buf, "2027-03");
    assert_int_equal(sp_parse_month("1900-01", &m), 0);
    assert_int_equal(m, 22800);
    assert_int_equal(sp_parse_month("2999-12", &m), 0);
    assert_int_equal(m, 2999 * 12 + 11);
    sp_format_month(m, buf);
    assert_string_equal(buf, "2999-12");

    static const char *const bad[] = {
        "2027-13", "2027-00", "1899-12", "3000-01", "2027-3", "27-03",
        "2027/03", "2027-03-01", "", "2027-0a", " 2027-03",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        m = 77;
        assert_int_equal(sp_parse_month(bad[i], &m), -1);
        assert_int_equal(m, 77);
    }
}

static void test_format_exact(void **state)
{
    (void)state;
    char buf[32];
    static const double xs[] = { 0.07, 1.0 / 3, 123456.789, 1e-7, 0.1 + 0.2,
                                 -2.5, 1200000, 5e20, 0 };
    for (size_t i = 0; i < sizeof xs / sizeof *xs; i++) {
        sp_format_exact(xs[i], buf);
        assert_true(strtod(buf, NULL) == xs[i]);
    }
    sp_format_exact(0.07, buf);
    assert_string_equal(buf, "0.07");
    sp_format_exact(1200000, buf);
    assert_string_equal(buf, "1200000");
    /* 0.1 + 0.2 is one ulp above 0.3, so it needs all 17 digits. */
    sp_format_exact(0.1 + 0.2, buf);
    assert_string_equal(buf, "0.30000000000000004");
}

static void test_edit_distance(void **state)
{
    (void)state;
    assert_int_equal(sp_edit_distance("lognorm", "lognormal"), 2);
    assert_int_equal(sp_edit_distance("kitten", "sitting"), 3);
    assert_int_equal(sp_edit_distance("", "abc"), 3);
    assert_int_equal(sp_edit_distance("abc", ""), 3);
    assert_int_equal(sp_edit_distance("quota", "quota"), 0);
    assert_int_equal(sp_edit_distance("ab", "ba"), 2);
}

/* ---- tokeniser ---- */

static void test_tokens_comments_and_positions(void **state)
{
    (void)state;
    const char *text = "# heading\n"
                       "\n"
                       "set ae.quota 900k   # a comment; not a split\n"
                       "  role  ae quota\n";
    sp_tokens t = {0};
    sp_error err = {0};
    size_t pos = 0;
    int line = 1;

    assert_int_equal(sp_next_statement(text, &pos, &line, "f", &t, &err), 1);
    assert_int_equal(t.n, 3);
    assert_tok(&t, 0, "set", 3, 1, 0);
    assert_tok(&t, 1, "ae.quota", 3, 5, 0);
    assert_tok(&t, 2, "900k", 3, 14, 0);
    assert_int_equal(line, 4);
    assert_int_equal(sp_next_statement(text, &pos, &line, "f", &t, &err), 1);
    assert_int_equal(t.n, 3);
    assert_tok(&t, 0, "role", 4, 3, 0);
    assert_tok(&t, 1, "ae", 4, 9, 0);
    assert_tok(&t, 2, "quota", 4, 12, 0);
    assert_int_equal(sp_next_statement(text, &pos, &line, "f", &t, &err), 0);
    assert_int_equal(t.n, 0);
    sp_tokens_free(&t);
}

static void test_tokens_quotes_and_semicolons(void **state)
{
    (void)state;
    /* cols: scenario 1-8, base 10-13, '"' 15, text 16-34, '"' 35, ';' 37,
     * role 39-42, x 44, "" at 46, ';' 48, say 50 */
    const char *text = "scenario base \"Base # not; comment\" ; role x \"\" ;"
                       "say \"a \\\"b\\\" c\\\\\"";
    sp_tokens t = {0};
    sp_error err = {0};
    size_t pos = 0;
    int line = 1;

    assert_int_equal(sp_next_statement(text, &pos, &line, "f", &t, &err), 1);
    assert_int_equal(t.n, 3);
    assert_tok(&t, 0, "scenario", 1, 1, 0);
    assert_tok(&t, 1, "base", 1, 10, 0);
    assert_tok(&t, 2, "Base # not; comment", 1, 15, 1);
    assert_int_equal(sp_next_statement(text, &pos, &line, "f", &t, &err), 1);
    assert_int_equal(t.n, 3);
    assert_tok(&t, 0, "role", 1, 39, 0);
    assert_tok(&t, 2, "", 1, 46, 1);
    assert_int_equal(sp_next_statement(text, &pos, &line, "f", &t, &err), 1);
    assert_int_equal(t.n, 2);
    assert_tok(&t, 0, "say", 1, 50, 0);
    assert_tok(&t, 1, "a \"b\" c\\", 1, 54, 1);
    assert_int_equal(sp_next_statement(text, &pos, &line, "f", &t, &err), 0);
    sp_tokens_free(&t);
}

static void test_tokens_parentheses(void **state)
{
    (void)state;
    const char *text = "set ae.attainment lognormal(mean=0.95, sd=0.30) ; "
                       "set x discrete(1:0.5; 2:0.5)\n";
    sp_tokens t = {0};
    sp_error err = {0};
    size_t pos = 0;
    int line = 1;

    assert_int_equal(sp_next_statement(text, &pos, &line, "f", &t, &err), 1);
    assert_int_equal(t.n, 3);
    /* "set " is 4 bytes and "ae.attainment " 14 more: col 19 */
    assert_tok(&t, 2, "lognormal(mean=0.95, sd=0.30)", 1, 19, 0);
    /* a ';' inside parentheses does not split the statement */
    assert_int_equal(sp_next_statement(text, &pos, &line, "f", &t, &err), 1);
    assert_int_equal(t.n, 3);
    assert_tok(&t, 2, "discrete(1:0.5; 2:0.5)", 1, 57, 0);
    assert_int_equal(sp_next_statement(text, &pos, &line, "f", &t, &err), 0);
    sp_tokens_free(&t);
}

static void test_tokens_continuation(void **state)
{
    (void)state;
    const char *text = "set target 11M \\\n"
                       "    14M 17M\n"
                       "set d normal(mean=1,\\  \n"
                       "  sd=2)\n"
                       "set x a\\b\n";
    sp_tokens t = {0};
    sp_error err = {0};
    size_t pos = 0;
    int line = 1;

    assert_int_equal(sp_next_statement(text, &pos, &line, "f", &t, &err), 1);
    assert_int_equal(t.n, 5);
    assert_tok(&t, 2, "11M", 1, 12, 0);
    assert_tok(&t, 3, "14M", 2, 5, 0);
    assert_tok(&t, 4, "17M", 2, 9, 0);
    assert_int_equal(line, 3);
    assert_int_equal(sp_next_statement(text, &pos, &line, "f", &t, &err), 1);
    assert_int_equal(t.n, 3);
    assert_tok(&t, 2, "normal(mean=1,  sd=2)", 3, 7, 0);
    /* a backslash that does not end its line is an ordinary character */
    assert_int_equal(sp_next_statement(text, &pos, &line, "f", &t, &err), 1);
    assert_tok(&t, 2, "a\\b", 5, 7, 0);
    assert_int_equal(sp_next_statement(text, &pos, &line, "f", &t, &err), 0);
    assert_int_equal(line, 6);
    sp_tokens_free(&t);
}

static void test_tokens_no_final_newline_and_blanks(void **state)
{
    (void)state;
    sp_tokens t = {0};
    sp_error err = {0};
    size_t pos = 0;
    int line = 1;

    assert_int_equal(sp_next_statement(" ;; \n\t\n# x\n", &pos, &line, "f", &t,
                                       &err), 0);
    assert_int_equal(line, 4);
    pos = 0;
    line = 1;
    assert_int_equal(sp_next_statement("run", &pos, &line, "f", &t, &err), 1);
    assert_int_equal(t.n, 1);
    assert_tok(&t, 0, "run", 1, 1, 0);
    assert_int_equal(sp_next_statement("run", &pos, &line, "f", &t, &err), 0);
    sp_tokens_free(&t);
}

static void test_tokens_unterminated(void **state)
{
    (void)state;
    const char *text = "set a 1\n"
                       "\n"
                       "role ae quota \"Account Exec\n"
                       "set b uniform(1,\n"
                       "set c 3\n";
    sp_tokens t = {0};
    sp_error err = {0};
    size_t pos = 0;
    int line = 1;

    assert_int_equal(sp_next_statement(text, &pos, &line, "plan.plan", &t,
                                       &err), 1);
    /* the quote opens at byte 15 of line 3: "role ae quota " is 14 bytes */
    assert_int_equal(sp_next_statement(text, &pos, &line, "plan.plan", &t,
                                       &err), -1);
    assert_int_equal(err.status, SP_ERR_PARSE);
    assert_string_equal(err.msg, "plan.plan:3:15: unterminated string: "
                        "expected a closing '\"'");
    assert_int_equal(t.n, 0);
    /* the reader resumes on the next line: the '(' is at byte 14 of line 4 */
    assert_int_equal(line, 4);
    assert_int_equal(sp_next_statement(text, &pos, &line, "plan.plan", &t,
                                       &err), -1);
    assert_string_equal(err.msg, "plan.plan:4:14: unterminated parenthesis: "
                        "expected a closing ')'");
    assert_int_equal(sp_next_statement(text, &pos, &line, "plan.plan", &t,
                                       &err), 1);
    assert_tok(&t, 2, "3", 5, 7, 0);
    sp_tokens_free(&t);
}

/* ---- values ---- */

static void test_value_scalars(void **state)
{
    (void)state;
    sp_value v;

    parse_ok("set ae.quota 900k", SP_T_NUM, SP_U_MONEY, SP_U_NONE, NULL, &v);
    assert_true(v.num == 900000.0);
    parse_ok("set ae.attrition 20%", SP_T_NUM, SP_U_PERCENT, SP_U_NONE, NULL, &v);
    assert_true(v.num == 0.2);
    parse_ok("set ae.attrition 0.2", SP_T_NUM, SP_U_PERCENT, SP_U_NONE, NULL, &v);
    assert_true(v.num == 0.2);
    parse_ok("set horizon 24", SP_T_INT, SP_U_MONTHS, SP_U_NONE, NULL, &v);
    assert_true(v.num == 24.0);
    parse_ok("set start 2027-01", SP_T_MONTH, SP_U_NONE, SP_U_NONE, NULL, &v);
    assert_true(v.num == 2027 * 12.0);
    parse_ok("set x.backfill off", SP_T_BOOL, SP_U_NONE, SP_U_NONE, NULL, &v);
    assert_true(v.num == 0);
    parse_ok("set x.backfill yes", SP_T_BOOL, SP_U_NONE, SP_U_NONE, NULL, &v);
    assert_true(v.num == 1);
    parse_ok("set x.productivity deals", SP_T_ENUM, SP_U_NONE, SP_U_NONE,
             "attainment|deals", &v);
    assert_true(v.num == 1);
    parse_ok("set mgr.manages ae_2", SP_T_ROLE, SP_U_NONE, SP_U_NONE, NULL, &v);
    assert_string_equal(v.str, "ae_2");
    sp_value_free(&v);
    parse_ok("set currency \"US $\"", SP_T_STRING, SP_U_NONE, SP_U_NONE, NULL, &v);
    assert_string_equal(v.str, "US $");
    sp_value_free(&v);
    parse_ok("set ae.attainment lognormal(mean=0.95, sd=0.30)", SP_T_DIST,
             SP_U_PERCENT, SP_U_NONE, NULL, &v);
    assert_int_equal(v.dist.kind, SP_D_LOGNORMAL);
    assert_true(v.dist.p[0] == 0.95 && v.dist.p[1] == 0.3);
    parse_ok("set ae.tenure 12", SP_T_DIST, SP_U_MONTHS, SP_U_NONE, NULL, &v);
    assert_int_equal(v.dist.kind, SP_D_FIXED);
    assert_true(v.dist.p[0] == 12);
    sp_value_free(&v);
}

static void test_value_lists_and_pairs(void **state)
{
    (void)state;
    sp_value v;

    parse_ok("set ae.attrition 35% 20%", SP_T_NUMLIST, SP_U_PERCENT, SP_U_NONE,
             NULL, &v);
    assert_int_equal(v.n, 2);
    assert_true(v.list[0] == 0.35 && v.list[1] == 0.2);
    sp_value_free(&v);
    parse_ok("set target 11M 14M", SP_T_NUMLIST, SP_U_MONEY, SP_U_NONE, NULL, &v);
    assert_int_equal(v.n, 2);
    assert_true(v.list[0] == 11e6 && v.list[1] == 14e6);
    sp_value_free(&v);
    parse_ok("set ae.tiers 0%:0 50%:1 100%:1.5 150%:2", SP_T_PAIRS,
             SP_U_PERCENT, SP_U_MULT, NULL, &v);
    assert_int_equal(v.n, 4);
    assert_true(v.pairs[1].x == 0.5 && v.pairs[1].y == 1);
    assert_true(v.pairs[2].x == 1.0 && v.pairs[2].y == 1.5);
    assert_true(v.pairs[3].x == 1.5 && v.pairs[3].y == 2);
    sp_value_free(&v);
    parse_ok("set ae.hires 2027-03:2 2027-06:2", SP_T_HIRES, SP_U_NONE,
             SP_U_COUNT, NULL, &v);
    assert_int_equal(v.n, 2);
    assert_true(v.pairs[0].x == 2027 * 12 + 2 && v.pairs[0].y == 2);
    assert_true(v.pairs[1].x == 2027 * 12 + 5 && v.pairs[1].y == 2);
    sp_value_free(&v);
}

static void test_value_special_forms(void **state)
{
    (void)state;
    sp_value v;

    parse_ok("set ae.ramp linear 5", SP_T_RAMP, SP_U_PERCENT, SP_U_NONE, NULL, &v);
    assert_int_equal(v.flag, 1);
    assert_int_equal(v.n, 5);
    assert_null(v.list);
    parse_ok("set ae.ramp 0% 25% 50% 75%", SP_T_RAMP, SP_U_PERCENT, SP_U_NONE,
             NULL, &v);
    assert_int_equal(v.flag, 0);
    assert_int_equal(v.n, 4);
    assert_true(v.list[0] == 0 && v.list[1] == 0.25 && v.list[3] == 0.75);
    sp_value_free(&v);

    parse_ok("set mgr.pool 2% of ae", SP_T_POOL, SP_U_PERCENT, SP_U_NONE, NULL, &v);
    assert_true(v.num == 0.02);
    assert_string_equal(v.str, "ae");
    sp_value_free(&v);
    parse_ok("set mgr.pool none", SP_T_POOL, SP_U_PERCENT, SP_U_NONE, NULL, &v);
    assert_true(v.num == 0);
    assert_null(v.str);

    parse_ok("set ae.draw 3 5k recoverable", SP_T_DRAW, SP_U_MONEY, SP_U_NONE,
             NULL, &v);
    assert_int_equal(v.n, 3);
    assert_true(v.num == 5000);
    assert_int_equal(v.flag, 1);
    parse_ok("set ae.draw all 2k nonrecoverable", SP_T_DRAW, SP_U_MONEY,
             SP_U_NONE, NULL, &v);
    assert_int_equal(v.n, -1);
    assert_true(v.num == 2000);
    assert_int_equal(v.flag, 0);
    parse_ok("set ae.draw none", SP_T_DRAW, SP_U_MONEY, SP_U_NONE, NULL, &v);
    assert_int_equal(v.n, 0);

    parse_ok("set ae.award 3 5k", SP_T_AWARD, SP_U_MONEY, SP_U_NONE, NULL, &v);
    assert_int_equal(v.n, 3);
    assert_true(v.num == 5000);
    parse_ok("set ae.award none", SP_T_AWARD, SP_U_MONEY, SP_U_NONE, NULL, &v);
    assert_int_equal(v.n, 0);
    parse_ok("set ae.guarantee 2 4k", SP_T_GUARANTEE, SP_U_MONEY, SP_U_NONE,
             NULL, &v);
    assert_int_equal(v.n, 2);
    assert_true(v.num == 4000);

    parse_ok("set revenue ratable 12", SP_T_REVENUE, SP_U_NONE, SP_U_NONE, NULL,
             &v);
    assert_int_equal(v.flag, 1);
    assert_int_equal(v.n, 12);
    parse_ok("set revenue bookings", SP_T_REVENUE, SP_U_NONE, SP_U_NONE, NULL, &v);
    assert_int_equal(v.flag, 0);
}

static void test_value_errors(void **state)
{
    (void)state;
    /* "set ae.quota " is 13 bytes, so the value starts at col 14 */
    parse_fails("set ae.quota 9OOk", SP_T_NUM, SP_U_MONEY, SP_U_NONE, NULL,
                "f.plan:1:14: expected a number (e.g. 900k, $1.2M, 1,200,000), "
                "found '9OOk'");
    parse_fails("set ae.base 50%", SP_T_NUM, SP_U_MONEY, SP_U_NONE, NULL,
                "f.plan:1:13: expected a number (e.g. 900k, $1.2M, 1,200,000), "
                "found '50%'");
    parse_fails("set x 4 5", SP_T_NUM, SP_U_NONE, SP_U_NONE, NULL,
                "f.plan:1:9: too many values: expected one number, found '5'");
    /* a missing value is expected where the statement ends: after "set x" */
    parse_fails("set x", SP_T_NUM, SP_U_NONE, SP_U_NONE, NULL,
                "f.plan:1:6: expected a number (e.g. 900k, 1,200,000, 20%), "
                "found end of statement");
    parse_fails("set horizon 2.5", SP_T_INT, SP_U_MONTHS, SP_U_NONE, NULL,
                "f.plan:1:13: expected a whole number (e.g. 12), found '2.5'");
    parse_fails("set start 2027-13", SP_T_MONTH, SP_U_NONE, SP_U_NONE, NULL,
                "f.plan:1:11: expected a month YYYY-MM, found '2027-13'");
    parse_fails("set x.backfill maybe", SP_T_BOOL, SP_U_NONE, SP_U_NONE, NULL,
                "f.plan:1:16: expected 'on' or 'off', found 'maybe'");
    parse_fails("set x.productivity deal", SP_T_ENUM, SP_U_NONE, SP_U_NONE,
                "attainment|deals|other",
                "f.plan:1:20: expected 'attainment', 'deals' or 'other', "
                "found 'deal'; did you mean 'deals'?");
    parse_fails("set m.manages AE", SP_T_ROLE, SP_U_NONE, SP_U_NONE, NULL,
                "f.plan:1:15: expected a role (lower-case letters, digits and "
                "_), found 'AE'");
    /* "set ae.draw 3 5k " is 17 bytes */
    parse_fails("set ae.draw 3 5k maybe", SP_T_DRAW, SP_U_MONEY, SP_U_NONE, NULL,
                "f.plan:1:18: expected 'recoverable' or 'nonrecoverable', "
                "found 'maybe'");
    parse_fails("set ae.draw 0 5k recoverable", SP_T_DRAW, SP_U_MONEY,
                SP_U_NONE, NULL, "f.plan:1:13: expected a whole number of "
                "months >= 1, 'all' or 'none', found '0'");
    /* "2%" starts at col 14 and is 2 bytes long: the end is col 16 */
    parse_fails("set mgr.pool 2%", SP_T_POOL, SP_U_PERCENT, SP_U_NONE, NULL,
                "f.plan:1:16: expected 'of ROLE' after the pool rate, "
                "found end of statement");
    parse_fails("set mgr.pool 2% of", SP_T_POOL, SP_U_PERCENT, SP_U_NONE, NULL,
                "f.plan:1:19: expected a role after 'of', found end of statement");
    parse_fails("set mgr.pool 2% of ae sdr", SP_T_POOL, SP_U_PERCENT, SP_U_NONE,
                NULL, "f.plan:1:23: too many values: expected 'RATE of ROLE', "
                "found 'sdr'");
    parse_fails("set ae.award 0 5k", SP_T_AWARD, SP_U_MONEY, SP_U_NONE, NULL,
                "f.plan:1:14: expected a whole number K >= 1 (the K best by "
                "attainment win the prize) or 'none', found '0'");
    parse_fails("set ae.ramp linear 2.5", SP_T_RAMP, SP_U_PERCENT, SP_U_NONE,
                NULL, "f.plan:1:20: expected a whole number of months after "
                "'linear', found '2.5'");
    parse_fails("set revenue ratable 0", SP_T_REVENUE, SP_U_NONE, SP_U_NONE,
                NULL, "f.plan:1:21: expected a whole number of months >= 1 "
                "after 'ratable', found '0'");
    /* the second side of a pair is reported at its own column: 14 + 4 */
    parse_fails("set ae.tiers 50%:x", SP_T_PAIRS, SP_U_PERCENT, SP_U_MULT, NULL,
                "f.plan:1:18: expected a number (e.g. 1.5 or 150%) after ':', "
                "found 'x'");
    parse_fails("set ae.tiers 50%", SP_T_PAIRS, SP_U_PERCENT, SP_U_MULT, NULL,
                "f.plan:1:14: expected a pair X:Y (e.g. 50%:1), found '50%'");
    parse_fails("set ae.hires 2027-03:1.5", SP_T_HIRES, SP_U_NONE, SP_U_COUNT,
                NULL, "f.plan:1:22: expected a whole number of hires >= 0, "
                "found '1.5'");
    parse_fails("set ae.hires 2027-3:1", SP_T_HIRES, SP_U_NONE, SP_U_COUNT,
                NULL, "f.plan:1:14: expected a month YYYY-MM, found '2027-3'");
    parse_fails("set ae.attainment lognorm(1, 2)", SP_T_DIST, SP_U_NONE,
                SP_U_NONE, NULL, "f.plan:1:19: expected a distribution (fixed, "
                "uniform, normal, lognormal, triangular, pert, beta, gamma, "
                "discrete, poisson), found 'lognorm(1, 2)'; did you mean "
                "'lognormal'?");
    parse_fails("set target", SP_T_NUMLIST, SP_U_MONEY, SP_U_NONE, NULL,
                "f.plan:1:11: expected a number (e.g. 900k, $1.2M, 1,200,000), "
                "found end of statement");
}

/* ---- values: format, copy, equality ---- */

static void round_trip(const sp_value *v, sp_unit unit, sp_unit unit2,
                       const char *enums)
{
    char *text = sp_format_value(v, unit, unit2, enums);
    char stmt[512];
    sp_value back;

    assert_non_null(text);
    snprintf(stmt, sizeof stmt, "set x %s", text);
    parse_ok(stmt, v->type, unit, unit2, enums, &back);
    if (!sp_value_equal(v, &back))
        fail_msg("'%s' did not read back to an equal value", text);
    free(text);
    sp_value_free(&back);
}

static void expect_format(const sp_value *v, sp_unit unit, sp_unit unit2,
                          const char *enums, const char *want)
{
    char *text = sp_format_value(v, unit, unit2, enums);
    assert_non_null(text);
    assert_string_equal(text, want);
    free(text);
    round_trip(v, unit, unit2, enums);
}

static void test_format_round_trip(void **state)
{
    (void)state;
    static const double tricky[] = { 0.07, 1.0 / 3, 123456.789, 1e-7, 0.2,
                                     0.1 + 0.2, 2.0 / 3 * 1e-3, 1e21, -0.05 };
    static const sp_unit units[] = { SP_U_NONE, SP_U_MONEY, SP_U_PERCENT,
                                     SP_U_MULT };
    for (size_t i = 0; i < sizeof tricky / sizeof *tricky; i++)
        for (size_t u = 0; u < sizeof units / sizeof *units; u++) {
            sp_value v = { .type = SP_T_NUM, .num = tricky[i] };
            round_trip(&v, units[u], SP_U_NONE, NULL);
        }

    sp_value v = { .type = SP_T_NUM, .num = 0.07 };
    expect_format(&v, SP_U_PERCENT, SP_U_NONE, NULL, "7%");
    v.num = 900000;
    expect_format(&v, SP_U_MONEY, SP_U_NONE, NULL, "900000");
    v.num = 123456.789;
    expect_format(&v, SP_U_MONEY, SP_U_NONE, NULL, "123456.789");

    double list[] = { 0.35, 0.2, 0.125, 20 };
    sp_value l = { .type = SP_T_NUMLIST, .n = 4, .list = list };
    expect_format(&l, SP_U_PERCENT, SP_U_NONE, NULL, "35% 20% 12.5% 2000%");

    sp_pair tiers[] = { { 0, 0 }, { 0.5, 1 }, { 1.5, 2.25 } };
    sp_value p = { .type = SP_T_PAIRS, .n = 3, .pairs = tiers };
    expect_format(&p, SP_U_PERCENT, SP_U_MULT, NULL, "0%:0 50%:1 150%:2.25");

    sp_pair hires[] = { { 2027 * 12 + 2, 2 }, { 2027 * 12 + 5, 1 } };
    sp_value h = { .type = SP_T_HIRES, .n = 2, .pairs = hires };
    expect_format(&h, SP_U_NONE, SP_U_COUNT, NULL, "2027-03:2 2027-06:1");

    sp_value r = { .type = SP_T_RAMP, .flag = 1, .n = 3 };
    expect_format(&r, SP_U_PERCENT, SP_U_NONE, NULL, "linear 3");
    double ramp[] = { 0.25, 0.5, 0.75 };
    sp_value rl = { .type = SP_T_RAMP, .n = 3, .list = ramp };
    expect_format(&rl, SP_U_PERCENT, SP_U_NONE, NULL, "25% 50% 75%");

    sp_value d = { .type = SP_T_DRAW, .n = 3, .num = 5000, .flag = 1 };
    expect_format(&d, SP_U_MONEY, SP_U_NONE, NULL, "3 5000 recoverable");
    d.n = -1;
    d.flag = 0;
    expect_format(&d, SP_U_MONEY, SP_U_NONE, NULL, "all 5000 nonrecoverable");
    sp_value none = { .type = SP_T_DRAW };
    expect_format(&none, SP_U_MONEY, SP_U_NONE, NULL, "none");
    none.type = SP_T_AWARD;
    expect_format(&none, SP_U_MONEY, SP_U_NONE, NULL, "none");
    none.type = SP_T_GUARANTEE;
    expect_format(&none, SP_U_MONEY, SP_U_NONE, NULL, "none");
    none.type = SP_T_POOL;
    expect_format(&none, SP_U_PERCENT, SP_U_NONE, NULL, "none");
    sp_value aw = { .type = SP_T_AWARD, .n = 3, .num = 5000 };
    expect_format(&aw, SP_U_MONEY, SP_U_NONE, NULL, "3 5000");

    char ae[] = "ae";
    sp_value pool = { .type = SP_T_POOL, .num = 0.02, .str = ae };
    expect_format(&pool, SP_U_PERCENT, SP_U_NONE, NULL, "2% of ae");

    sp_value rev = { .type = SP_T_REVENUE, .flag = 1, .n = 12 };
    expect_format(&rev, SP_U_NONE, SP_U_NONE, NULL, "ratable 12");
    rev.flag = 0;
    expect_format(&rev, SP_U_NONE, SP_U_NONE, NULL, "bookings");

    sp_value b = { .type = SP_T_BOOL, .num = 1 };
    expect_format(&b, SP_U_NONE, SP_U_NONE, NULL, "on");
    sp_value e = { .type = SP_T_ENUM, .num = 1 };
    expect_format(&e, SP_U_NONE, SP_U_NONE, "attainment|deals", "deals");
    sp_value m = { .type = SP_T_MONTH, .num = 2027 * 12 + 11 };
    expect_format(&m, SP_U_NONE, SP_U_NONE, NULL, "2027-12");
    sp_value in = { .type = SP_T_INT, .num = 24 };
    expect_format(&in, SP_U_MONTHS, SP_U_NONE, NULL, "24");

    char plain[] = "USD", spaced[] = "Account \"Exec\" #1; a\\b", empty[] = "";
    sp_value s = { .type = SP_T_STRING, .str = plain };
    expect_format(&s, SP_U_NONE, SP_U_NONE, NULL, "USD");
    s.str = spaced;
    expect_format(&s, SP_U_NONE, SP_U_NONE, NULL,
                  "\"Account \\\"Exec\\\" #1; a\\\\b\"");
    s.str = empty;
    expect_format(&s, SP_U_NONE, SP_U_NONE, NULL, "\"\"");

    sp_value dist = { .type = SP_T_DIST };
    assert_int_equal(sp_dist_parse("lognormal(mean=0.95, sd=0.30)", &dist.dist,
                                   "f", 1, 1, NULL), SP_OK);
    expect_format(&dist, SP_U_PERCENT, SP_U_NONE, NULL, "lognormal(0.95, 0.3)");
    sp_value_free(&dist);
    dist.type = SP_T_DIST;
    assert_int_equal(sp_dist_parse("discrete(1:1/3, 2:0.5)", &dist.dist, "f",
                                   1, 1, NULL), SP_ERR_PARSE);
    assert_int_equal(sp_dist_parse("discrete(1:0.25, 2.5:0.75)", &dist.dist,
                                   "f", 1, 1, NULL), SP_OK);
    expect_format(&dist, SP_U_NONE, SP_U_NONE, NULL, "discrete(1:0.25, 2.5:0.75)");
    sp_value_free(&dist);
}

static void test_copy_and_equal(void **state)
{
    (void)state;
    sp_value a, b, c;

    parse_ok("set ae.tiers 0%:0 50%:1 100%:1.5", SP_T_PAIRS, SP_U_PERCENT,
             SP_U_MULT, NULL, &a);
    assert_int_equal(sp_value_copy(&b, &a), 0);
    assert_ptr_not_equal(a.pairs, b.pairs);
    assert_true(sp_value_equal(&a, &b));
    b.pairs[2].y = 1.25;
    assert_false(sp_value_equal(&a, &b));
    sp_value_free(&b);
    assert_int_equal(b.type, SP_T_NONE);
    assert_null(b.pairs);

    /* same numbers, different type */
    parse_ok("set x 0 1 0.5 1", SP_T_NUMLIST, SP_U_NONE, SP_U_NONE, NULL, &c);
    assert_false(sp_value_equal(&a, &c));
    sp_value_free(&c);
    sp_value_free(&a);

    parse_ok("set x discrete(1:0.5, 2:0.5)", SP_T_DIST, SP_U_NONE, SP_U_NONE,
             NULL, &a);
    assert_int_equal(sp_value_copy(&b, &a), 0);
    assert_ptr_not_equal(a.dist.pairs, b.dist.pairs);
    assert_true(sp_value_equal(&a, &b));
    b.dist.pairs[1].x = 3;
    assert_false(sp_value_equal(&a, &b));
    sp_value_free(&a);
    sp_value_free(&b);

    parse_ok("set mgr.pool 2% of ae", SP_T_POOL, SP_U_PERCENT, SP_U_NONE, NULL,
             &a);
    parse_ok("set mgr.pool 2% of sdr", SP_T_POOL, SP_U_PERCENT, SP_U_NONE, NULL,
             &b);
    assert_false(sp_value_equal(&a, &b));
    assert_int_equal(sp_value_copy(&c, &a), 0);
    assert_true(sp_value_equal(&a, &c));
    sp_value_free(&a);
    sp_value_free(&b);
    sp_value_free(&c);

    sp_value d1 = { .type = SP_T_DRAW, .n = 3, .num = 5000, .flag = 1 };
    sp_value d2 = d1;
    d2.flag = 0;
    assert_false(sp_value_equal(&d1, &d2));
    sp_value none1 = {0}, none2 = {0};
    assert_true(sp_value_equal(&none1, &none2));
}

/* ---- errors ---- */

static void test_error_set(void **state)
{
    (void)state;
    sp_error err = {0};
    sp_loc loc = { "plan.plan", 3 };

    assert_int_equal(sp_error_set(&err, SP_ERR_RANGE, &loc, 14, "bad %d", 7),
                     SP_ERR_RANGE);
    assert_int_equal(err.status, SP_ERR_RANGE);
    assert_string_equal(err.msg, "plan.plan:3:14: bad 7");
    sp_error_set(&err, SP_ERR_PARSE, &loc, 0, "no column");
    assert_string_equal(err.msg, "plan.plan:3: no column");
    sp_error_set(&err, SP_ERR_IO, NULL, 5, "no place");
    assert_string_equal(err.msg, "no place");
    assert_int_equal(sp_error_set(NULL, SP_ERR_NOMEM, &loc, 1, "x"), SP_ERR_NOMEM);

    char longer[3000];
    memset(longer, 'x', sizeof longer - 1);
    longer[sizeof longer - 1] = '\0';
    sp_error_set(&err, SP_ERR_PARSE, &loc, 1, "%s", longer);
    assert_int_equal(strlen(err.msg), sizeof err.msg - 1);
    assert_contains(err.msg, "plan.plan:3:1: xxx");

    for (int s = SP_OK; s <= SP_ERR_USAGE; s++) {
        assert_non_null(sp_strerror((sp_status)s));
        assert_true(strlen(sp_strerror((sp_status)s)) > 0);
    }
    assert_string_equal(sp_strerror(SP_ERR_NOMEM), "out of memory");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_number_forms),
        cmocka_unit_test(test_number_rejections),
        cmocka_unit_test(test_lowercase_million),
        cmocka_unit_test(test_bare_percent),
        cmocka_unit_test(test_months),
        cmocka_unit_test(test_format_exact),
        cmocka_unit_test(test_edit_distance),
        cmocka_unit_test(test_tokens_comments_and_positions),
        cmocka_unit_test(test_tokens_quotes_and_semicolons),
        cmocka_unit_test(test_tokens_parentheses),
        cmocka_unit_test(test_tokens_continuation),
        cmocka_unit_test(test_tokens_no_final_newline_and_blanks),
        cmocka_unit_test(test_tokens_unterminated),
        cmocka_unit_test(test_value_scalars),
        cmocka_unit_test(test_value_lists_and_pairs),
        cmocka_unit_test(test_value_special_forms),
        cmocka_unit_test(test_value_errors),
        cmocka_unit_test(test_format_round_trip),
        cmocka_unit_test(test_copy_and_equal),
        cmocka_unit_test(test_error_set),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
