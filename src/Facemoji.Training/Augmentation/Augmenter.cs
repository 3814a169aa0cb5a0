using Facemoji.Engine.Randomness;
using Facemoji.Engine.Tensors;
using Facemoji.Training.Data;

namespace Facemoji.Training.Augmentation;

/// <summary>
/// Turns images of a <see cref="FerDataset"/> into a normalised float batch (N,1,48,48), perturbed or not.
/// Determinism: every random number is drawn up front, on the caller's thread, from one
/// <see cref="SeededRandom"/> (<see cref="Draw"/>); the pixel work that follows (<see cref="Render"/>) is
/// pure and runs batched on all cores through <see cref="ParallelRows"/>. So the batch depends on the seed
/// alone, never on the thread count or scheduling, and the generator's saved state resumes it exactly.
/// (Forking a generator per worker would tie the result to how rows are split among threads.)
/// </summary>
internal sealed class Augmenter(AugmentationOptions options, Normalization normalization)
{
    public AugmentationOptions Options { get; } = options;

    public Normalization Normalization { get; } = normalization;

    /// <summary>Draws one transform per image, in order. 12 draws per image whatever the options, so streams stay aligned.</summary>
    public void Draw(SeededRandom rng, Span<SampleTransform> transforms)
    {
        var o = Options;
        const int side = FerDataset.Side;
        for (int i = 0; i < transforms.Length; i++)
        {
            bool flip = rng.NextFloat() < o.FlipProbability;
            float angle = rng.NextFloat(-1, 1) * o.MaxRotationDegrees;
            float scale = 1 + rng.NextFloat(-1, 1) * o.ScaleRange;
            int cropX = o.CropPadding == 0 ? SkipInt(rng) : rng.NextInt(-o.CropPadding, o.CropPadding + 1);
            int cropY = o.CropPadding == 0 ? SkipInt(rng) : rng.NextInt(-o.CropPadding, o.CropPadding + 1);
            float shiftX = rng.NextFloat(-1, 1) * o.MaxShiftFraction * side;
            float shiftY = rng.NextFloat(-1, 1) * o.MaxShiftFraction * side;
            float brightness = 1 + rng.NextFloat(-1, 1) * o.Brightness;
            float contrast = 1 + rng.NextFloat(-1, 1) * o.Contrast;

            bool erase = rng.NextFloat() < o.ErasingProbability;
            float area = rng.NextFloat(o.ErasingMinArea, o.ErasingMaxArea) * side * side;
            float logAspect = rng.NextFloat(-1, 1) * MathF.Log(Math.Max(1, o.ErasingMaxAspect));
            int eraseW = 0, eraseH = 0, eraseX = 0, eraseY = 0;
            ulong position = rng.NextUInt64();
            if (erase)
            {
                float aspect = MathF.Exp(logAspect);
                eraseW = Math.Clamp((int)MathF.Round(MathF.Sqrt(area * aspect)), 1, side);
                eraseH = Math.Clamp((int)MathF.Round(MathF.Sqrt(area / aspect)), 1, side);
                eraseX = (int)(position % (ulong)(side - eraseW + 1));
                eraseY = (int)((position >> 32) % (ulong)(side - eraseH + 1));
            }

            transforms[i] = new SampleTransform(flip, angle, scale, cropX + shiftX, cropY + shiftY, brightness, contrast, eraseX, eraseY, eraseW, eraseH);
        }
    }

    /// <summary>
    /// Draws one transform and, when webcam effects are on, one <see cref="CameraEffects"/> per image, in image
    /// order (the image's 12 draws, then its camera draws). Without webcam effects this is exactly <see cref="Draw"/>.
    /// </summary>
    public void Draw(SeededRandom rng, Span<SampleTransform> transforms, Span<CameraEffects> effects)
    {
        if (!CameraAugmentation.Enabled(Options))
        {
            Draw(rng, transforms);
            effects.Fill(CameraEffects.None);
            return;
        }

        for (int i = 0; i < transforms.Length; i++)
        {
            Draw(rng, transforms.Slice(i, 1));
            effects[i] = CameraAugmentation.Draw(Options, rng);
        }
    }

    /// <summary>Draws transforms for the images and renders them: a training batch.</summary>
    public void Augment(FerDataset dataset, ReadOnlySpan<int> indices, SeededRandom rng, Tensor output)
    {
        var transforms = new SampleTransform[indices.Length];
        var effects = new CameraEffects[indices.Length];
        Draw(rng, transforms, effects);
        Render(dataset, indices, transforms, output, effects);
    }

    /// <summary>The images as they are, normalised: an evaluation batch.</summary>
    public void Plain(FerDataset dataset, ReadOnlySpan<int> indices, Tensor output)
    {
        var transforms = new SampleTransform[indices.Length];
        transforms.AsSpan().Fill(SampleTransform.Identity);
        Render(dataset, indices, transforms, output);
    }

    /// <summary>Renders image indices[i] under transforms[i] into output[i] (N,1,48,48), in parallel.</summary>
    public void Render(FerDataset dataset, ReadOnlySpan<int> indices, ReadOnlySpan<SampleTransform> transforms, Tensor output) =>
        Render(dataset, indices, transforms, output, []);

