/* A program built against an installed libsmtpcodes: looks up a code and compares two. */
#include <smtpcodes.h>

#include <stdio.h>
#include <string.h>

int main(void)
{
    const smtpc_entry *e;
    if (smtpc_lookup(&e, smtpc_db_builtin(), "421", 3, NULL) != 0)
        return 1;
    smtpc_comparison *cmp;
    if (smtpc_compare(&cmp, smtpc_db_builtin(), "504", 3, "421", 3, "vi", 2, NULL) != 0)
        return 1;
    printf("%s %s | %s | %s\n", e->code, e->name, smtpc_comparison_part(cmp, SMTPC_PART_TITLE),
           smtpc_version());
    smtpc_comparison_free(cmp);
    return 0;
}
