/* fhir.h — a child's growth measurements as HL7 FHIR R4 (issue 21 item 6; docs/exchange.md): a
 * Bundle of type collection holding one Patient — pseudonymous: sex and birth date, never the
 * name or the ID number — and, per measurement, an Observation per quantity measured, on the
 * FHIR vital-signs profiles with their LOINC codes (body weight 29463-7, body height 8302-2 with
 * 8306-3 lying or 8308-9 standing, head circumference 9843-4), UCUM units, and the WHO z-score
 * the growth engine computes as a component (a local code: LOINC has no WHO z-score code we could
 * confirm — UNCERTAIN). Entries are named by urn:uuid identifiers derived from the district, the
 * record's kind and its id, so a second export names the same records the same way. Pure. */
#ifndef TUOYU_CHILDREN_FHIR_H
#define TUOYU_CHILDREN_FHIR_H

#include <jansson.h>

#include "children/children.h"

/* The system of the z-score components' codes (wfa, lhfa, hcfa). */
#define FHIR_ZSCORE_SYSTEM "urn:tuoyu:codesystem:who-growth-zscore"

/* The Bundle of child c's n measurements m, made at timestamp (RFC 3339, UTC) in district. */
json_t *child_fhir_bundle(const struct child *c, const char *district_code, const struct measurement *m, int n,
                          const char *timestamp);

#endif
