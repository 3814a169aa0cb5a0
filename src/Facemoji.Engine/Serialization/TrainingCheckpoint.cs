using System.Text.Json;
using Facemoji.Engine.Modules;
using Facemoji.Engine.Optim;

namespace Facemoji.Engine.Serialization;

/// <summary>
/// Everything `--resume` needs to continue a run as if it had never stopped: the model's tensors, the optimizer's
/// buffers and scalars, the schedule state, the epoch and step, every random generator's state, the best metric
/// and the trainer's own JSON. Same container as a model file (kind "training checkpoint"); tensors are named
/// "model/…" and "optimizer/…".
/// </summary>
public static class TrainingCheckpoint
{
    /// <summary>The conventional extension.</summary>
    public const string Extension = ".fmjckpt";

    internal const string ModelPrefix = "model/";
    internal const string OptimizerPrefix = "optimizer/";

    public static void Save(string path, Module model, ModelHeader header, Optimizer optimizer, TrainingProgress progress)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(progress);
        string? problem = header.Validate() ?? progress.Validate();
        if (problem is not null)
        {
            throw new ModelFileException(path, $"cannot be saved: {problem}.");
        }

        var optimizerState = optimizer.SaveState();
        var checkpointHeader = new CheckpointHeader(header, new CheckpointOptimizer(optimizerState.Algorithm, optimizerState.StepCount, optimizerState.LearningRate), progress);
        var tensors = new List<NamedTensor>();
        tensors.AddRange(ModelFile.StateTensors(model).Select(t => t with { Name = ModelPrefix + t.Name }));
        tensors.AddRange(optimizerState.Buffers.Select(t => t with { Name = OptimizerPrefix + t.Name }));
        ContainerFile.Write(path, ContainerKind.TrainingCheckpoint, JsonSerializer.Serialize(checkpointHeader, SerializationJson.Default.CheckpointHeader), tensors);
    }

    public static LoadedTrainingCheckpoint Load(string path)
    {
        var contents = ContainerFile.Read(path, ContainerKind.TrainingCheckpoint);
        CheckpointHeader? header;
        try
        {
            header = JsonSerializer.Deserialize(contents.HeaderJson, SerializationJson.Default.CheckpointHeader);
        }
        catch (JsonException e)
        {
            throw new ModelFileException(path, $"is malformed: its header is not valid checkpoint JSON ({e.Message})", e);
        }

        if (header?.Model is null || header.Optimizer is null || header.Progress is null)
        {
            throw new ModelFileException(path, "is malformed: its header lacks the model, optimizer or progress section.");
        }

        var modelHeader = ModelFile.Checked(path, header.Model);
        string? problem = header.Progress.Validate();
        if (problem is not null)
        {
            throw new ModelFileException(path, $"is malformed: {problem}.");
        }

        var o = header.Optimizer;
        if (string.IsNullOrEmpty(o.Algorithm) || o.StepCount < 0 || !(o.LearningRate >= 0) || !double.IsFinite(o.LearningRate))
        {
            throw new ModelFileException(path, "is malformed: the optimizer's algorithm, step count or learning rate is invalid.");
        }

        var modelTensors = new List<NamedTensor>();
        var optimizerBuffers = new List<NamedTensor>();
        foreach (var tensor in contents.Tensors)
        {
            if (tensor.Name.StartsWith(ModelPrefix, StringComparison.Ordinal))
            {
                modelTensors.Add(tensor with { Name = tensor.Name[ModelPrefix.Length..] });
            }
            else if (tensor.Name.StartsWith(OptimizerPrefix, StringComparison.Ordinal))
            {
                optimizerBuffers.Add(tensor with { Name = tensor.Name[OptimizerPrefix.Length..] });
            }
            else
            {
                throw new ModelFileException(path, $"is malformed: tensor '{tensor.Name}' belongs neither to the model nor to the optimizer.");
            }
        }

        return new LoadedTrainingCheckpoint(
            new LoadedModelFile(path, contents.FormatVersion, modelHeader, modelTensors),
            new OptimizerState(o.Algorithm, o.StepCount, o.LearningRate, optimizerBuffers),
            header.Progress);
    }
}
