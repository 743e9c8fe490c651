/* enrol.h — enrolment (入托一件事): programs (institution × class type), their free places, age
 * bands, and first-come booking (api.c). The rules here are pure: the age band a child fits on
 * the start month, and the free places of a program. */
#ifndef TUOYU_ENROL_H
#define TUOYU_ENROL_H

#include "http/http.h"
#include "registry/registry.h"

/* Age bands by class type in months [min, max), from the parameters class.<type>.min_months
 * and class.<type>.max_months. */
struct enrol_bands {
    int min_months[CLASS_TYPE_COUNT];
    int max_months[CLASS_TYPE_COUNT];
};

/* The bands in force on date (YYYY-MM-DD), from the parameters (api.c). */
int enrol_load_bands(struct http_req *req, const char *date, struct enrol_bands *b, struct err *e);

/* Completed months of age on the first day of start_month (YYYY-MM); -1 when not yet born. */
int enrol_age_months(const char *birth_date, const char *start_month);
/* 1 when a child of age_months may join a class of type t. */
int enrol_band_fits(const struct enrol_bands *b, enum class_type t, int age_months);
/* Free places: capacity − enrolled − booked, never below 0. */
int enrol_free_places(int capacity, int enrolled, int booked);

extern const struct route enrol_routes[];
/* Visit appointments (预约参观): slots and bookings (visits.c). */
extern const struct route visits_routes[];
/* An institution's programs with held and free places, for staff (programs.c). */
extern const struct route programs_routes[];

#endif
