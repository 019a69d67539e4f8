/* The employees of one trial (MODEL.md sections 2, 4 and 6): initial
 * staff, planned and manager requisitions, time to fill, ramp, the work of
 * a month, settlement of pay periods, attrition and backfill.  sim.c calls
 * the team_ steps in the order of a month.
 *
 * Every draw an employee makes comes from streams of its own, keyed by its
 * ordinal (below), never from a generator shared with other employees.
 * The arrays were sized by the plan (plan_capacity in sim.c) and nothing
 * here allocates. */
#include <limits.h>
#include <math.h>
#include <string.h>

#include <gsl/gsl_randist.h>

#include "salesplan/comp.h"
#include "salesplan/dist.h"
#include "salesplan/rng.h"

#include "sim_private.h"

/* Employee stream ordinals.  The top four bits say how the employee came
 * to be; the rest identify it in a way that does not depend on any other
 * employee, so common random numbers survive adding or removing hires. */
#define KEY_PLANNED  (1ULL << 60)   /* | month << 32 | index in month */
#define KEY_MANAGER  (2ULL << 60)   /* | sequence of span requisitions */
#define KEY_BACKFILL (3ULL << 60)   /* | hash(leaver's key, generation) */
#define KEY_HCPLAN   (4ULL << 60)   /* | sequence of headcount-plan requisitions */
#define KEY_LOW      ((1ULL << 60) - 1)

static double ramp_of(const sp_model_role *ro, int i)
{
    return i >= 1 && i <= ro->nramp ? ro->ramp[i - 1] : 1.0;
}

/* sp_rng_stream(seed, trial, role r, key, purpose) of this trial. */
static uint64_t emp_stream(const work_t *w, int r, uint64_t key,
                           uint32_t purpose)
{
    return sp_rng_stream_at(w->sbase[r][purpose], key);
}

static double draw_dist(const trial_ctx *c, work_t *w, const sp_dist *d,
                        int r, uint64_t key, uint32_t purpose)
{
    (void)c;
    if (d->kind == SP_D_FIXED)
        return d->p[0] < 0 ? 0 : d->p[0];
    sp_rng_set(w->rng, emp_stream(w, r, key, purpose), 0);
    return sp_dist_sample(d, w->rng, 1);
}

static emp *add_emp(const trial_ctx *c, work_t *w, int r, uint64_t key,
                    int gen)
{
    team *tm = &w->tm[r];
    if (tm->n >= tm->cap) {
        w->failed = SP_TRIAL_BOUND;   /* cannot happen: see plan_capacity in sim.c */
        return NULL;
    }
    emp *e = &tm->e[tm->n++];
    memset(e, 0, sizeof *e);
    e->key = key;
    e->gen = gen;
    e->id = tm->next_id++;
    e->trace = -1;
    e->rix = -1;
    e->leave_t = e->redraw_t = INT_MAX;
    if (w->tracing) {
        long k = w->ntrace++;
        if (k < w->tracecap) {
            sp_emp_trace *tr = &w->trace[k];
            memset(tr, 0, sizeof *tr);
            tr->role = r;
            tr->key = key;
            tr->id = e->id;
            tr->left = -1;
            e->trace = (int)k;
        }
    }
    (void)c;
    return e;
}

/* When e leaves, drawn for the hazard segment containing month `from`: a
 * tenure year, or every year from the last listed rate on.  The monthly
 * hazard h is constant inside a segment, so the months survived there are
 * geometric, P(k) = (1 - h)^k h; one uniform per segment (from the
 * employee's ATTRITION stream, at the tenure year's position) replaces a
 * Bernoulli draw every month with exactly the same distribution. */
