package dev.zeroshot.agents.nn;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;

/**
 * {@code torch.optim.Adam} (eps added after the bias-corrected square root, unlike DJL's Adam)
 * with {@code torch.nn.utils.clip_grad_norm_} (one global norm, unlike DJL's element-wise
 * clipGrad), run in Java on the master copies of the parameters.
 */
public final class Adam {

  private final List<Param> params;
  private final double beta1;
  private final double beta2;
  private final double eps;
  private final float[][] m;
  private final float[][] v;
  private long step;

  public Adam(Params params, double beta1, double beta2, double eps) {
    this.params = params.list();
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.eps = eps;
    this.m = new float[this.params.size()][];
    this.v = new float[this.params.size()][];
    for (int i = 0; i < m.length; i++) {
      m[i] = new float[this.params.get(i).size()];
      v[i] = new float[this.params.get(i).size()];
    }
  }

  /** Scales all gradients so that their global L2 norm is at most {@code maxNorm}; returns the norm before. */
  public double clipGradNorm(double maxNorm) {
    double ss = 0;
    for (Param p : params) {
      for (float g : p.grad) {
        ss += (double) g * g;
      }
    }
    double norm = Math.sqrt(ss);
    double coef = maxNorm / (norm + 1e-6);
    if (coef < 1) {
      for (Param p : params) {
        float[] g = p.grad;
        for (int i = 0; i < g.length; i++) {
          g[i] = (float) (g[i] * coef);
        }
      }
    }
    return norm;
  }

  /**
   * One Adam step with learning rate {@code lr} on every parameter's master value, in float
   * arithmetic as torch's CPU Adam (the JIT vectorizes the loop, float sqrt included).
   */
  public void step(double lr) {
    step++;
    float bc1 = (float) (1 - Math.pow(beta1, step));
    float bc2Sqrt = (float) Math.sqrt(1 - Math.pow(beta2, step));
    float stepSize = (float) lr / bc1;
    float b1 = (float) beta1;
    float b2 = (float) beta2;
    float oneMinusB1 = 1 - b1;
    float oneMinusB2 = 1 - b2;
    float epsF = (float) eps;
    for (int k = 0; k < params.size(); k++) {
      Param p = params.get(k);
      float[] w = p.value;
      float[] g = p.grad;
      float[] mk = m[k];
      float[] vk = v[k];
      for (int i = 0; i < w.length; i++) {
        float gi = g[i];
        float mi = b1 * mk[i] + oneMinusB1 * gi;
        float vi = b2 * vk[i] + oneMinusB2 * gi * gi;
        mk[i] = mi;
        vk[i] = vi;
        float denom = (float) Math.sqrt((double) vi) / bc2Sqrt + epsF;
        w[i] -= stepSize * mi / denom;
      }
    }
  }

  public long steps() {
    return step;
  }

  public void write(DataOutputStream out) throws IOException {
    out.writeLong(step);
    for (int k = 0; k < m.length; k++) {
      for (int i = 0; i < m[k].length; i++) {
        out.writeFloat(m[k][i]);
        out.writeFloat(v[k][i]);
      }
    }
  }

  public void read(DataInputStream in) throws IOException {
    step = in.readLong();
    for (int k = 0; k < m.length; k++) {
      for (int i = 0; i < m[k].length; i++) {
        m[k][i] = in.readFloat();
        v[k][i] = in.readFloat();
      }
    }
  }
}
