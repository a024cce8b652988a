/* watch.h — vraagbaak-indexer --watch (see watch.c). */
#ifndef VB_WATCH_H
#define VB_WATCH_H

#include "vb_indexer.h"

/* Follows options->sources and syncs them into the index after each
 * burst of changes, until SIGINT or SIGTERM.  Applied changes go to
 * stdout, one line each; problems to stderr as path:line: message.
 * Returns the exit status (0, or 2 when inotify is not available). */
int vb_watch_run(const struct vb_indexer_options *options);

#endif
