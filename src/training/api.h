/* api.h — training's route table (see api.c). */
#ifndef TUOYU_TRAINING_API_H
#define TUOYU_TRAINING_API_H

#include "http/http.h"

extern const struct route training_routes[];

#endif
