/* Scaled dot-product attention for one head: batched (cblas) kernels with
 * their naive twins, the stable masked softmax, and the incremental row
 * that a decoder computes at generation time. */
#include "attnviz/attention.h"

#include <cblas.h>
#include <math.h>

void av_attn_project(float *out, const float *X, const float *W, int n, int D, int d_head)
{
	cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, d_head, D, 1.0f, X, D, W,
		    d_head, 0.0f, out, d_head);
}

void av_attn_project_naive(float *out, const float *X, const float *W, int n, int D, int d_head)
{
	for (int i = 0; i < n; i++)
		for (int c = 0; c < d_head; c++) {
			float s = 0.0f;
			for (int k = 0; k < D; k++)
				s += X[i * D + k] * W[k * d_head + c];
			out[i * d_head + c] = s;
		}
}

void av_attn_scores(float *scores, const float *Q, const float *K, int n, int d)
{
	float scale = 1.0f / sqrtf((float)d);
	cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, n, n, d, scale, Q, d, K, d, 0.0f,
		    scores, n);
}

void av_attn_scores_naive(float *scores, const float *Q, const float *K, int n, int d)
{
	float scale = 1.0f / sqrtf((float)d);
	for (int i = 0; i < n; i++)
		for (int j = 0; j < n; j++) {
			float s = 0.0f;
			for (int k = 0; k < d; k++)
				s += Q[i * d + k] * K[j * d + k];
			scores[i * n + j] = s * scale;
		}
}

void av_attn_apply_mask(float *masked, const float *scores, const float *M, int n)
{
	for (int i = 0; i < n * n; i++)
		masked[i] = M[i] != 0.0f ? scores[i] : -INFINITY;
}

void av_softmax_rows(float *weights, const float *x, int rows, int cols)
{
	for (int i = 0; i < rows; i++) {
		const float *in = x + (size_t)i * cols;
		float *out = weights + (size_t)i * cols;
		float max = -INFINITY;
		for (int j = 0; j < cols; j++)
			if (isfinite(in[j]) && in[j] > max)
				max = in[j];
		if (max == -INFINITY) { /* every entry masked: attend to nothing */
			for (int j = 0; j < cols; j++)
				out[j] = 0.0f;
			continue;
		}
		float sum = 0.0f;
		for (int j = 0; j < cols; j++) {
			out[j] = isfinite(in[j]) ? expf(in[j] - max) : 0.0f;
			sum += out[j];
		}
		/* sum >= 1: the max entry contributes exp(0). */
		for (int j = 0; j < cols; j++)
			out[j] /= sum;
	}
}

void av_attn_output(float *Z, const float *weights, const float *V, int n, int d)
{
	cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, d, n, 1.0f, weights, n, V, d,
		    0.0f, Z, d);
}

void av_attn_output_naive(float *Z, const float *weights, const float *V, int n, int d)
{
	for (int i = 0; i < n; i++)
		for (int c = 0; c < d; c++) {
			float s = 0.0f;
			for (int j = 0; j < n; j++)
				s += weights[i * n + j] * V[j * d + c];
			Z[i * d + c] = s;
		}
}

void av_attn_leak(float *leak, const float *weights, int n)
{
	for (int i = 0; i < n; i++) {
		float s = 0.0f;
		for (int j = i + 1; j < n; j++)
			s += weights[i * n + j];
		leak[i] = s;
	}
}

/* out (d_head) = x (D) . W (D, d_head) */
static void project_row(float *out, const float *x, const float *W, int D, int d_head)
{
	for (int c = 0; c < d_head; c++) {
		float s = 0.0f;
		for (int k = 0; k < D; k++)
			s += x[k] * W[k * d_head + c];
		out[c] = s;
	}
}

void av_attn_row_incremental(float *w_row, float *z_row, float *scratch, const float *X,
			     const float *W_q, const float *W_k, const float *W_v,
			     av_mask_kind kind, int i, int D, int d_head)
{
	int m = i + 1; /* keys 0..i: everything a decoder has seen so far */
	float *K = scratch;                   /* (m, d_head) */
	float *V = scratch + m * d_head;      /* (m, d_head) */
	float *q = scratch + 2 * m * d_head;  /* (d_head) */
	float scale = 1.0f / sqrtf((float)d_head);
	project_row(q, X + i * D, W_q, D, d_head);
	for (int j = 0; j < m; j++) {
		project_row(K + j * d_head, X + j * D, W_k, D, d_head);
		project_row(V + j * d_head, X + j * D, W_v, D, d_head);
	}
	for (int j = 0; j < m; j++) {
		float s = 0.0f;
		for (int k = 0; k < d_head; k++)
			s += q[k] * K[j * d_head + k];
		w_row[j] = av_mask_allows(kind, i, j) ? s * scale : -INFINITY;
	}
	av_softmax_rows(w_row, w_row, 1, m);
	for (int c = 0; c < d_head; c++) {
		float s = 0.0f;
		for (int j = 0; j < m; j++)
			s += w_row[j] * V[j * d_head + c];
		z_row[c] = s;
	}
}
