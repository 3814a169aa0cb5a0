namespace Facemoji.Engine.Serialization;

/// <summary>What a Facemoji container holds; stored after the format version so that each reader can say what it was given instead.</summary>
internal enum ContainerKind : uint
{
    Model = 1,
    TrainingCheckpoint = 2,
}
