/* fhir.c — a child's growth measurements as a FHIR R4 Bundle (fhir.h). */
#include "children/fhir.h"

#include <inttypes.h>
#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "growth/growth.h"

#define LOINC "http://loinc.org"
#define UCUM "http://unitsofmeasure.org"

/* A name-based UUID (RFC 9562 version 8: the first 16 bytes of BLAKE2b over "tuoyu/district/
 * kind/id", with the version and variant bits set) as "urn:uuid:…" into out (46 bytes). */
static void record_urn(const char *district, const char *kind, int64_t id, char out[46])
{
    char name[96];
    int len = snprintf(name, sizeof name, "tuoyu/%s/%s/%" PRId64, district, kind, id);
    unsigned char h[16];
    crypto_generichash(h, sizeof h, (const unsigned char *)name, (size_t)len, NULL, 0);
    h[6] = (unsigned char)((h[6] & 0x0F) | 0x80);
    h[8] = (unsigned char)((h[8] & 0x3F) | 0x80);
    snprintf(out, 46, "urn:uuid:%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", h[0], h[1],
             h[2], h[3], h[4], h[5], h[6], h[7], h[8], h[9], h[10], h[11], h[12], h[13], h[14], h[15]);
}

static json_t *coding(const char *system, const char *code, const char *display)
{
    return json_pack("{s:s, s:s, s:s}", "system", system, "code", code, "display", display);
}

static json_t *quantity(double value, const char *unit, const char *code)
{
    return json_pack("{s:f, s:s, s:s, s:s}", "value", value, "unit", unit, "system", UCUM, "code", code);
}

/* What one kind of Observation is. */
struct vital {
    const char *kind;     /* names the record in its urn: weight, height, headc */
    const char *profile;  /* the FHIR vital-signs profile */
    const char *loinc, *display, *text;
    const char *unit;
    enum growth_indicator z;  /* its z-score; the component's code is the indicator's key (wfa …) */
    const char *z_display;
};

static const struct vital WEIGHT = {"weight", "http://hl7.org/fhir/StructureDefinition/bodyweight", "29463-7",
                                    "Body weight", "体重", "kg", GROWTH_WEI,
                                    "Weight-for-age z-score (WHO Child Growth Standards 2006)"};
static const struct vital HEIGHT = {"height", "http://hl7.org/fhir/StructureDefinition/bodyheight", "8302-2",
                                    "Body height", "身长/身高", "cm", GROWTH_LEN,
                                    "Length/height-for-age z-score (WHO Child Growth Standards 2006)"};
static const struct vital HEADC = {"headc", "http://hl7.org/fhir/StructureDefinition/headcircum", "9843-4",
                                   "Head Occipital-frontal circumference", "头围", "cm", GROWTH_HC,
                                   "Head circumference-for-age z-score (WHO Child Growth Standards 2006)"};

/* The urn of the health check that took measurement id (NULL: none). */
static const char *check_of_measurement(const json_t *checks, int64_t id, const char *district, char urn[46])
{
    size_t i;
    json_t *c;
    json_array_foreach(checks, i, c)
    {
        if (json_integer_value(json_object_get(json_object_get(c, "measurement"), "id")) == id) {
            record_urn(district, "check", json_integer_value(json_object_get(c, "id")), urn);
            return urn;
        }
    }
    return NULL;
}

/* One Observation entry of measurement m: value in v's unit, z from r (NULL: none computed),
 * taken at the health check encounter (NULL: none). */
static json_t *observation(const struct vital *v, const char *district, const struct measurement *m, double value,
                           const struct growth_result *r, const char *patient_urn, const char *encounter)
{
    char urn[46];
    record_urn(district, v->kind, m->id, urn); /* one per measurement and quantity */
    json_t *codes = json_array();
    json_array_append_new(codes, coding(LOINC, v->loinc, v->display));
    if (v == &HEIGHT && m->measure == 'l')
        json_array_append_new(codes, coding(LOINC, "8306-3", "Body height --lying"));
    else if (v == &HEIGHT && m->measure == 'h')
        json_array_append_new(codes, coding(LOINC, "8308-9", "Body height --standing"));
    json_t *obs = json_pack(
        "{s:s, s:s, s:{s:[s]}, s:s, s:[{s:[o]}], s:{s:o, s:s}, s:{s:s}, s:s, s:o}", "resourceType", "Observation",
        "id", urn + 9, "meta", "profile", v->profile, "status", "final", "category", "coding",
        coding("http://terminology.hl7.org/CodeSystem/observation-category", "vital-signs", "Vital Signs"), "code",
        "coding", codes, "text", v->text, "subject", "reference", patient_urn, "effectiveDateTime", m->measured_on,
        "valueQuantity", quantity(value, v->unit, v->unit));
    if (encounter)
        json_object_set_new(obs, "encounter", json_pack("{s:s}", "reference", encounter));
    if (r && !isnan(r->ind[v->z].z) && isfinite(r->ind[v->z].z)) {
        json_t *component = json_pack("{s:{s:[o], s:s}, s:o}", "code", "coding",
                                      coding(FHIR_ZSCORE_SYSTEM, growth_indicator_key(v->z), v->z_display), "text", "WHO z 评分",
                                      "valueQuantity", quantity(r->ind[v->z].z, "SD", "{Z-score}"));
        if (r->ind[v->z].flag == 1)
            json_object_set_new(component, "interpretation",
                                json_pack("[{s:[o], s:s}]", "coding",
                                          coding("http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation",
                                                 "AA", "Critical abnormal"),
                                          "text", "WHO 判为不可信的极端值，请复核测量"));
        json_object_set_new(obs, "component", json_pack("[o]", component));
    }
    return json_pack("{s:s, s:o}", "fullUrl", urn, "resource", obs);
}

