/*
 * months.h - the months a reader's rows claimed: a set of (group, year,
 * month) -> the line of the row that claimed it first, behind the month
 * services of ABI 1.3 (csv_month's duplicate check, csv_claim_month).
 */
#ifndef KPI_MONTHS_H
#define KPI_MONTHS_H

struct kpi_months;

/*
 * Claim month `month` (1..12) of `year` (1..9999) for `group` (>= 0) at
 * `line` (> 0) in *set, creating the set (owned by *set) on the first
 * claim.  Returns 0 if the triple is new, the line that claimed it first
 * (> 0), KPI_EINVAL for an argument out of range or KPI_ENOMEM.  The set
 * grows with the distinct months claimed, never with the rows.
 */
long kpi_months_claim(struct kpi_months **set, int group, int year,
                      int month, long line);

/* Free *set (may be NULL) and set it to NULL. */
void kpi_months_free(struct kpi_months **set);

#endif
