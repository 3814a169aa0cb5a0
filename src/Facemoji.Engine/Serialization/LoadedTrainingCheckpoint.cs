using Facemoji.Engine.Modules;
using Facemoji.Engine.Optim;

namespace Facemoji.Engine.Serialization;

/// <summary>A training checkpoint read into memory. Rebuild the network from <c>Model.Header</c>, then <see cref="Restore"/>.</summary>
public sealed class LoadedTrainingCheckpoint
{
    internal LoadedTrainingCheckpoint(LoadedModelFile model, OptimizerState optimizer, TrainingProgress progress)
    {
        Model = model;
        Optimizer = optimizer;
        Progress = progress;
    }

    /// <summary>The model header and tensors (save them with <see cref="ModelFile.Save"/> to export the model).</summary>
    public LoadedModelFile Model { get; }

    public OptimizerState Optimizer { get; }

    public TrainingProgress Progress { get; }

    public string Path => Model.Path;

    /// <summary>Copies the model tensors into <paramref name="model"/> and the state into <paramref name="optimizer"/>; checks both before changing either.</summary>
    public void Restore(Module model, Optimizer optimizer)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);

        // The optimizer checks a state fully before taking it; if the model then does not fit, the optimizer's
        // previous state goes back, so that a mismatch leaves both untouched.
        var snapshot = optimizer.SaveState();
        try
        {
            optimizer.LoadState(Optimizer);
        }
        catch (FacemojiException e) when (e is not ModelFileException)
        {
            throw new ModelFileException(Path, $"does not fit this run's optimizer: {e.Message}", e);
        }

        try
        {
            Model.LoadInto(model);
        }
        catch
        {
            optimizer.LoadState(snapshot);
            throw;
        }
    }
}