/* "normal" → N, "abnormal" and "refer" → A (v3 ObservationInterpretation), with the words. */
static json_t *conclusion(const char *result, const char *system, const char *text)
{
    int normal = strcmp(result, "normal") == 0;
    return json_pack("{s:[{s:s, s:s, s:s}, {s:s, s:s}], s:s}", "coding", "system",
                     "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation", "code", normal ? "N" : "A",
                     "display", normal ? "Normal" : "Abnormal", "system", system, "code", result, "text", text);
}

/* A health check: its Encounter and the Observation of its conclusion. */
static void check_entries(json_t *entries, const json_t *c, const char *district, const char *patient_urn)
{
    char urn[46], obs_urn[46];
    int64_t id = json_integer_value(json_object_get(c, "id"));
    const char *code = json_string_value(json_object_get(c, "check_code")), *day = json_string_value(json_object_get(c, "checked_on"));
    const char *result = json_string_value(json_object_get(c, "result"));
    record_urn(district, "check", id, urn);
    record_urn(district, "check-result", id, obs_urn);
    const char *name = json_string_value(json_object_get(c, "check_name"));
    json_t *enc = json_pack(
        "{s:s, s:s, s:s, s:{s:s, s:s, s:s}, s:[{s:[{s:s, s:s, s:s}], s:s}], s:{s:s}, s:{s:s}, s:[{s:{s:s}}], s:[{s:{s:s}}]}",
        "resourceType", "Encounter", "id", urn + 9, "status", "finished", "class", "system",
        "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code", "AMB", "display", "ambulatory", "type", "coding",
        "system", FHIR_CHECK_SYSTEM, "code", code, "display", name, "text", name, "subject", "reference", patient_urn,
        "period", "start", day, "location", "location", "display", json_string_value(json_object_get(c, "place")),
        "participant", "individual", "display", json_string_value(json_object_get(c, "examiner")));
    json_array_append_new(entries, json_pack("{s:s, s:o}", "fullUrl", urn, "resource", enc));
    json_t *obs = json_pack("{s:s, s:s, s:s, s:{s:[{s:s, s:s, s:s}], s:s}, s:{s:s}, s:{s:s}, s:s, s:o}",
                            "resourceType", "Observation", "id", obs_urn + 9, "status", "final", "code", "coding", "system",
                            FHIR_CHECK_SYSTEM, "code", "conclusion", "display", "健康检查结论", "text", "健康检查结论",
                            "subject", "reference", patient_urn, "encounter", "reference", urn, "effectiveDateTime", day,
                            "valueCodeableConcept",
                            conclusion(result, FHIR_CHECK_SYSTEM, strcmp(result, "normal") == 0 ? "未见异常" : "异常"));
    const char *note = json_string_value(json_object_get(c, "note"));
    if (note && note[0])
        json_object_set_new(obs, "note", json_pack("[{s:s}]", "text", note));
    json_array_append_new(entries, json_pack("{s:s, s:o}", "fullUrl", obs_urn, "resource", obs));
}

