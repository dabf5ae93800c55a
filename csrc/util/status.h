/* Error codes shared by the natocyber core. The binding glue maps them to
 * Python exceptions (NC_ENOMEM -> MemoryError, NC_EINVAL -> ValueError, ...). */
#ifndef NC_STATUS_H
#define NC_STATUS_H

typedef enum {
    NC_OK = 0,
    NC_ENOMEM = 1,   /* an allocation failed */
    NC_EINVAL = 2,   /* bad argument or option value */
    NC_EICU = 3,     /* ICU reported an error; see the object's icu_status */
    NC_ERANGE = 4,   /* a size or offset does not fit the core's types */
    NC_EINTR = 5     /* cancelled by the caller (e.g. Ctrl-C) */
} nc_status;

const char *nc_status_name(nc_status s);

#endif
