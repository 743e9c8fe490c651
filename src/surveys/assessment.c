/* assessment.c — an institution's satisfaction for its annual assessment (assessment.h). */
#include "surveys/assessment.h"

#include "params/params.h"
#include "surveys/store.h"
#include "surveys/surveys.h"

json_t *surveys_satisfaction_json(struct db *db, const char *district, int64_t institution_id, int year,
                                  const char *today, struct err *e)
{
    double min;
    json_t *rows;
    if (params_get(db, district, "survey.min_responses", today, &min, e) < 0 ||
        surveys_store_satisfaction(db, district, institution_id, year, &rows, e) < 0)
        return NULL;
    /* each answer against its own survey's questions, each family's answer counting once: the mean
     * of the answers' own scores */
    double sum = 0;
    int counted = 0;
    size_t i;
    json_t *r;
    json_array_foreach(rows, i, r) {
        const json_t *v = json_object_get(r, "values");
        double one = survey_satisfaction(json_object_get(r, "questions"), &v, 1);
        if (one >= 0)
            sum += one, counted++;
    }
    int responses = (int)json_array_size(rows);
    json_decref(rows);
    return json_pack("{s:I, s:i, s:i, s:i, s:o, s:b}", "institution_id", (json_int_t)institution_id, "year", year,
                     "responses", responses, "min_responses", (int)min, "score",
                     counted ? json_real(sum / counted) : json_null(), "counts", responses >= (int)min && counted > 0);
}
