/* fhir.h — a child's health-care data set as HL7 FHIR R4 (issue 21 item 6; docs/exchange.md): a
 * Bundle of type collection holding one Patient — pseudonymous: sex and birth date, never the
 * name or the ID number —; per measurement, an Observation per quantity measured, on the FHIR
 * vital-signs profiles with their LOINC codes (body weight 29463-7, body height 8302-2 with 8306-3
 * lying or 8308-9 standing, head circumference 9843-4), UCUM units, and the WHO z-score the growth
 * engine computes as a component (a local code: LOINC has no WHO z-score code we could confirm —
 * UNCERTAIN); per health check (儿童健康检查), an Encounter with the check's place and examiner and
 * an Observation of its conclusion, the measurements taken at it pointing to it; per development
 * screening, an Observation of its result (tools and conclusions in local code systems — their
 * LOINC panels are UNCERTAIN). Entries are named by urn:uuid identifiers derived from the
 * district, the record's kind and its id, so a second export names the same records the same way.
 * Pure. */
#ifndef TUOYU_CHILDREN_FHIR_H
#define TUOYU_CHILDREN_FHIR_H

#include <jansson.h>

#include "children/children.h"

/* The system of the z-score components' codes (wfa, lhfa, hcfa). */
#define FHIR_ZSCORE_SYSTEM "urn:tuoyu:codesystem:who-growth-zscore"

/* The system of the health checks' and screenings' local codes. */
#define FHIR_CHECK_SYSTEM "urn:tuoyu:codesystem:child-health-check"
#define FHIR_SCREENING_SYSTEM "urn:tuoyu:codesystem:development-screening"

/* The Bundle of child c's n measurements m, health checks (rows of checkups_records_json, or
 * NULL: not included) and screenings (checkups_screenings_json, or NULL), made at timestamp
 * (RFC 3339, UTC) in district. */
json_t *child_fhir_bundle(const struct child *c, const char *district_code, const struct measurement *m, int n,
                          const json_t *checks, const json_t *screenings, const char *timestamp);

#endif
