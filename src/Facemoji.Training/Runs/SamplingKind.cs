namespace Facemoji.Training.Runs;

/// <summary>How an epoch picks its training images (<see cref="EpochOrder"/>).</summary>
public enum SamplingKind
{
    /// <summary>Every image once, shuffled.</summary>
    Shuffle = 0,

    /// <summary>Classes drawn uniformly, images with replacement.</summary>
    ClassBalanced = 1,
}
