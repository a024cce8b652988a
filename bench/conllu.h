/* conllu.h — reading token lines of CoNLL-U files (Universal
 * Dependencies), shared by the measurement programs.  Header-only. */
#ifndef VB_CONLLU_H
#define VB_CONLLU_H

#include <string.h>

#define CONLLU_COLUMNS 10

/* Splits one line of a CoNLL-U file in place into its tab-separated
 * columns (col[1] form, col[2] lemma, col[3] UPOS).  Returns the number of
 * columns, or 0 for lines that are not ordinary tokens: comments, blank
 * lines, multiword-token ranges ("1-2") and empty nodes ("1.1"). */
static inline int conllu_columns(char *line, char *col[CONLLU_COLUMNS])
{
    if (line[0] == '#' || line[0] == '\n' || line[0] == '\0')
        return 0;
    int n = 0;
    char *p = line;
    while (n < CONLLU_COLUMNS) {
        col[n++] = p;
        char *tab = strchr(p, '\t');
        if (!tab)
            break;
        *tab = '\0';
        p = tab + 1;
    }
    if (n < 4 || strchr(col[0], '-') || strchr(col[0], '.'))
        return 0;
    return n;
}

#endif