static void plan_exit(const trial_ctx *c, work_t *w, int r, emp *e, int from)
{
    const sp_model_role *ro = &c->pl->m->roles[r];
    int last = ro->nattr < 1 ? 0
               : (ro->nattr > SP_MAX_ATTR ? SP_MAX_ATTR : ro->nattr) - 1;
    int y = (from - e->t0) / 12;   /* tenure year - 1 */
    int seg = y < last ? y : last;
    double h = ro->hazard[seg];
    e->leave_t = INT_MAX;
    e->redraw_t = y < last ? e->t0 + 12 * (y + 1) : INT_MAX;
    if (!(h > 0))
        return;
    sp_rng_set(w->rng, e->satt, (uint64_t)y);
    double v = 1 - gsl_rng_uniform(w->rng);   /* (0, 1] */
    double k = h >= 1 ? 0 : floor(log(v) / c->pl->log_stay[r][seg]);
    double lt = from + k;
    if (lt < e->redraw_t && lt < c->pl->H)
        e->leave_t = (int)lt;
}

/* What a new employee draws once: its capacity (MODEL.md 3: from
 * `capacity`, or skill x first-year quota), the keys of the streams it
 * will revisit, and when it would leave.  Capacity and skill share the
 * SKILL stream: a role has one or the other. */
static void become_active(const trial_ctx *c, work_t *w, int r, emp *e)
{
    const sp_model_role *ro = &c->pl->m->roles[r];
    e->state = ACTIVE;
    w->tm[r].nactive++;
    const sp_roster_emp *p = e->ros;
    if (ro->kind == SP_KIND_QUOTA && p &&
        (p->has_capacity || p->has_attainment)) {
        /* a known person: no draw (MODEL.md 10.6); attainment is of the
         * person's own quota, else Q1 */
        double q = p->quota > 0 ? p->quota : ro->quota;
        e->skill = p->has_capacity ? (q > 0 ? p->capacity / q : 0)
                                   : p->attainment;
        e->cap = p->has_capacity ? p->capacity : p->attainment * q;
        e->sbook = emp_stream(w, r, e->key, SP_RNG_BOOKINGS);
    } else if (ro->kind == SP_KIND_QUOTA) {
        if (ro->has_capacity) {
            e->cap = draw_dist(c, w, &ro->capacity, r, e->key, SP_RNG_SKILL);
            e->skill = ro->quota > 0 ? e->cap / ro->quota : 0;
        } else {
            e->skill = draw_dist(c, w, &ro->attainment, r, e->key,
                                 SP_RNG_SKILL);
            e->cap = e->skill * ro->quota;
        }
        e->sbook = emp_stream(w, r, e->key, SP_RNG_BOOKINGS);
    }
    if (c->pl->has_attr[r]) {
        e->satt = emp_stream(w, r, e->key, SP_RNG_ATTRITION);
        plan_exit(c, w, r, e, e->t0 > 0 ? e->t0 : 0);
    }
    if (e->trace >= 0) {
        w->trace[e->trace].skill = e->skill;
        w->trace[e->trace].start = e->t0;
    }
}

static void start_emp(const trial_ctx *c, work_t *w, int r, emp *e, int t)
{
    const sp_model_role *ro = &c->pl->m->roles[r];
    const plan_t *pl = c->pl;
    e->t0 = t;
    w->tm[r].nopen--;
    become_active(c, w, r, e);
    w->mon[SER(pl, SP_M_HIRES, r) + t] += 1;
    w->mon[SER(pl, SP_M_HIRING_COST, r) + t] +=
        ro->recruiting_cost + ro->training_cost;
}

/* Opens a requisition in month t that starts at t + lag + D. */
static emp *open_req(const trial_ctx *c, work_t *w, int r, uint64_t key,
                     int gen, int t, int lag)
{
    const sp_model_role *ro = &c->pl->m->roles[r];
    emp *e = add_emp(c, w, r, key, gen);
    if (!e)
        return NULL;
    double x = draw_dist(c, w, &ro->time_to_fill, r, key, SP_RNG_FILL);
    double d = floor(x + 0.5);   /* round half up; x >= 0 here */
    int H = c->pl->H;
    int D = d > H + 1 ? H + 1 : (int)d;
    e->state = PENDING;
    e->start = t + lag + D;
    e->t0 = e->start;
    w->tm[r].nopen++;
    if (e->start < w->tm[r].next_start)
        w->tm[r].next_start = e->start;
    if (e->trace >= 0)
        w->trace[e->trace].start = e->start;
    return e;
}

