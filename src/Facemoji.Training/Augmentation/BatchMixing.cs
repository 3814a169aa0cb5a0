using Facemoji.Engine.Randomness;
using Facemoji.Engine.Tensors;
using Facemoji.Training.Data;

namespace Facemoji.Training.Augmentation;

/// <summary>
/// Mixup (Zhang et al. 2018) and CutMix (Yun et al. 2019) on an augmented batch (N,1,48,48): image i is mixed
/// with image N−1−i (the batch is already in random order), with λ ~ Beta(α, α). Mixup blends the whole
/// images, λ·x_i + (1−λ)·x_partner; CutMix pastes the partner's rectangle of area (1−λ) and sets λ to the
/// share actually kept. The loss is then λ·CE(y_i) + (1−λ)·CE(y_partner). With both on, each batch picks one
/// of the two with even odds. Draws come from the augmentation generator after the batch's own, only when
/// mixing is on, so runs without it are unchanged and --resume stays exact.
/// </summary>
internal static class BatchMixing
{
    /// <summary>λ and the partner of each image: what the loss needs.</summary>
    public sealed record Mix(float Lambda, int[] PartnerTargets, bool IsCutMix);

    public static bool Enabled(double mixupAlpha, double cutMixAlpha) => mixupAlpha > 0 || cutMixAlpha > 0;

    /// <summary>Mixes <paramref name="batch"/> in place; null when both alphas are 0.</summary>
    public static Mix? Apply(Tensor batch, ReadOnlySpan<int> targets, double mixupAlpha, double cutMixAlpha, SeededRandom rng)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(rng);
        if (!Enabled(mixupAlpha, cutMixAlpha))
        {
            return null;
        }

        bool cutMix = cutMixAlpha > 0 && (mixupAlpha <= 0 || rng.NextFloat() < 0.5f);
        double lambda = SampleBeta(cutMix ? cutMixAlpha : mixupAlpha, rng);
        int n = targets.Length;
        const int side = FerDataset.Side, plane = FerDataset.PixelsPerImage;
        var partners = new int[n];
        for (int i = 0; i < n; i++)
        {
            partners[i] = targets[n - 1 - i];
        }

        var source = batch.Span.ToArray();
        var data = batch.Span;
        if (!cutMix)
        {
            float l = (float)lambda;
            for (int i = 0; i < n; i++)
            {
                int self = i * plane, other = (n - 1 - i) * plane;
                for (int p = 0; p < plane; p++)
                {
                    data[self + p] = l * source[self + p] + (1 - l) * source[other + p];
                }
            }

            return new Mix(l, partners, false);
        }

        // The box: side √(1−λ) of the image, centred uniformly, clipped at the border.
        double cut = Math.Sqrt(1 - lambda);
        int w = (int)(side * cut), h = (int)(side * cut);
        int cx = rng.NextInt(side), cy = rng.NextInt(side);
        int x0 = Math.Clamp(cx - w / 2, 0, side), x1 = Math.Clamp(cx + w / 2, 0, side);
        int y0 = Math.Clamp(cy - h / 2, 0, side), y1 = Math.Clamp(cy + h / 2, 0, side);
        for (int i = 0; i < n; i++)
        {
            int self = i * plane, other = (n - 1 - i) * plane;
            for (int y = y0; y < y1; y++)
            {
                source.AsSpan(other + y * side + x0, x1 - x0).CopyTo(data.Slice(self + y * side + x0, x1 - x0));
            }
        }

        float kept = 1 - (float)((x1 - x0) * (y1 - y0)) / plane;
        return new Mix(kept, partners, true);
    }

    /// <summary>Beta(α, α) as X / (X + Y) with X, Y ~ Gamma(α) (Marsaglia and Tsang; α &lt; 1 boosted by U^(1/α)).</summary>
    public static double SampleBeta(double alpha, SeededRandom rng)
    {
        double x = SampleGamma(alpha, rng), y = SampleGamma(alpha, rng);
        return x + y == 0 ? 0.5 : x / (x + y);
    }

    private static double SampleGamma(double alpha, SeededRandom rng)
    {
        if (alpha < 1)
        {
            return SampleGamma(alpha + 1, rng) * Math.Pow(1 - rng.NextDouble(), 1 / alpha);
        }

        double d = alpha - 1.0 / 3, c = 1 / Math.Sqrt(9 * d);
        while (true)
        {
            double z = rng.NextGaussian(), v = 1 + c * z;
            if (v <= 0)
            {
                continue;
            }

            v = v * v * v;
            double u = 1 - rng.NextDouble();
            if (Math.Log(u) < 0.5 * z * z + d - d * v + d * Math.Log(v))
            {
                return d * v;
            }
        }
    }
}