    /// <summary>As <see cref="Render(FerDataset, ReadOnlySpan{int}, ReadOnlySpan{SampleTransform}, Tensor)"/>, with a camera degradation per image (empty: none).</summary>
    public void Render(FerDataset dataset, ReadOnlySpan<int> indices, ReadOnlySpan<SampleTransform> transforms, Tensor output, ReadOnlySpan<CameraEffects> effects)
    {
        const int plane = FerDataset.PixelsPerImage;
        if (transforms.Length != indices.Length || output.Length != indices.Length * plane)
        {
            throw new ArgumentException($"{indices.Length} images need {indices.Length} transforms and an output of {indices.Length}x1x48x48, got {transforms.Length} and {output}.");
        }

        if (effects.Length != 0 && effects.Length != indices.Length)
        {
            throw new ArgumentException($"{indices.Length} images need {indices.Length} camera effects or none, got {effects.Length}.", nameof(effects));
        }

        ParallelRows.For(indices.Length, 8, new RenderOperation(dataset.Pixels, indices.ToArray(), transforms.ToArray(), effects.ToArray(), output.Data, Normalization));
    }

    private static int SkipInt(SeededRandom rng)
    {
        rng.NextUInt64();
        return 0;
    }

    // pixels (N,48,48) bytes -> output (B,1,48,48) floats
    private readonly struct RenderOperation(byte[] pixels, int[] indices, SampleTransform[] transforms, CameraEffects[] effects, float[] output, Normalization normalization) : IRowOperation
    {
        public void Invoke(int start, int end)
        {
            const int side = FerDataset.Side;
            const int plane = FerDataset.PixelsPerImage;
            for (int i = start; i < end; i++)
            {
                var t = transforms[i];
                var source = pixels.AsSpan(indices[i] * plane, plane);
                var target = output.AsSpan(i * plane, plane);
                if (t.IsGeometricIdentity)
                {
                    for (int p = 0; p < plane; p++)
                    {
                        target[p] = source[p] * (1f / 255f);
                    }
                }
                else
                {
                    Warp(source, target, t);
                }

                if (t.BrightnessFactor != 1 || t.ContrastFactor != 1)
                {
                    AdjustBrightnessContrast(target, t.BrightnessFactor, t.ContrastFactor);
                }

                if (effects.Length != 0 && !effects[i].IsIdentity)
                {
                    CameraAugmentation.Apply(target, effects[i]);
                }

                float mean = normalization.Mean, inverseStd = 1 / normalization.Std;
                for (int p = 0; p < plane; p++)
                {
                    target[p] = (target[p] - mean) * inverseStd;
                }

                // Erased after normalisation with 0, the dataset mean: the patch carries no signal.
                if (t.HasErasing)
                {
                    for (int y = t.EraseY; y < t.EraseY + t.EraseHeight; y++)
                    {
                        target.Slice(y * side + t.EraseX, t.EraseWidth).Clear();
                    }
                }
            }
        }

        /// <summary>Inverse-maps every output pixel into the source and samples bilinearly; outside is black (the crop padding).</summary>
        private static void Warp(ReadOnlySpan<byte> source, Span<float> target, SampleTransform t)
        {
            const int side = FerDataset.Side;
            const float centre = (side - 1) / 2f;
            float radians = t.RotationDegrees * MathF.PI / 180f;
            float cos = MathF.Cos(radians) / t.Scale, sin = MathF.Sin(radians) / t.Scale;
            for (int y = 0; y < side; y++)
            {
                float dy = y - centre - t.ShiftY;
                for (int x = 0; x < side; x++)
                {
                    float dx = x - centre - t.ShiftX;
                    // Undo rotation and scale (rotate by -angle, divide by scale), then the flip.
                    float sx = cos * dx + sin * dy + centre;
                    float sy = -sin * dx + cos * dy + centre;
                    if (t.Flip)
                    {
                        sx = side - 1 - sx;
                    }

                    target[y * side + x] = Sample(source, sx, sy) * (1f / 255f);
                }
            }
        }

        private static float Sample(ReadOnlySpan<byte> source, float sx, float sy)
        {
            const int side = FerDataset.Side;
            float fx0 = MathF.Floor(sx), fy0 = MathF.Floor(sy);
            int x0 = (int)fx0, y0 = (int)fy0;
            float fx = sx - fx0, fy = sy - fy0;
            float p00 = Pixel(source, x0, y0), p10 = Pixel(source, x0 + 1, y0);
            float p01 = Pixel(source, x0, y0 + 1), p11 = Pixel(source, x0 + 1, y0 + 1);
            float top = p00 + fx * (p10 - p00);
            float bottom = p01 + fx * (p11 - p01);
            return top + fy * (bottom - top);

            static float Pixel(ReadOnlySpan<byte> s, int x, int y) => (uint)x < side && (uint)y < side ? s[y * side + x] : 0f;
        }

        private static void AdjustBrightnessContrast(Span<float> image, float brightness, float contrast)
        {
            float sum = 0;
            foreach (float v in image)
            {
                sum += v;
            }

            float mean = sum / image.Length * brightness;
            for (int p = 0; p < image.Length; p++)
            {
                image[p] = Math.Clamp((image[p] * brightness - mean) * contrast + mean, 0f, 1f);
            }
        }
    }
}