/* A backfill's ordinal depends on its leaver's ordinal and generation
 * only, so it draws the same whatever else the trial did. */
static uint64_t backfill_key(uint64_t key, int gen)
{
    uint64_t z = key ^ ((uint64_t)gen * 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    return KEY_BACKFILL | (z & KEY_LOW);
}

/* A trial starts with empty teams; the stream bases of the role's
 * employees are worked out once for the trial. */
void team_reset(const trial_ctx *c, work_t *w, int r)
{
    team *tm = &w->tm[r];
    tm->n = tm->nactive = tm->nopen = tm->gone = 0;
    tm->next_id = tm->mgr_seq = 0;
    tm->next_start = INT_MAX;
    for (uint32_t p = SP_RNG_TENURE; p <= SP_RNG_FILL; p++)
        w->sbase[r][p] = sp_rng_stream_base(c->seed, c->trial,
                                            c->pl->rkey[r], p);
}

/* Staff present at t = 0, with their tenure drawn or, without a tenure
 * distribution, fully ramped.  Returns 0, or -1 when a bound was broken. */
/* What a rostered person has already booked and been assigned in the
 * commission period open at the start (MODEL.md 10.6): it enters only its
 * own period, and with a period quota the months of that period before
 * the start in which it was employed are commission months (guarantee
 * and draw by tenure), not months active. */
static void roster_period(const trial_ctx *c, const sp_model_role *ro,
                          int r, emp *e, int ten)
{
    const sp_roster_emp *p = e->ros;
    e->pb += p->period_bookings;
    e->pq += p->period_quota;
    if (!p->has_period_quota)
        return;
    const sp_model *m = c->pl->m;
    int fm0 = ((m->start - (m->fy_start - 1)) % 12 + 12) % 12;
    int pre = fm0 % c->pl->plen[r];
    if (pre > ten)
        pre = ten;
    int gm = ro->comp.guarantee_months, dm = ro->comp.draw_months;
    for (int k = 0; k < pre; k++) {
        int i = ten - pre + 1 + k;   /* its tenure month then */
        if (gm > 0 && i <= gm) {
            e->pg++;
        } else {
            e->pc++;
            if (dm < 0 || (dm > 0 && i <= dm))
                e->pd++;
        }
    }
}

int team_add_initial(const trial_ctx *c, work_t *w, int r)
{
    const sp_model_role *ro = &c->pl->m->roles[r];
    for (int i = 0; i < ro->headcount; i++) {
        emp *e = add_emp(c, w, r, (uint64_t)i, 0);
        if (!e)
            return -1;
        int ten = ro->nramp;
        e->rix = -1;
        if (i < ro->nroster) {
            e->ros = &ro->roster[i];
            e->rix = c->pl->ros0[r] + i;
            ten = e->ros->tenure;
        } else if (ro->has_tenure) {
            double d = floor(draw_dist(c, w, &ro->tenure, r, (uint64_t)i,
                                       SP_RNG_TENURE) + 0.5);
            /* validation keeps tenure in months, but a double beyond int
             * would make the conversion undefined; past a century every
             * tenure behaves alike (fully ramped, the last attrition
             * rate) */
            ten = d < 1200 ? (int)d : 1200;
        }
        if (ten < 0)
            ten = 0;
        e->initial = 1;
        e->t0 = -ten;
        e->start = -ten;
        if (e->trace >= 0)
            w->trace[e->trace].initial = 1;
        become_active(c, w, r, e);
        if (e->ros)
            roster_period(c, ro, r, e, ten);
    }
    return 0;
}

/* The planned requisitions of month t.  They are opened before anyone
 * starts, so a time to fill of 0 starts them this month. */
int team_open_planned(const trial_ctx *c, work_t *w, int r, int t)
{
    int n = c->pl->plan[r * c->pl->H + t];
    for (int j = 0; j < n; j++)
        if (!open_req(c, w, r, KEY_PLANNED | ((uint64_t)t << 32) | (uint64_t)j,
                      0, t, 0))
            return -1;
    return 0;
}

/* Step 1: the requisitions due this month start. */
void team_start(const trial_ctx *c, work_t *w, int r, int t)
{
    team *tm = &w->tm[r];
    if (!tm->nopen || tm->next_start > t)
        return;
    int next = INT_MAX;
    for (int j = 0; j < tm->n; j++) {
        emp *e = &tm->e[j];
        if (e->state != PENDING)
            continue;
        if (e->start == t)
            start_emp(c, w, r, e, t);
        else if (e->start < next)
            next = e->start;
    }
    tm->next_start = next;
}

/* Opens requisitions of role r in month t until active + open reach
 * need; one that fills at once starts now.  Their ordinals count the
 * role's step-2 requisitions (tag: KEY_MANAGER for a ratio, KEY_HCPLAN
 * for a plan), so they never take another employee's streams. */
static int open_to(const trial_ctx *c, work_t *w, int r, int t, int need,
                   uint64_t tag)
{
    team *tm = &w->tm[r];
    while (tm->nactive + tm->nopen < need) {
        emp *e = open_req(c, w, r, tag | (uint64_t)tm->mgr_seq++, 0, t, 0);
        if (!e)
            return -1;
        if (e->start == t)
            start_emp(c, w, r, e, t);
    }
    return 0;
}

/* Step 2 for a ratio role r (a manager, or a support role with supports
 * and a span): enough of it, active or on open requisitions, for the
 * served role's active staff at the span.  Returns 0, or -1 when a bound
 * was broken. */
int team_manager_reqs(const trial_ctx *c, work_t *w, int r, int t)
{
    const sp_model_role *ro = &c->pl->m->roles[r];
    int g = ro->kind == SP_KIND_MANAGER ? ro->manages : ro->supports;
    int span = ro->span > 0 ? ro->span : 1;
    if (g < 0 || g >= c->pl->R)
        return 0;
    return open_to(c, w, r, t, (w->tm[g].nactive + span - 1) / span,
                   KEY_MANAGER);
}

/* Step 2 for a role with a headcount plan (MODEL.md 2.2): the level the
 * plan asks for L months ahead, worked out at compile time. */
int team_plan_reqs(const trial_ctx *c, work_t *w, int r, int t)
{
    int need = c->pl->m->roles[r].plan_need[t];
    return need < 0 ? 0 : open_to(c, w, r, t, need, KEY_HCPLAN);
}

/* After step 2: each served role's support factor S_t, the product over
 * the roles serving it of 1 - share + share x coverage, coverage =
 * min(1, span x (sum of the servers' ramp factors) / active served)
 * (MODEL.md 3.1). */
void team_support_factors(const trial_ctx *c, work_t *w, int t)
{
    const plan_t *pl = c->pl;
    const sp_model *m = pl->m;
    for (int x = 0; x < pl->R; x++) {
        int y = m->roles[x].serves;
        if (y >= 0 && y < pl->R)
            w->sfac[y] = 1;
    }
    for (int x = 0; x < pl->R; x++) {
        const sp_model_role *ro = &m->roles[x];
        int y = ro->serves;
        if (y < 0 || y >= pl->R || !(ro->support_share > 0))
            continue;
        const team *tm = &w->tm[x];
        double sum = 0;
        for (int j = 0; j < tm->n; j++)
            if (tm->e[j].state == ACTIVE)
                sum += ramp_of(ro, t - tm->e[j].t0 + 1);
        int n = w->tm[y].nactive;
        double cov = n == 0 ? 1 : fmin(1, ro->span * sum / n);
        w->sfac[y] *= 1 - ro->support_share + ro->support_share * cov;
    }
    for (int y = 0; y < pl->R; y++)
        if (pl->present[SP_M_SUPPORT_FACTOR * (pl->R + 1) + y + 1])
            w->mon[SER(pl, SP_M_SUPPORT_FACTOR, y) + t] = w->sfac[y];
}

static void reset_period(emp *e)
{
    e->pb = e->pq = 0;
    e->pm = e->pc = e->pd = e->pg = 0;
}

static void add_pay(const plan_t *pl, work_t *w, int r, int t,
                    const sp_period_pay *p)
{
    w->mon[SER(pl, SP_M_COMMISSION, r) + t] += p->commission;
    w->mon[SER(pl, SP_M_BONUS, r) + t] += p->bonus;
    w->mon[SER(pl, SP_M_DRAW_TOPUP, r) + t] += p->draw_topup;
}

/* What a manager role r is measured on at month t (MODEL.md 5.2, 10.3):
 * the bookings and quota of the quota role its chain ends at, role-wide,
 * over r's commission period up to t.  0 when r is not such a manager. */
static int team_period(const plan_t *pl, const work_t *w, int r, int t,
                       double *b, double *q)
{
    int z = pl->m->roles[r].team;
    if (pl->m->roles[r].kind != SP_KIND_MANAGER || z < 0)
        return 0;
    const double *bk = &w->mon[SER(pl, SP_M_BOOKINGS, z)];
    const double *qu = &w->mon[SER(pl, SP_M_QUOTA, z)];
    *b = *q = 0;
    for (int u = pl->pstart[r][t]; u <= t; u++) {
        *b += bk[u];
        *q += qu[u];
    }
    return 1;
}

/* team: {bookings, quota} of the team a manager is measured on, else
 * NULL (the employee's own period). */
static void settle_emp(const sp_model_role *ro, emp *e, const double *team,
                       sp_period_pay *pay)
{
    sp_period_in in = {e->pb, e->pq, e->pc, e->pd, e->pg};
    if (team) {
        in.bookings = team[0];
        in.quota = team[1];
    }
    sp_comp_settle(&ro->comp, &in, &e->debt, pay);
}

/* Step 4 for role r: every active member settles its period; the pool and
 * the awards go to those same members (they are active at the period's
 * end; leavers were settled when they left). */
void team_settle(const trial_ctx *c, work_t *w, int r, int t)
{
    const plan_t *pl = c->pl;
    const sp_model_role *ro = &pl->m->roles[r];
    team *tm = &w->tm[r];
    int k = 0;
    /* add_pay for each member, kept in registers: the same additions in
     * the same order */
    double *pc = &w->mon[SER(pl, SP_M_COMMISSION, r) + t],
           *pb = &w->mon[SER(pl, SP_M_BONUS, r) + t],
           *pd = &w->mon[SER(pl, SP_M_DRAW_TOPUP, r) + t];
    double sc = *pc, sb = *pb, sd = *pd;
    double tb[2];
    const double *team = team_period(pl, w, r, t, &tb[0], &tb[1]) ? tb : NULL;
    for (int j = 0; j < tm->n; j++) {
        emp *e = &tm->e[j];
        if (e->state != ACTIVE)
            continue;
        settle_emp(ro, e, team, &w->pay[k]);
        sc += w->pay[k].commission;
        sb += w->pay[k].bonus;
        sd += w->pay[k].draw_topup;
        w->who[k] = j;
        w->att[k] = w->pay[k].attainment;
        w->bk[k] = e->pb;
        w->ids[k] = e->id;
        w->months[k] = e->pm;
        w->elig[k] = 1;
        w->extra[k] = 0;
        k++;
    }
    *pc = sc;
    *pb = sb;
    *pd = sd;
    if (ro->pool_rate != 0 && ro->pool_of >= 0) {
        double amount = ro->pool_rate * w->pool_acc[r];
        w->pool_acc[r] = 0;
        if (k > 0)
            w->mon[SER(pl, SP_M_POOL, r) + t] +=
                sp_comp_pool_split(amount, k, w->months, w->elig, w->extra);
    }
    if (ro->award_k > 0 && k > 0) {
        int nw = sp_comp_award_rank(k, w->att, w->bk, w->ids, w->elig,
                                    ro->award_k, w->win);
        for (int i = 0; i < nw; i++)
            w->extra[w->win[i]] += ro->award_amount;
        w->mon[SER(pl, SP_M_AWARD, r) + t] += nw * ro->award_amount;
    }
    for (int i = 0; i < k; i++) {
        emp *e = &tm->e[w->who[i]];
        const sp_period_pay *p = &w->pay[i];
        double earn = ro->base / 12 * e->pm + p->commission + p->bonus +
                      p->guarantee + p->draw_topup + w->extra[i];
        stats_rep_record(pl, w, t, r, p->attainment, earn, e->pm,
                         pl->whole_end[r][t] && e->pm == pl->plen[r]);
        stats_roster_record(w, e->rix, e->pb, e->pq, earn);
        reset_period(e);
    }
}

/* Step 5 for one leaver: its open period is settled now (or forfeited),
 * any draw debt is written off, and a backfill is opened. */
static void leave(const trial_ctx *c, work_t *w, int r, int j, int t)
{
    const plan_t *pl = c->pl;
    const sp_model_role *ro = &pl->m->roles[r];
    team *tm = &w->tm[r];
    emp *e = &tm->e[j];
    if (e->pm > 0 && !ro->comp.leaver_forfeit) {
        sp_period_pay pay;
        double tb[2];
        settle_emp(ro, e, team_period(pl, w, r, t, &tb[0], &tb[1]) ? tb : NULL,
                   &pay);
        add_pay(pl, w, r, t, &pay);
        double earn = ro->base / 12 * e->pm + pay.commission + pay.bonus +
                      pay.guarantee + pay.draw_topup;
        stats_rep_record(pl, w, t, r, pay.attainment, earn, e->pm, 0);
        stats_roster_record(w, e->rix, e->pb, e->pq, earn);
    }
    reset_period(e);
    if (e->debt != 0) {
        w->mon[SER(pl, SP_M_DRAW_WRITEOFF, r) + t] += e->debt;
        e->debt = 0;
    }
    e->state = GONE;
    tm->nactive--;
    tm->gone++;
    w->mon[SER(pl, SP_M_DEPARTURES, r) + t] += 1;
    if (e->trace >= 0)
        w->trace[e->trace].left = t;
    if (ro->backfill) {
        uint64_t key = e->key;
        int gen = e->gen + 1;
        /* open_req may not move the array (capacity is fixed), but e is
         * not used after this point anyway. */
        open_req(c, w, r, backfill_key(key, gen), gen, t, 1);
    }
}

static double bookings_of(const trial_ctx *c, work_t *w, int r, emp *e,
                          double mean)
{
    const plan_t *pl = c->pl;
    const sp_model_role *ro = &pl->m->roles[r];
    if (ro->deals) {
        if (!(ro->deal_size > 0) || !(mean > 0))
            return 0;
        double lambda = mean / ro->deal_size;
        if (!(lambda <= SP_DEALS_DRAW_MAX)) {
            w->failed = SP_TRIAL_DEALS;
            return 0;
        }
        sp_rng_set(w->rng, e->sbook, e->bpos);
        unsigned int n = gsl_ran_poisson(w->rng, lambda);
        double b = 0;
        if (pl->deal_sig[r] > 0) {
            for (unsigned int k = 0; k < n; k++)
                b += exp(pl->deal_mu[r] +
                         pl->deal_sig[r] * gsl_ran_gaussian_ziggurat(w->rng, 1));
        } else {
            b = n * ro->deal_size;
        }
        e->bpos = sp_rng_pos(w->rng);
        return b;
    }
    if (pl->eps_sig[r] > 0) {
        sp_rng_set(w->rng, e->sbook, e->bpos);
        double z = gsl_ran_gaussian_ziggurat(w->rng, 1);
        e->bpos = sp_rng_pos(w->rng);
        return mean * exp(pl->eps_mu[r] + pl->eps_sig[r] * z);
    }
    return mean;
}

/* Step 3 for role r. */
void team_work(const trial_ctx *c, work_t *w, int r, int t)
{
    const plan_t *pl = c->pl;
    const sp_model *m = pl->m;
    const sp_model_role *ro = &m->roles[r];
    team *tm = &w->tm[r];
    int quota = ro->kind == SP_KIND_QUOTA;
    double season = m->season[pl->cal[t]];
    /* this fiscal year's quota asks; capacity (or skill x the first
     * year's quota) sells */
    double qbase = sp_role_quota(ro, pl->fyi[t]) / 12 * season;
    double q1base = ro->quota / 12 * season;
    /* the market and the support the role gets (1 without any) */
    double M = w->market[t] * w->sfac[r];
    int gm = ro->comp.guarantee_months, dm = ro->comp.draw_months, nguar = 0;
    double head = 0, ramped = 0, book = 0, quo = 0, capa = 0;
    for (int j = 0; j < tm->n; j++) {
        emp *e = &tm->e[j];
        if (e->state != ACTIVE)
            continue;
        int i = t - e->t0 + 1;
        head += 1;
        e->pm++;
        int guar = gm > 0 && i <= gm;
        if (guar) {
            e->pg++;
            nguar++;
        } else {
            e->pc++;
            if (dm < 0 || (dm > 0 && i <= dm))
                e->pd++;
        }
        if (!quota)
            continue;
        double rf = ramp_of(ro, i);
        double qb = qbase;
        if (e->ros && e->ros->quota > 0)   /* the person's own quota */
            qb = e->ros->quota / 12 * season;
        double q = ro->quota_relief ? qb * rf : qb;
        double cm, b;   /* capacity this month, bookings */
        if (ro->has_capacity || e->ros) {
            cm = e->cap / 12 * season * rf;
            b = bookings_of(c, w, r, e, cm * M);
        } else {
            double qr = q1base * rf;
            cm = qr * e->skill;
            b = bookings_of(c, w, r, e, qr * M * e->skill);
        }
        ramped += rf;
        quo += q;
        book += b;
        capa += cm;
        if (!guar) {
            e->pb += b;
            e->pq += q;
        }
        if (e->trace >= 0)
            w->trace[e->trace].bookings[t] = b;
    }
    w->mon[SER(pl, SP_M_HEADCOUNT, r) + t] = head;
    if (ro->has_plan)
        w->mon[SER(pl, SP_M_PLAN_MET, r) + t] = head >= ro->plan_level[t];
    w->mon[SER(pl, SP_M_BASE, r) + t] = head * (ro->base / 12);
    w->mon[SER(pl, SP_M_OTHER_COST, r) + t] = head * ro->monthly_cost;
    /* A guarantee is paid in the month, as salary is (MODEL.md 5.4: AMOUNT
     * per month); settlement counts it only in the period's earnings. */
    if (nguar)
        w->mon[SER(pl, SP_M_GUARANTEE, r) + t] += nguar * ro->comp.guarantee_amount;
    if (quota) {
        w->mon[SER(pl, SP_M_RAMPED, r) + t] = ramped;
        w->mon[SER(pl, SP_M_QUOTA, r) + t] = quo;
        w->mon[SER(pl, SP_M_CAPACITY, r) + t] = capa;
        w->mon[SER(pl, SP_M_BOOKINGS, r) + t] = book;
    }
}

/* Step 5 for role r. */
void team_attrition(const trial_ctx *c, work_t *w, int r, int t)
{
    if (!c->pl->has_attr[r])
        return;
    team *tm = &w->tm[r];
    int n = tm->n;   /* backfills opened below are not at risk this month */
    for (int j = 0; j < n; j++) {
        emp *e = &tm->e[j];
        if (e->state != ACTIVE)
            continue;
        if (e->leave_t == t)
            leave(c, w, r, j, t);
        else if (e->redraw_t == t + 1)
            plan_exit(c, w, r, e, t + 1);
    }
}

/* Leavers stay in place until the month is over so that ids, indexes and
 * the settlement scratch stay valid; then the array is compacted in order
 * (order is creation order, which award ties rely on). */
static void compact(team *tm)
{
    if (!tm->gone)
        return;
    int k = 0;
    for (int j = 0; j < tm->n; j++)
        if (tm->e[j].state != GONE) {
            if (k != j)
                tm->e[k] = tm->e[j];
            k++;
        }
    tm->n = k;
    tm->gone = 0;
}

/* The month is over: what is still open is counted and the leavers go. */
void team_end_month(const trial_ctx *c, work_t *w, int r, int t)
{
    w->mon[SER(c->pl, SP_M_OPEN_REQS, r) + t] = w->tm[r].nopen;
    compact(&w->tm[r]);
}
