using Facemoji.Engine.Randomness;
using Facemoji.Expressions;
using Facemoji.Training.Data;

namespace Facemoji.Training.Runs;

/// <summary>
/// The order of the training images in one epoch. <see cref="SamplingKind.Shuffle"/>: every image once, in a
/// seeded random order (the trainer's behaviour before sampling existed, draw for draw).
/// <see cref="SamplingKind.ClassBalanced"/> (--sampler balanced): as many draws as images, each a class chosen
/// uniformly among the classes present, then one of its images uniformly, with replacement, so fear and
/// disgust are seen as often as happy (a disgust image about 16 times an epoch on FER2013).
/// </summary>
internal static class EpochOrder
{
    public static int[] Next(FerDataset train, SamplingKind sampling, SeededRandom rng)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(rng);
        if (sampling == SamplingKind.Shuffle)
        {
            var order = Enumerable.Range(0, train.Count).ToArray();
            rng.Shuffle(order.AsSpan());
            return order;
        }

        var members = Enumerable.Range(0, EmotionNames.Count)
            .Select(c => Enumerable.Range(0, train.Count).Where(i => train.Labels[i] == c).ToArray())
            .Where(m => m.Length > 0)
            .ToArray();
        var result = new int[train.Count];
        for (int i = 0; i < result.Length; i++)
        {
            var pool = members[rng.NextInt(members.Length)];
            result[i] = pool[rng.NextInt(pool.Length)];
        }

        return result;
    }
}
