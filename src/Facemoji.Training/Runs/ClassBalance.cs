namespace Facemoji.Training.Runs;

/// <summary>
/// How the trainer counters FER2013's class imbalance (happy 7,215 training images, disgust 436). See
/// docs/TRAINING.md for the measurements behind the default.
/// </summary>
public enum ClassBalance
{
    /// <summary>Every image counts the same: the rare classes are mostly ignored.</summary>
    None,

    /// <summary>Loss weight of class c proportional to 1/sqrt(count c): rare classes matter more, without the noisy gradients of full inverse weighting. The default.</summary>
    SqrtInverse,

    /// <summary>Loss weight proportional to 1/count c: every class weighs the same in total.</summary>
    Inverse,
}
