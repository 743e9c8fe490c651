/* api.h — routes of 可视托 video supervision (api.c). */
#ifndef TUOYU_VIDEO_API_H
#define TUOYU_VIDEO_API_H

#include "http/http.h"

extern const struct route video_routes[];

#endif
