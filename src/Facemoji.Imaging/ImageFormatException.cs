
namespace Facemoji.Imaging;

/// <summary>
/// An image that cannot be read or written: unsupported format, truncated or corrupt data, dimensions over
/// the limits. The message starts with the file (or other source) and says what is wrong with it.
/// </summary>
public class ImageFormatException : FacemojiException
{
    public ImageFormatException(string source, string problem)
        : base($"{source}: {problem}")
    {
        SourceName = source;
        Problem = problem;
    }

    public ImageFormatException(string source, string problem, Exception inner)
        : base($"{source}: {problem}", inner)
    {
        SourceName = source;
        Problem = problem;
    }

    /// <summary>The file name or other description of where the bytes came from.</summary>
    public string SourceName { get; }

    /// <summary>The problem alone, without the source.</summary>
    public string Problem { get; }
}
