/* search_int.h — private to search/: the engine's and searcher's insides,
 * one section per file. */
#ifndef VB_SEARCH_INT_H
#define VB_SEARCH_INT_H

#include <pthread.h>

#include "vb_schema.h"
#include "vb_search.h"

/* ---- search.c --------------------------------------------------------- */

struct vb_search_engine {
    char *index_dir;
    char *synonyms_dir; /* NULL: none */
    struct vb_analysis_data *analysis;
    pthread_mutex_t lock; /* guards `problem` */
    struct vb_error problem;
};

struct vb_searcher {
    struct vb_search_engine *engine;
    struct vb_xapian_reader *reader;
    struct vb_analyzer *analyzer;
};

/* Moves the searcher's reader to the latest committed revision. */
enum vb_status vb_searcher_refresh(struct vb_searcher *searcher,
                                   struct vb_error *err);

#endif
