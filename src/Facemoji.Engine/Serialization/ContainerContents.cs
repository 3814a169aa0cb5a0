namespace Facemoji.Engine.Serialization;

/// <summary>A container as read: its format version, the UTF-8 JSON header and the named tensors in file order.</summary>
internal sealed record ContainerContents(uint FormatVersion, string HeaderJson, IReadOnlyList<NamedTensor> Tensors);
