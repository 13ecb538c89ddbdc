/* version.h: the release version printed by --version. */
#ifndef VERSION_H
#define VERSION_H
#define EDUHQ_VERSION "0.1.0"
#endif
