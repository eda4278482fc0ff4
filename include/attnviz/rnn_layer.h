/* The RNN layer at training time, forward and backward side by side, for
 * one sentence (the perf helper benches these as `rnn-train`; no vocabulary
 * head here, see attnviz/lm.h):
 *   h_t = tanh(W_h h_{t-1} + W_e c_t + b),  h_{-1} = 0        h (n, H)
 * The backward is back-propagation through time: dpre_t needs dpre_{t+1},
 * a chain of n dependent steps (av_rnn_backward_depth), exactly like the
 * forward. Only dW_e, dW_h, db and dX are batched after the chain. */
#ifndef ATTNVIZ_RNN_LAYER_H
#define ATTNVIZ_RNN_LAYER_H

/* h (n, H); X (n, D); W_e (H, D); W_h (H, H); b (H). */
void av_rnn_layer_forward(float *h, const float *X, const float *W_e, const float *W_h,
			  const float *b, int n, int D, int H);
void av_rnn_layer_forward_naive(float *h, const float *X, const float *W_e, const float *W_h,
				const float *b, int n, int D, int H);

/* Given dh (n, H) = dL/dh_t from above (not through the recurrence) and
 * the forward's h: dpre (n, H) = dL/d(pre-activation) (written); dX (n, D),
 * dW_e (H, D), dW_h (H, H), db (H) are added to. */
void av_rnn_layer_backward(float *dX, float *dW_e, float *dW_h, float *db, float *dpre,
			   const float *dh, const float *h, const float *X, const float *W_e,
			   const float *W_h, int n, int D, int H);
void av_rnn_layer_backward_naive(float *dX, float *dW_e, float *dW_h, float *db, float *dpre,
				 const float *dh, const float *h, const float *X,
				 const float *W_e, const float *W_h, int n, int D, int H);

/* Dependent steps of the backward for n tokens: n. */
int av_rnn_backward_depth(int n);

#endif
