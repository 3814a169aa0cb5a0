using Facemoji.Engine;
using Facemoji.Engine.Randomness;
using Facemoji.Expressions;

namespace Facemoji.Training.Data;

/// <summary>
/// Holds out a fraction of every class, so the held-out part has the same class mix as the whole (disgust is
/// 1.5% of FER2013: a plain random 10% could leave it with a handful of images or none).
/// </summary>
public static class StratifiedSplit
{
    /// <summary>Splits by <paramref name="heldOutFraction"/> per class (at least one image of every class with two or more); same seed, same split.</summary>
    public static (FerDataset Kept, FerDataset HeldOut) Split(FerDataset dataset, double heldOutFraction, ulong seed)
    {
        if (heldOutFraction is <= 0 or >= 1)
        {
            throw new FacemojiException($"The held-out fraction must be between 0 and 1, not {heldOutFraction}.");
        }

        var rng = new SeededRandom(seed);
        var kept = new List<int>();
        var heldOut = new List<int>();
        for (int label = 0; label < EmotionNames.Count; label++)
        {
            var members = Enumerable.Range(0, dataset.Count).Where(i => dataset.Labels[i] == label).ToArray();
            rng.Shuffle(members.AsSpan());
            int take = members.Length < 2 ? 0 : Math.Clamp((int)Math.Round(members.Length * heldOutFraction), 1, members.Length - 1);
            heldOut.AddRange(members[..take]);
            kept.AddRange(members[take..]);
        }

        if (heldOut.Count == 0)
        {
            throw new FacemojiException($"{dataset.Source}: too few images ({dataset.Count}) to hold out a validation part; give one with --val.");
        }

        kept.Sort();
        heldOut.Sort();
        return (dataset.Subset(kept.ToArray(), $"{dataset.Source} minus {heldOutFraction:P0} held out"),
                dataset.Subset(heldOut.ToArray(), $"stratified {heldOutFraction:P0} of {dataset.Source}"));
    }
}
