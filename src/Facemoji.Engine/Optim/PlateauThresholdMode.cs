namespace Facemoji.Engine.Optim;

/// <summary>Whether an improvement must beat the best by a fraction of it (PyTorch's "rel") or by a fixed amount ("abs").</summary>
public enum PlateauThresholdMode
{
    Relative,
    Absolute,
}
