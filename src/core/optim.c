/* SGD, Adam and global-norm clipping over flat float blocks. */
#include "attnviz/optim.h"

#include <math.h>
#include <string.h>

static const char *const names[AV_OPT_COUNT] = { [AV_OPT_ADAM] = "adam", [AV_OPT_SGD] = "sgd" };

const char *av_optimizer_name(av_optimizer o)
{
	return (int)o >= 0 && o < AV_OPT_COUNT ? names[o] : "unknown";
}

int av_optimizer_parse(const char *name, av_optimizer *o)
{
	for (int i = 0; i < AV_OPT_COUNT; i++)
		if (strcmp(name, names[i]) == 0) {
			*o = (av_optimizer)i;
			return 0;
		}
	return -1;
}

double av_grad_norm(const float *g, size_t n)
{
	double s = 0.0;
	for (size_t i = 0; i < n; i++)
		s += (double)g[i] * g[i];
	return sqrt(s);
}

double av_clip_grad(float *g, size_t n, float max_norm)
{
	double norm = av_grad_norm(g, n);
	if (max_norm > 0 && norm > max_norm) {
		float k = (float)(max_norm / norm);
		for (size_t i = 0; i < n; i++)
			g[i] *= k;
	}
	return norm;
}

void av_sgd_update(float *p, const float *g, size_t n, float lr)
{
	for (size_t i = 0; i < n; i++)
		p[i] -= lr * g[i];
}

void av_adam_update(float *p, float *m, float *v, const float *g, size_t n, float lr, int t)
{
	float c1 = 1.0f - powf(AV_ADAM_BETA1, (float)t);
	float c2 = 1.0f - powf(AV_ADAM_BETA2, (float)t);
	for (size_t i = 0; i < n; i++) {
		m[i] = AV_ADAM_BETA1 * m[i] + (1.0f - AV_ADAM_BETA1) * g[i];
		v[i] = AV_ADAM_BETA2 * v[i] + (1.0f - AV_ADAM_BETA2) * g[i] * g[i];
		p[i] -= lr * (m[i] / c1) / (sqrtf(v[i] / c2) + AV_ADAM_EPS);
	}
}
