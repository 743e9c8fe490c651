/* api.h — the cases engine's routes (api.c), and a case as an owner of materials (a case's
 * materials are locked once it is submitted, unlocked when it is sent back for correction). */
#ifndef TUOYU_CASES_API_H
#define TUOYU_CASES_API_H

#include "http/http.h"
#include "materials/api.h"

extern const struct route cases_routes[];
extern const struct materials_owner cases_materials_owner;

#endif
