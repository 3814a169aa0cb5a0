using Facemoji.Engine.Modules;
using Facemoji.Engine.Tensors;
using Facemoji.Training.Augmentation;
using Facemoji.Training.Calibration;
using Facemoji.Training.Data;

namespace Facemoji.Training.Evaluation;

/// <summary>Runs a network in evaluation mode over a dataset and returns softmax probabilities, averaged over views (test-time augmentation).</summary>
public static class Predictor
{
    /// <summary>
    /// Probabilities (N, classes), row-major: the mean over <paramref name="views"/> of
    /// softmax(logits / <paramref name="temperature"/>) (1: the softmax as trained; a model file's
    /// <c>Temperature</c> calibrates it).
    /// </summary>
    public static float[] PredictProbabilities(Module model, FerDataset data, Normalization normalization, IReadOnlyList<SampleTransform> views, int batchSize, Action<int>? progress = null, double temperature = 1) =>
        PredictLogits(model, data, normalization, views, batchSize, progress).Probabilities(temperature);

    /// <summary>The raw logits of every image under every view, (V, N, classes): calibration fits and applies a temperature to them.</summary>
    public static ViewLogits PredictLogits(Module model, FerDataset data, Normalization normalization, IReadOnlyList<SampleTransform> views, int batchSize, Action<int>? progress = null)
    {
        model.Eval();
        var augmenter = new Augmenter(AugmentationOptions.None, normalization);
        float[]? values = null;
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
            for (int v = 0; v < views.Count; v++)
            {
                transforms.AsSpan(0, n).Fill(views[v]);
                augmenter.Render(data, indices.AsSpan(0, n), transforms.AsSpan(0, n), input);
                var logits = model.Forward(input);
                classes = logits[1];
                values ??= new float[views.Count * data.Count * classes];
                logits.Span[..(n * classes)].CopyTo(values.AsSpan((v * data.Count + start) * classes, n * classes));
            }

            progress?.Invoke(start + n);
        }

        return values is null ? new ViewLogits([], views.Count, 0, 2) : new ViewLogits(values, views.Count, data.Count, classes);
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
}
