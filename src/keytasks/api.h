/* api.h — routes of the key-task plan (重点工作计划, src/keytasks/api.c). */
#ifndef TUOYU_KEYTASKS_API_H
#define TUOYU_KEYTASKS_API_H

#include "http/http.h"
#include "materials/api.h"

/* A key task as the owner of its evidence (materials). */
extern const struct materials_owner keytasks_materials_owner;
extern const struct route keytasks_routes[];

#endif
