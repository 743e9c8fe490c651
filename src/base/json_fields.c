/* json_fields.c — refuse the members of a JSON request object that a handler does not know. */
#include "base/json_fields.h"

#include <string.h>

int json_fields_only(const json_t *obj, const char *const allowed[], struct err *e)
{
    if (!json_is_object(obj))
        return err_set(e, 400, "bad_json", "", "请求体应为 JSON 对象");
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)obj, key, v)
    {
        const char *const *a = allowed;
        while (*a && strcmp(*a, key))
            a++;
        if (!*a)
            return err_set(e, 400, "unknown_field", key, "不支持的字段：%s", key);
    }
    return 0;
}
