/* The RNN of the slide: h_t = tanh(W_h h_{t-1} + W_e c_t + b), h_0 = 0.
 * The input projection W_e c_t of every position is one sgemm (it has no
 * dependency); only the recurrence is sequential: av_rnn_step advances
 * exactly one position and needs h_{t-1}. Kernels are out-first. */
#ifndef ATTNVIZ_RNN_H
#define ATTNVIZ_RNN_H

/* xe (n, H) = X (n, D) . W_e^T, W_e (H, D): row t is W_e c_t. */
void av_rnn_input_proj(float *xe, const float *X, const float *W_e, int n, int D, int H);
void av_rnn_input_proj_naive(float *xe, const float *X, const float *W_e, int n, int D, int H);

/* One step. wh (H) = W_h h_prev (zeros when h_prev is NULL, i.e. h_0 = 0);
 * pre (H) = wh + xe_t + b; h (H) = tanh(pre). wh and pre are kept for the
 * drill-down view. */
void av_rnn_step(float *h, float *wh, float *pre, const float *h_prev, const float *xe_t,
		 const float *W_h, const float *b, int H);
void av_rnn_step_naive(float *h, float *wh, float *pre, const float *h_prev, const float *xe_t,
		       const float *W_h, const float *b, int H);

#endif
