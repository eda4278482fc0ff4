/* `attnviz bench`: time the RNN against causal attention. */
#ifndef ATTNVIZ_CLI_BENCH_H
#define ATTNVIZ_CLI_BENCH_H

/* argv[0] is "bench". Returns the exit status. */
int bench_main(int argc, char **argv);

#endif
