namespace Facemoji.Training.Runs;

/// <summary>The optimizer a run uses.</summary>
public enum OptimizerKind
{
    /// <summary>SGD with Nesterov momentum 0.9: the usual choice for BN CNNs on FER2013.</summary>
    Sgd,

    AdamW,
}