/* A development screening as an Observation of its result. */
static void screening_entry(json_t *entries, const json_t *sc, const char *district, const char *patient_urn)
{
    static const struct {
        const char *code, *name;
    } TOOLS[] = {{"asq3", "年龄与发育进程问卷（ASQ-3）"}, {"asq_se2", "年龄与发育进程问卷：社会-情绪（ASQ:SE-2）"},
                 {"mchat_rf", "改良婴幼儿孤独症筛查量表（M-CHAT-R/F）"}, {"warning_signs", "儿童心理行为发育预警征象"},
                 {"other", "其他发育筛查"}};
    static const char *const RESULTS[][2] = {{"normal", "未见异常"}, {"abnormal", "异常"}, {"refer", "建议转诊"}};
    char urn[46];
    record_urn(district, "screening", json_integer_value(json_object_get(sc, "id")), urn);
    const char *tool = json_string_value(json_object_get(sc, "tool")), *result = json_string_value(json_object_get(sc, "result"));
    const char *tool_name = tool, *words = result;
    for (size_t i = 0; i < sizeof TOOLS / sizeof *TOOLS; i++)
        if (strcmp(tool, TOOLS[i].code) == 0)
            tool_name = TOOLS[i].name;
    for (size_t i = 0; i < sizeof RESULTS / sizeof *RESULTS; i++)
        if (strcmp(result, RESULTS[i][0]) == 0)
            words = RESULTS[i][1];
    json_t *obs = json_pack("{s:s, s:s, s:s, s:{s:[{s:s, s:s, s:s}], s:s}, s:{s:s}, s:s, s:o}", "resourceType",
                            "Observation", "id", urn + 9, "status", "final", "code", "coding", "system",
                            FHIR_SCREENING_SYSTEM, "code", tool, "display", tool_name, "text", tool_name, "subject",
                            "reference", patient_urn, "effectiveDateTime",
                            json_string_value(json_object_get(sc, "screened_on")), "valueCodeableConcept",
                            conclusion(result, FHIR_SCREENING_SYSTEM, words));
    char note[512] = "";
    const char *referral = json_string_value(json_object_get(sc, "referral_to")), *follow = json_string_value(json_object_get(sc, "follow_up"));
    if (referral && referral[0])
        snprintf(note, sizeof note, "转诊：%s", referral);
    if (follow && follow[0])
        snprintf(note + strlen(note), sizeof note - strlen(note), "%s随访：%s", note[0] ? "；" : "", follow);
    if (note[0])
        json_object_set_new(obs, "note", json_pack("[{s:s}]", "text", note));
    json_array_append_new(entries, json_pack("{s:s, s:o}", "fullUrl", urn, "resource", obs));
}

json_t *child_fhir_bundle(const struct child *c, const char *district_code, const struct measurement *m, int n,
                          const json_t *checks, const json_t *screenings, const char *timestamp)
{
    char patient_urn[46];
    record_urn(district_code, "child", c->id, patient_urn);
    json_t *entries = json_array();
    /* identified by the district's own id of the child, so a record that comes back finds it */
    json_t *patient = json_pack("{s:s, s:s, s:[{s:o, s:o}], s:s, s:s}", "resourceType", "Patient", "id",
                                patient_urn + 9, "identifier", "system",
                                json_sprintf("urn:tuoyu:district:%s:child", district_code), "value",
                                json_sprintf("%" PRId64, c->id), "gender",
                                c->sex == 1 ? "male" : c->sex == 2 ? "female" : "unknown", "birthDate", c->birth_date);
    json_array_append_new(entries, json_pack("{s:s, s:o}", "fullUrl", patient_urn, "resource", patient));
    for (int i = 0; i < n; i++) {
        struct err e = {0};
        int64_t age_days = 0;
        date_days_between(c->birth_date, m[i].measured_on, &age_days, &e);
        struct growth_input in = {.sex = c->sex, .age = (double)age_days, .weight_kg = m[i].weight_kg,
                                  .lenhei_cm = m[i].lenhei_cm, .measure = m[i].measure, .headc_cm = m[i].headc_cm,
                                  .armc_cm = m[i].armc_cm, .triskin_mm = m[i].triskin_mm,
                                  .subskin_mm = m[i].subskin_mm, .oedema = m[i].oedema};
        struct growth_result r;
        const struct growth_result *rp = growth_zscores(&in, &r, &e) == 0 ? &r : NULL;
        char check[46];
        const char *at = check_of_measurement(checks, m[i].id, district_code, check);
        if (!isnan(m[i].weight_kg))
            json_array_append_new(entries, observation(&WEIGHT, district_code, &m[i], m[i].weight_kg, rp, patient_urn, at));
        if (!isnan(m[i].lenhei_cm))
            json_array_append_new(entries, observation(&HEIGHT, district_code, &m[i], m[i].lenhei_cm, rp, patient_urn, at));
        if (!isnan(m[i].headc_cm))
            json_array_append_new(entries, observation(&HEADC, district_code, &m[i], m[i].headc_cm, rp, patient_urn, at));
    }
    size_t i;
    json_t *x;
    json_array_foreach(checks, i, x)
    {
        check_entries(entries, x, district_code, patient_urn);
    }
    json_array_foreach(screenings, i, x)
    {
        screening_entry(entries, x, district_code, patient_urn);
    }
    return json_pack("{s:s, s:s, s:s, s:o}", "resourceType", "Bundle", "type", "collection", "timestamp", timestamp,
                     "entry", entries);
}
