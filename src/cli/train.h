/* `attnviz train`: train the RNN and attention language models on a corpus
 * and write them as a version-2 weight file. */
#ifndef ATTNVIZ_CLI_TRAIN_H
#define ATTNVIZ_CLI_TRAIN_H

/* argv[0] is "train". Returns the exit status. */
int train_main(int argc, char **argv);

#endif
