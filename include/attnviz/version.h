/* The program's version, shown by --version and written into dumps. */
#ifndef ATTNVIZ_VERSION_H
#define ATTNVIZ_VERSION_H
#define ATTNVIZ_VERSION "0.1.0"
#endif
