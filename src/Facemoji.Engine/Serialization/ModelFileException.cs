namespace Facemoji.Engine.Serialization;

/// <summary>A model file or training checkpoint that cannot be read or written; the message names the file and the problem.</summary>
public sealed class ModelFileException : FacemojiException
{
    public ModelFileException(string path, string problem)
        : base($"{path}: {problem}")
    {
        FilePath = path;
    }

    public ModelFileException(string path, string problem, Exception inner)
        : base($"{path}: {problem}", inner)
    {
        FilePath = path;
    }

    public string FilePath { get; }
}
