/*
 * main.c - the smtpcodes(1) executable; the command itself is cli.c.
 */
#include "cli.h"

int main(int argc, char **argv)
{
    return smtpc_cli_main(argc, argv);
}
