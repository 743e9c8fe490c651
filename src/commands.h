/* commands.h — the entry point of every `tuoyu COMMAND`, one per module that owns it.
 * Each takes argv with argv[0] = the command name and returns an exit code (base/cli.h). */
#ifndef TUOYU_COMMANDS_H
#define TUOYU_COMMANDS_H

/* add yours above the end marker */
int cmd_serve(int argc, char **argv);
int cmd_migrate(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_import(int argc, char **argv);
int cmd_template(int argc, char **argv);
int cmd_backup(int argc, char **argv);
int cmd_restore(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_routes(int argc, char **argv);
int cmd_openapi(int argc, char **argv);
int cmd_zscore(int argc, char **argv);
int cmd_plan(int argc, char **argv);
int cmd_allocate(int argc, char **argv);
int cmd_workdays(int argc, char **argv);
int cmd_subsidy(int argc, char **argv);
int cmd_sms_gateway(int argc, char **argv);
int cmd_sso(int argc, char **argv);
int cmd_purge(int argc, char **argv);
int cmd_checkup_reminders(int argc, char **argv);
int cmd_duty_scan(int argc, char **argv);
int cmd_exchange_client(int argc, char **argv);
/* end */

#endif
