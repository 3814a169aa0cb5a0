using System.Text.Json.Nodes;
using Facemoji.Engine;
using Facemoji.Engine.Networks;
using Facemoji.Engine.Serialization;

namespace Facemoji.Training.Evaluation;

/// <summary>
/// Everything <c>facemoji model show</c> reports about a model file: its header (labels, preprocessing,
/// temperature, metrics, training facts) and the layers of the network it builds (<see cref="NetworkSummary"/>).
/// A file that is not a model file, is damaged, or names an unknown network is a <see cref="FacemojiException"/>
/// naming the file.
/// </summary>
public sealed class ModelDescription
{
    private ModelDescription(string path, long fileBytes, uint formatVersion, ModelHeader header, NetworkSummary summary)
    {
        Path = path;
        FileBytes = fileBytes;
        FormatVersion = formatVersion;
        Header = header;
        Summary = summary;
    }

    public string Path { get; }

    public long FileBytes { get; }

    public uint FormatVersion { get; }

    public ModelHeader Header { get; }

    public NetworkSummary Summary { get; }

    public static ModelDescription Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new FacemojiException($"{path}: no such model file.");
        }

        var file = ModelFile.Read(path);
        Engine.Modules.Module network;
        try
        {
            network = file.CreateEvalNetwork();
        }
        catch (FacemojiException e) when (e is not ModelFileException)
        {
            throw new FacemojiException($"{path}: {e.Message}", e);
        }

        var pre = file.Header.Preprocessing;
        var summary = NetworkSummary.Of(network, pre.Channels, pre.Height, pre.Width);
        return new ModelDescription(path, new FileInfo(path).Length, file.FormatVersion, file.Header, summary);
    }

    public JsonObject ToJson()
    {
        var pre = Header.Preprocessing;
        return new JsonObject
        {
            ["path"] = Path,
            ["file_bytes"] = FileBytes,
            ["format_version"] = FormatVersion,
            ["architecture"] = Header.Architecture,
            ["architecture_options"] = Object(Header.ArchitectureOptions.Select(p => (p.Key, (JsonNode?)p.Value))),
            ["input_shape"] = Array(Summary.InputShape),
            ["layers"] = new JsonArray(Summary.Layers.Select(l => (JsonNode)new JsonObject
            {
                ["name"] = l.Name,
                ["kind"] = l.Kind,
                ["description"] = l.Description,
                ["output_shape"] = Array(l.OutputShape),
                ["parameters"] = l.Parameters,
                ["multiply_adds"] = l.MultiplyAdds,
            }).ToArray()),
            ["parameters"] = Summary.Parameters,
            ["multiply_adds"] = Summary.MultiplyAdds,
            ["preprocessing"] = new JsonObject
            {
                ["width"] = pre.Width,
                ["height"] = pre.Height,
                ["channels"] = pre.Channels,
                ["mean"] = new JsonArray(pre.Mean.Select(m => (JsonNode)JsonValue.Create(m)).ToArray()),
                ["std"] = new JsonArray(pre.Std.Select(s => (JsonNode)JsonValue.Create(s)).ToArray()),
                ["crop_policy"] = pre.CropPolicy,
            },
            ["labels"] = new JsonArray(Header.Labels.Select(l => (JsonNode)JsonValue.Create(l)).ToArray()),
            ["temperature"] = Header.SoftmaxTemperature,
            ["calibrated"] = Header.Temperature is not null,
            ["created_utc"] = Header.CreatedUtc.ToString("O"),
            ["metrics"] = Object(Header.Metrics.Select(p => (p.Key, (JsonNode?)JsonValue.Create(p.Value)))),
            ["training_info"] = Object(Header.TrainingInfo.Select(p => (p.Key, (JsonNode?)p.Value))),
        };

        static JsonArray Array(IEnumerable<int> values) => new(values.Select(v => (JsonNode)JsonValue.Create(v)).ToArray());

        static JsonObject Object(IEnumerable<(string Key, JsonNode? Value)> pairs)
        {
            var result = new JsonObject();
            foreach (var (key, value) in pairs.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                result[key] = value;
            }

            return result;
        }
    }
}
