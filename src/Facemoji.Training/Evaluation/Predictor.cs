using Facemoji.Engine.Modules;
using Facemoji.Engine.Tensors;
using Facemoji.Training.Augmentation;
using Facemoji.Training.Data;

namespace Facemoji.Training.Evaluation;

/// <summary>Runs a network in evaluation mode over a dataset and returns softmax probabilities, averaged over views (test-time augmentation).</summary>
public static class Predictor
{
    /// <summary>Probabilities (N, classes), row-major: the mean over <paramref name="views"/> of softmax(logits).</summary>
    public static float[] PredictProbabilities(Module model, FerDataset data, Normalization normalization, IReadOnlyList<SampleTransform> views, int batchSize, Action<int>? progress = null)
    {
        model.Eval();
        var augmenter = new Augmenter(AugmentationOptions.None, normalization);
        float[]? probabilities = null;
        int classes = 0;
        var batchData = new float[batchSize * FerDataset.PixelsPerImage];
        var transforms = new SampleTransform[batchSize];
        var indices = new int[batchSize];
        for (int start = 0; start < data.Count; start += batchSize)
        {
            int n = Math.Min(batchSize, data.Count - start);
            for (int i = 0; i < n; i++)
            {
                indices[i] = start + i;
            }

            var input = new Tensor(batchData, n, 1, FerDataset.Side, FerDataset.Side);
            foreach (var view in views)
            {
                transforms.AsSpan(0, n).Fill(view);
                augmenter.Render(data, indices.AsSpan(0, n), transforms.AsSpan(0, n), input);
                var logits = model.Forward(input);
                classes = logits[1];
                probabilities ??= new float[data.Count * classes];
                AddSoftmax(logits.Span, probabilities.AsSpan(start * classes, n * classes), classes, 1f / views.Count);
            }

            progress?.Invoke(start + n);
        }

        return probabilities ?? [];
    }

    /// <summary>The most probable class of each row.</summary>
    public static int[] ArgMax(ReadOnlySpan<float> probabilities, int classes)
    {
        var result = new int[probabilities.Length / classes];
        for (int i = 0; i < result.Length; i++)
        {
            var row = probabilities.Slice(i * classes, classes);
            int best = 0;
            for (int c = 1; c < classes; c++)
            {
                if (row[c] > row[best])
                {
                    best = c;
                }
            }

            result[i] = best;
        }

        return result;
    }

    // logits (N,C) -> target (N,C) += scale * softmax(logits)
    private static void AddSoftmax(ReadOnlySpan<float> logits, Span<float> target, int classes, float scale)
    {
        for (int row = 0; row < target.Length / classes; row++)
        {
            var x = logits.Slice(row * classes, classes);
            float max = float.NegativeInfinity;
            foreach (float v in x)
            {
                max = Math.Max(max, v);
            }

            float sum = 0;
            foreach (float v in x)
            {
                sum += MathF.Exp(v - max);
            }

            for (int c = 0; c < classes; c++)
            {
                target[row * classes + c] += scale * MathF.Exp(x[c] - max) / sum;
            }
        }
    }
}
