using Facemoji.Engine;
using Facemoji.Engine.Modules;
using Facemoji.Engine.Serialization;
using Facemoji.Expressions;
using Facemoji.Training.Augmentation;

namespace Facemoji.Training.Evaluation;

/// <summary>A model file loaded into a ready network (evaluation mode), with its header and normalisation.</summary>
public sealed class TrainedModel
{
    private TrainedModel(string path, Module network, ModelHeader header)
    {
        Path = path;
        Network = network;
        Header = header;
        Normalization = new Normalization(header.Preprocessing.Mean[0], header.Preprocessing.Std[0]);
    }

    public string Path { get; }

    public Module Network { get; }

    public ModelHeader Header { get; }

    public Normalization Normalization { get; }

    /// <summary>The calibration temperature the file holds (1 when it has none).</summary>
    public double Temperature => Header.SoftmaxTemperature;

    public static TrainedModel Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FacemojiException($"{path}: no such model file.");
        }

        var file = ModelFile.Read(path);
        var header = file.Header;
        if (!header.Labels.SequenceEqual(EmotionNames.Canonical))
        {
            throw new FacemojiException($"{path}: its labels ({string.Join(", ", header.Labels)}) are not the seven FER2013 emotions in code order.");
        }

        if (header.Preprocessing.Width != 48 || header.Preprocessing.Height != 48 || header.Preprocessing.Channels != 1)
        {
            throw new FacemojiException($"{path}: expects {header.Preprocessing.Width}x{header.Preprocessing.Height}x{header.Preprocessing.Channels} input; the trainer and evaluator work on 48x48 gray.");
        }

        return new TrainedModel(path, file.CreateEvalNetwork(), header);
    }
}
