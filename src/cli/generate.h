/* `attnviz generate`: continue a prompt with a trained model, one token at
 * a time. */
#ifndef ATTNVIZ_CLI_GENERATE_H
#define ATTNVIZ_CLI_GENERATE_H

/* argv[0] is "generate". Returns the exit status. */
int generate_main(int argc, char **argv);

#endif
