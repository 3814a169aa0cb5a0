using System.Numerics.Tensors;
using Facemoji.Engine.Modules;

namespace Facemoji.Engine.Optim;

/// <summary>Gradient clipping as torch.nn.utils.clip_grad_norm_ (L2 norm over all gradients together).</summary>
public static class GradientClipping
{
    /// <summary>
    /// Scales every gradient by maxNorm / (total + 1e-6) when that is below one, and returns the total L2 norm of
    /// the gradients before clipping. When the norm is not finite the gradients are left as they are (PyTorch
    /// would fill them with NaN): the caller should look at the returned norm and skip the step.
    /// </summary>
    public static float ClipByGlobalNorm(IReadOnlyList<Parameter> parameters, double maxNorm)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(maxNorm > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, "The largest gradient norm must be above zero.");
        }

        // As PyTorch: the norm of each gradient, then the norm of those norms.
        double sumOfSquares = 0;
        for (int i = 0; i < parameters.Count; i++)
        {
            double norm = TensorPrimitives.Norm(parameters[i].Grad.Span);
            sumOfSquares += norm * norm;
        }

        float total = (float)Math.Sqrt(sumOfSquares);
        if (!float.IsFinite(total))
        {
            return total;
        }

        float coefficient = (float)maxNorm / (total + 1e-6f);
        if (coefficient < 1f)
        {
            for (int i = 0; i < parameters.Count; i++)
            {
                var grad = parameters[i].Grad.Span;
                TensorPrimitives.Multiply(grad, coefficient, grad);
            }
        }

        return total;
    }
}
