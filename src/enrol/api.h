/* api.h — the HTTP routes of enrolment (入托一件事). */
#ifndef TUOYU_ENROL_API_H
#define TUOYU_ENROL_API_H

#include "http/http.h"

/* Free places in public, first-come booking of one (入托网上约) (bookings.c). */
extern const struct route bookings_routes[];
/* Visit appointments (预约参观): slots and bookings (visits.c). */
extern const struct route visits_routes[];
/* An institution's programs with held and free places, for staff (programs.c). */
extern const struct route programs_routes[];
/* Ranked applications (applications.c). */
extern const struct route applications_routes[];
/* Allocation rounds and their offers (rounds.c). */
extern const struct route rounds_routes[];

#endif
