/* api.h — routes of quarterly progress reports (每季进度报送, src/progress/api.c). */
#ifndef TUOYU_PROGRESS_API_H
#define TUOYU_PROGRESS_API_H

#include "http/http.h"
#include "materials/api.h"

/* A report as the owner of its attachments (materials). */
extern const struct materials_owner progress_materials_owner;
extern const struct route progress_routes[];

#endif
