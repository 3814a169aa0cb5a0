using Facemoji.Engine;

namespace Facemoji.Pipeline.Annotation;

/// <summary>
/// Turns the inputs given on a command line (files and folders) into the list of image files to process.
/// A folder contributes its PNG, JPEG, WebP, GIF and BMP files, sorted by name, not recursing. A path that does not exist is
/// kept as an input, so that it is reported as failed with the others still processed.
/// </summary>
public static class ImageInputs
{
    private static readonly string[] Extensions = [".png", ".jpg", ".jpeg", ".webp", ".gif", ".bmp"];

    public static IReadOnlyList<string> Expand(IEnumerable<string> inputs) => Scan(inputs, recursive: false).Files;

    /// <summary>
    /// The image files of <paramref name="inputs"/>: files as given, folders' image files (PNG, JPEG, WebP, GIF, BMP) sorted by path
    /// (with <paramref name="recursive"/>, those of every sub-folder too), and a count of what a folder held
    /// that was left out (files of other formats, and sub-folders when not recursing), so the user can be told.
    /// </summary>
    public static ImageInputList Scan(IEnumerable<string> inputs, bool recursive)
    {
        var files = new List<string>();
        int otherFiles = 0;
        int subfolders = 0;
        foreach (string input in inputs)
        {
            if (Directory.Exists(input))
            {
                var all = Directory.EnumerateFiles(input, "*", recursive ? SearchOption.AllDirectories : SearchOption.TopDirectoryOnly).ToList();
                var images = all.Where(IsImageFile).Order(StringComparer.Ordinal).ToList();
                otherFiles += all.Count - images.Count;
                if (!recursive)
                {
                    subfolders += Directory.EnumerateDirectories(input).Count();
                }

                if (images.Count == 0)
                {
                    throw new FacemojiException($"{input}: the folder holds no PNG, JPEG, WebP, GIF or BMP files{(recursive ? string.Empty : " (add --recursive for its sub-folders)")}.");
                }

                files.AddRange(images);
            }
            else
            {
                files.Add(input);
            }
        }

        return new ImageInputList(files, otherFiles, subfolders);
    }

    private static bool IsImageFile(string path) => Extensions.Contains(Path.GetExtension(path).ToLowerInvariant());

    /// <summary>
    /// A name in <paramref name="outputFolder"/> for the annotated copy of each input, unique even when two inputs
    /// share a file name, and never the name of an input: <c>image DIR -o DIR</c> where DIR already holds a user's
    /// <c>X.facemoji.png</c> writes the copy of <c>X.png</c> as <c>X-2.facemoji.png</c> instead of overwriting it.
    /// </summary>
    public static IReadOnlyList<string> OutputPaths(IReadOnlyList<string> inputs, string outputFolder)
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        var inputPaths = new HashSet<string>(inputs.Select(FullPathOrSelf), StringComparer.Ordinal);
        var result = new List<string>(inputs.Count);
        foreach (string input in inputs)
        {
            string stem = Path.GetFileNameWithoutExtension(input);
            string extension = OutputExtension(input);
            string name = $"{stem}.facemoji{extension}";
            for (int n = 2; inputPaths.Contains(FullPathOrSelf(Path.Combine(outputFolder, name))) || !used.Add(name); n++)
            {
                name = $"{stem}-{n}.facemoji{extension}";
            }

            result.Add(Path.Combine(outputFolder, name));
        }

        return result;
    }

    private static string FullPathOrSelf(string path)
    {
        try
        {
            return Path.GetFullPath(path);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
        {
            return path;
        }
    }

    /// <summary>
    /// The extension of the annotated copy of <paramref name="input"/>: .jpg for JPEG, .webp for WebP, .png for the
    /// rest (Facemoji writes no GIF or BMP).
    /// </summary>
    public static string OutputExtension(string input) => Path.GetExtension(input).ToLowerInvariant() switch
    {
        ".jpg" or ".jpeg" => ".jpg",
        ".webp" => ".webp",
        _ => ".png",
    };
}
