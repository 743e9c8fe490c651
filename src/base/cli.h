/* cli.h — conventions shared by every `tuoyu COMMAND`: exit codes and the one-line usage error.
 * Each command is `int cmd_NAME(int argc, char **argv)` with argv[0] the command name,
 * registered in the table in src/main.c. Every command accepts --help. */
#ifndef TUOYU_CLI_H
#define TUOYU_CLI_H

enum { CLI_OK = 0, CLI_FAIL = 1, CLI_USAGE = 2 };

/* Print "tuoyu CMD: REASON (see tuoyu CMD --help)" to stderr and return CLI_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* 1 when argv holds -h or --help */
int cli_wants_help(int argc, char **argv);

#endif
