/* enrol.c — age bands and free places. Pure. */
#include "enrol/enrol.h"

#include <stdio.h>
#include <string.h>

#include "base/date.h"

int enrol_age_months(const char *birth_date, const char *start_month)
{
    char first[11];
    snprintf(first, sizeof first, "%.7s-01", start_month);
    if (strcmp(first, birth_date) < 0)
        return -1;
    return date_months_between(birth_date, first);
}

int enrol_band_fits(const struct enrol_bands *b, enum class_type t, int age_months)
{
    return age_months >= 0 && age_months >= b->min_months[t] && age_months < b->max_months[t];
}

int enrol_free_places(int capacity, int enrolled, int booked)
{
    int n = capacity - enrolled - booked;
    return n > 0 ? n : 0;
}
