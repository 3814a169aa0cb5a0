using System.Text.Json.Serialization;
using Facemoji.Engine.Optim;

namespace Facemoji.Engine.Serialization;

/// <summary>
/// Source-generated JSON for the file headers (no reflection, so it survives trimming). Named floating-point
/// literals are allowed because a best metric may be infinite (a loss that diverged); doubles round-trip exactly.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    WriteIndented = true,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    UseStringEnumConverter = true,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip)]
[JsonSerializable(typeof(ModelHeader))]
[JsonSerializable(typeof(CheckpointHeader))]
internal sealed partial class SerializationJson : JsonSerializerContext
{
}
