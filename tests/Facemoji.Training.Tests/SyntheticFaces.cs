using Facemoji.Engine.Randomness;
using Facemoji.Training.Data;

namespace Facemoji.Training.Tests;

/// <summary>A learnable stand-in for FER2013: class c is a bright square at a class-specific place on a noisy background.</summary>
public static class SyntheticFaces
{
    public static FerDataset Make(int perClass, ulong seed, string source = "synthetic")
    {
        var rng = new SeededRandom(seed);
        int count = perClass * 7;
        var pixels = new byte[count * FerDataset.PixelsPerImage];
        var labels = new byte[count];
        for (int i = 0; i < count; i++)
        {
            int label = i % 7;
            labels[i] = (byte)label;
            var image = pixels.AsSpan(i * FerDataset.PixelsPerImage, FerDataset.PixelsPerImage);
            for (int p = 0; p < image.Length; p++)
            {
                image[p] = (byte)rng.NextInt(20, 90);
            }

            int left = (label % 4) * 11 + 2, top = (label / 4) * 22 + 4;
            for (int y = top; y < top + 14; y++)
            {
                for (int x = left; x < left + 10; x++)
                {
                    image[y * FerDataset.Side + x] = (byte)rng.NextInt(190, 250);
                }
            }
        }

        return new FerDataset(pixels, labels, source);
    }
}
