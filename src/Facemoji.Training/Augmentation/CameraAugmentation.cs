using Facemoji.Engine.Randomness;
using Facemoji.Imaging;
using Facemoji.Training.Data;

namespace Facemoji.Training.Augmentation;

/// <summary>
/// Webcam and phone-photo degradations for training (--augment webcam): FER2013 faces are web photos, while
/// the pipeline sees webcam frames and phone pictures, darker or washed out, soft, noisy, JPEG-compressed and
/// partly covered. Draws come from the augmenter's generator after its own 12 per image, a fixed
/// <see cref="DrawsPerImage"/> whatever the options, and only when some effect is on, so runs without them draw
/// exactly as before and --resume stays exact. The pixel work is a pure function of the draw (the noise has its
/// own per-image seed), so batches do not depend on threads.
/// </summary>
internal static class CameraAugmentation
{
    public const int DrawsPerImage = 13;

    public static bool Enabled(AugmentationOptions o) =>
        o.GammaRange > 0 || o.BlurProbability > 0 || o.JpegProbability > 0 || o.NoiseProbability > 0 || o.OcclusionProbability > 0;

    public static CameraEffects Draw(AugmentationOptions o, SeededRandom rng)
    {
        const int side = FerDataset.Side;
        float gamma = MathF.Exp(rng.NextFloat(-1, 1) * MathF.Log(1 + o.GammaRange));
        bool blur = rng.NextFloat() < o.BlurProbability;
        float sigma = rng.NextFloat(0.3f, Math.Max(0.3f, o.MaxBlurSigma));
        bool jpeg = rng.NextFloat() < o.JpegProbability;
        int quality = rng.NextInt(o.MinJpegQuality, Math.Max(o.MinJpegQuality, o.MaxJpegQuality) + 1);
        bool noise = rng.NextFloat() < o.NoiseProbability;
        float noiseStd = rng.NextFloat(0, o.MaxNoiseStd);
        ulong noiseSeed = rng.NextUInt64();
        bool occlude = rng.NextFloat() < o.OcclusionProbability;
        // An occluder covers 10-30% of the face, entering from the bottom or a side, as hands and phones do.
        float area = rng.NextFloat(0.1f, 0.3f) * side * side;
        float aspect = MathF.Exp(rng.NextFloat(-1, 1) * MathF.Log(2.5f));
        ulong position = rng.NextUInt64();
        float gray = rng.NextFloat();
        int w = 0, h = 0, x = 0, y = 0;
        if (occlude)
        {
            w = Math.Clamp((int)MathF.Round(MathF.Sqrt(area * aspect)), 1, side);
            h = Math.Clamp((int)MathF.Round(MathF.Sqrt(area / aspect)), 1, side);
            switch (position % 3)
            {
                case 0: // from the bottom edge
                    x = (int)((position >> 8) % (ulong)(side - w + 1));
                    y = side - h;
                    break;
                case 1: // from the left edge
                    y = (int)((position >> 8) % (ulong)(side - h + 1));
                    break;
                default: // from the right edge
                    x = side - w;
                    y = (int)((position >> 8) % (ulong)(side - h + 1));
                    break;
            }
        }

        return new CameraEffects(o.GammaRange > 0 ? gamma : 1, blur ? sigma : 0, jpeg ? quality : 0, noise ? noiseStd : 0, noiseSeed, x, y, w, h, gray);
    }

    // image (48,48) floats in [0, 1] -> the same, degraded in place
    public static void Apply(Span<float> image, in CameraEffects e)
    {
        const int side = FerDataset.Side;
        if (e.Gamma != 1)
        {
            for (int p = 0; p < image.Length; p++)
            {
                image[p] = MathF.Pow(image[p], e.Gamma);
            }
        }

        if (e.BlurSigma > 0)
        {
            GaussianBlur(image, side, e.BlurSigma);
        }

        if (e.JpegQuality > 0)
        {
            var gray = new GrayImage(side, side);
            for (int p = 0; p < image.Length; p++)
            {
                gray.Pixels[p] = (byte)Math.Clamp((int)MathF.Round(image[p] * 255), 0, 255);
            }

            var decoded = ImageCodecs.DecodeGray(ImageCodecs.Encode(gray, ImageFileFormat.Jpeg, e.JpegQuality), "augmentation");
            for (int p = 0; p < image.Length; p++)
            {
                image[p] = decoded.Pixels[p] * (1f / 255f);
            }
        }

        if (e.NoiseStd > 0)
        {
            var rng = new SeededRandom(e.NoiseSeed);
            for (int p = 0; p < image.Length; p++)
            {
                image[p] = Math.Clamp(image[p] + (float)rng.NextGaussian() * e.NoiseStd, 0f, 1f);
            }
        }

        if (e.HasOcclusion)
        {
            for (int y = e.OcclusionY; y < e.OcclusionY + e.OcclusionHeight; y++)
            {
                image.Slice(y * side + e.OcclusionX, e.OcclusionWidth).Fill(e.OcclusionGray);
            }
        }
    }

    // image (side,side) -> separable Gaussian blur, edges clamped
    private static void GaussianBlur(Span<float> image, int side, float sigma)
    {
        int radius = Math.Max(1, (int)MathF.Ceiling(2 * sigma));
        var kernel = new float[2 * radius + 1];
        float sum = 0;
        for (int i = -radius; i <= radius; i++)
        {
            kernel[i + radius] = MathF.Exp(-i * i / (2 * sigma * sigma));
            sum += kernel[i + radius];
        }

        for (int i = 0; i < kernel.Length; i++)
        {
            kernel[i] /= sum;
        }

        var temp = new float[image.Length];
        for (int y = 0; y < side; y++)
        {
            for (int x = 0; x < side; x++)
            {
                float acc = 0;
                for (int k = -radius; k <= radius; k++)
                {
                    acc += kernel[k + radius] * image[y * side + Math.Clamp(x + k, 0, side - 1)];
                }

                temp[y * side + x] = acc;
            }
        }

        for (int y = 0; y < side; y++)
        {
            for (int x = 0; x < side; x++)
            {
                float acc = 0;
                for (int k = -radius; k <= radius; k++)
                {
                    acc += kernel[k + radius] * temp[Math.Clamp(y + k, 0, side - 1) * side + x];
                }

                image[y * side + x] = acc;
            }
        }
    }
}
