/* memory.c — grl's allocator, also handed to GraphBLAS by grl_init.
 *
 * Blocks of 4 MiB or more are 2 MiB-aligned and advised as transparent huge
 * pages. On this machine kind a page fault is expensive (paravirtualised MMU):
 * loading a 10M-edge edge list spent 53% of its time in the kernel faulting
 * 4 KiB pages; with huge pages the same load went from 7.7 s to 2.2 s. */
#include "grl_internal.h"

#include <stdatomic.h>
#include <sys/mman.h>

#define HUGE_PAGE ((size_t)2 << 20)
#define HUGE_THRESHOLD ((size_t)4 << 20)

static void advise_huge(void *p, size_t size)
{
#ifdef MADV_HUGEPAGE
    if (p && size >= HUGE_THRESHOLD)
        madvise(p, size & ~(HUGE_PAGE - 1), MADV_HUGEPAGE);
#endif
}

/* Failure injection for tests (grl_debug_fail_alloc_after/_only): the number
 * of allocations still allowed to succeed, or -1 (the default) for no limit;
 * whether the limit lifts after one refusal; how many were refused since the
 * hook was last set. */
static _Atomic int64_t alloc_budget = -1, alloc_refused = 0;
static _Atomic bool alloc_fail_once = false;

static int64_t set_alloc_budget(int64_t k, bool once)
{
    atomic_store(&alloc_budget, -1);
    int64_t refused = atomic_exchange(&alloc_refused, 0);
    atomic_store(&alloc_fail_once, once);
    atomic_store(&alloc_budget, k < 0 ? -1 : k);
    return refused;
}

int64_t grl_debug_fail_alloc_after(int64_t k) { return set_alloc_budget(k, false); }

int64_t grl_debug_fail_alloc_only(int64_t k) { return set_alloc_budget(k, true); }

/* false when this allocation must fail: the budget is spent. It then stays
 * at 0, so every later allocation fails too, or in fail-once mode it is
 * lifted (-1) by the one refusal. */
static bool alloc_allowed(void)
{
    int64_t b = atomic_load_explicit(&alloc_budget, memory_order_relaxed);
    while (b > 0)
        if (atomic_compare_exchange_weak(&alloc_budget, &b, b - 1)) return true;
    if (b < 0) return true;
    if (atomic_load(&alloc_fail_once) &&
        !atomic_compare_exchange_strong(&alloc_budget, &b, -1))
        return true; /* another thread took the one refusal */
    atomic_fetch_add(&alloc_refused, 1);
    return false;
}

void *grl_malloc(size_t size)
{
    if (!alloc_allowed()) return NULL;
    if (size < HUGE_THRESHOLD) return malloc(size);
    size_t rounded = (size + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
    void *p = aligned_alloc(HUGE_PAGE, rounded);
    advise_huge(p, rounded);
    return p;
}

void *grl_calloc(size_t count, size_t size)
{
    if (size && count > SIZE_MAX / size) return NULL;
    size_t total = count * size;
    if (total < HUGE_THRESHOLD)
        return alloc_allowed() ? calloc(count, size) : NULL;
    void *p = grl_malloc(total);
    if (p) memset(p, 0, total);
    return p;
}

void *grl_zalloc(size_t size) { return grl_calloc(1, size); }

void *grl_realloc(void *p, size_t size)
{
    if (!alloc_allowed()) return NULL; /* p stays valid, as realloc's failure */
    void *q = realloc(p, size);
    /* glibc may move a large block with mremap; advise the new range */
    if (q && size >= HUGE_THRESHOLD && ((uintptr_t)q & (HUGE_PAGE - 1)) == 0)
        advise_huge(q, size);
    return q;
}
