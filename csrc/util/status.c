#include "util/status.h"

const char *nc_status_name(nc_status s)
{
    switch (s) {
    case NC_OK: return "ok";
    case NC_ENOMEM: return "out of memory";
    case NC_EINVAL: return "invalid argument";
    case NC_EICU: return "ICU error";
    case NC_ERANGE: return "value out of range";
    case NC_EINTR: return "interrupted";
    }
    return "unknown status";
}
