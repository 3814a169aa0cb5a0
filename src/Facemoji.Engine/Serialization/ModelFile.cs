using System.Security.Cryptography;
using System.Text.Json;
using Facemoji.Engine.Modules;

namespace Facemoji.Engine.Serialization;

/// <summary>
/// A trained network on disk: a JSON header (<see cref="ModelHeader"/>) and the module's named parameters then
/// named buffers, in a checksummed, versioned container (layout in ContainerFile.cs). Saving is atomic: a
/// half-written file never replaces a good one.
/// </summary>
public static class ModelFile
{
    /// <summary>The conventional extension.</summary>
    public const string Extension = ".fmj";

    public static uint CurrentFormatVersion => ContainerFile.CurrentFormatVersion;

    public static void Save(string path, Module model, ModelHeader header)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(header);
        string? problem = header.Validate();
        if (problem is not null)
        {
            throw new ModelFileException(path, $"cannot be saved: {problem}.");
        }

        ContainerFile.Write(path, ContainerKind.Model, SerializeHeader(header), StateTensors(model));
    }

    /// <summary>Writes a read model file again under a new header (a fitted temperature), with its tensors exactly as stored.</summary>
    public static void SaveWithHeader(string path, LoadedModelFile file, ModelHeader header)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(header);
        string? problem = header.Validate();
        if (problem is not null)
        {
            throw new ModelFileException(path, $"cannot be saved: {problem}.");
        }

        ContainerFile.Write(path, ContainerKind.Model, SerializeHeader(header), file.Tensors);
    }

    public static LoadedModelFile Read(string path) => Parse(path, ContainerFile.ReadAllBytes(path));

    /// <summary>
    /// Reads a model file once and gives the SHA-256 of the very bytes it was parsed from, for runs that record
    /// the files they used (teachers, soup members): a second read to hash the file could see other bytes.
    /// </summary>
    public static (LoadedModelFile File, string Sha256) ReadWithSha256(string path)
    {
        byte[] bytes = ContainerFile.ReadAllBytes(path);
        var file = Parse(path, bytes);
        return (file, Convert.ToHexStringLower(SHA256.HashData(bytes)));
    }

    private static LoadedModelFile Parse(string path, byte[] bytes)
    {
        var contents = ContainerFile.Parse(path, bytes, ContainerKind.Model);
        var header = DeserializeHeader(path, contents.HeaderJson);
        return new LoadedModelFile(path, contents.FormatVersion, header, contents.Tensors);
    }

    /// <summary>The tensors a model file holds for a module: NamedParameters, then NamedBuffers (views, not copies).</summary>
    internal static List<NamedTensor> StateTensors(Module model) =>
        [
            .. model.NamedParameters().Select(p => new NamedTensor(p.Name, p.Parameter.Value)),
            .. model.NamedBuffers().Select(b => new NamedTensor(b.Name, b.Value)),
        ];

    internal static string SerializeHeader(ModelHeader header) => JsonSerializer.Serialize(header, SerializationJson.Default.ModelHeader);

    internal static ModelHeader DeserializeHeader(string path, string json)
    {
        ModelHeader? header;
        try
        {
            header = JsonSerializer.Deserialize(json, SerializationJson.Default.ModelHeader);
        }
        catch (JsonException e)
        {
            throw new ModelFileException(path, $"is malformed: its header is not valid model JSON ({e.Message})", e);
        }

        return Checked(path, header);
    }

    internal static ModelHeader Checked(string path, ModelHeader? header)
    {
        if (header is null)
        {
            throw new ModelFileException(path, "is malformed: its header is empty (null).");
        }

        string? problem = header.Validate();
        return problem is null ? header : throw new ModelFileException(path, $"is malformed: {problem}.");
    }
}
