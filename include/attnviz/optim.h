/* Optimizers on a flat parameter block and its gradient block: plain SGD
 * and Adam, and clipping of the gradient's global norm. */
#ifndef ATTNVIZ_OPTIM_H
#define ATTNVIZ_OPTIM_H

#include <stddef.h>

typedef enum { AV_OPT_ADAM, AV_OPT_SGD, AV_OPT_COUNT } av_optimizer;

#define AV_ADAM_BETA1 0.9f
#define AV_ADAM_BETA2 0.999f
#define AV_ADAM_EPS 1e-8f

/* "adam", "sgd"; parse returns 0 or -1. */
const char *av_optimizer_name(av_optimizer o);
int av_optimizer_parse(const char *name, av_optimizer *o);

/* sqrt(sum g_i^2), accumulated in double. */
double av_grad_norm(const float *g, size_t n);

/* If max_norm > 0 and the global norm exceeds it, scale g by
 * max_norm / norm. Returns the norm before clipping. */
double av_clip_grad(float *g, size_t n, float max_norm);

/* p -= lr * g. */
void av_sgd_update(float *p, const float *g, size_t n, float lr);

/* Adam, step t counted from 1: m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2;
 * p -= lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps). */
void av_adam_update(float *p, float *m, float *v, const float *g, size_t n, float lr, int t);

#endif
