/* commands.h — the entry point of every `tuoyu COMMAND`, one per module that owns it.
 * Each takes argv with argv[0] = the command name and returns an exit code (base/cli.h). */
#ifndef TUOYU_COMMANDS_H
#define TUOYU_COMMANDS_H

/* add yours above the end marker */
/* end */

#endif
