using Facemoji.Training.Data;

namespace Facemoji.Training.Runs;

/// <summary>
/// Picks the training and validation sets for <c>facemoji train</c>. Training: the train split (or the whole of
/// a single-split source). Validation, unless --val names a split of the data or another dataset: the data's
/// val split (the CSV's PublicTest), else its test split, else a stratified 10% held out of train.
/// </summary>
public static class TrainingDataSelection
{
    public const double DefaultHeldOutFraction = 0.1;

    public sealed record Selection(FerDataset Train, FerDataset Validation, string ValidationDescription)
    {
        /// <summary>True when the validation images are a slice held out of train: the model never trains on them, so they may also calibrate it.</summary>
        public bool ValidationHeldOutOfTrain { get; init; }
    }

    /// <param name="data">The loaded --data.</param>
    /// <param name="validationSpec">--val: null, a split name of the data, or a path to another dataset.</param>
    /// <param name="loadOther">Loads a dataset from a path (the same loader and cache as --data).</param>
    public static Selection Select(DatasetSplits data, string? validationSpec, ulong seed, Func<string, DatasetSplits> loadOther)
    {
        var train = data.IsSingleSplit ? data.Get(DatasetSplits.All) : data.Get(DatasetSplits.Train);
        if (validationSpec is { Length: > 0 })
        {
            if (DatasetSplits.Canonicalize(validationSpec) is { } split && !File.Exists(validationSpec) && !Directory.Exists(validationSpec))
            {
                if (split == DatasetSplits.Train || data.IsSingleSplit)
                {
                    return HeldOut(train, seed);
                }

                return new Selection(train, data.Get(split), $"the {split} split of {data.Source}");
            }

            var other = loadOther(validationSpec);
            var validation = other.IsSingleSplit ? other.Get(DatasetSplits.All)
                : other.Find(DatasetSplits.Validation) ?? other.Find(DatasetSplits.Test) ?? other.Get(DatasetSplits.All);
            return new Selection(train, validation, validation.Source);
        }

        if (!data.IsSingleSplit && (data.Find(DatasetSplits.Validation) ?? data.Find(DatasetSplits.Test)) is { } own)
        {
            return new Selection(train, own, own.Source);
        }

        return HeldOut(train, seed);
    }

    private static Selection HeldOut(FerDataset train, ulong seed)
    {
        var (kept, heldOut) = StratifiedSplit.Split(train, DefaultHeldOutFraction, seed);
        return new Selection(kept, heldOut, heldOut.Source) { ValidationHeldOutOfTrain = true };
    }
}
