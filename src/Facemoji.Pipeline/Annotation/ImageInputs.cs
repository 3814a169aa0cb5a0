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

    public static IReadOnlyList<string> Expand(IEnumerable<string> inputs, bool recursive = false) => Scan(inputs, recursive).Files;

    /// <summary>
    /// The image files of <paramref name="inputs"/>: files as given, folders' image files (PNG, JPEG, WebP, GIF, BMP) sorted by path
    /// (with <paramref name="recursive"/>, those of every sub-folder too, but not of folders reached through a
    /// symbolic link), and a count of what a folder held that was left out (files of other formats, sub-folders when
    /// not recursing, linked folders when recursing), so the user can be told.
    /// </summary>
    public static ImageInputList Scan(IEnumerable<string> inputs, bool recursive)
    {
        var files = new List<string>();
        int otherFiles = 0;
        int subfolders = 0;
        int linkedFolders = 0;
        foreach (string input in inputs)
        {
            if (Directory.Exists(input))
            {
                var all = FilesUnder(input, recursive, ref subfolders, ref linkedFolders);
                var images = all.Where(IsImageFile).Order(StringComparer.Ordinal).ToList();
                otherFiles += all.Count - images.Count;

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

        return new ImageInputList(files, otherFiles, subfolders, linkedFolders);
    }

    /// <summary>
    /// The files in <paramref name="folder"/> (links to files included) and, when recursing, in its sub-folders. A
    /// linked folder is not entered, as find(1) does by default: a link to a parent folder would otherwise loop until
    /// the path length gives out, reading every photo thousands of times.
    /// </summary>
    private static List<string> FilesUnder(string folder, bool recursive, ref int subfolders, ref int linkedFolders)
    {
        var files = new List<string>();
        var pending = new Stack<string>([folder]);
        while (pending.TryPop(out string? current))
        {
            files.AddRange(Directory.EnumerateFiles(current));
            foreach (string child in Directory.EnumerateDirectories(current))
            {
                if (!recursive)
                {
                    subfolders++;
                }
                else if (new DirectoryInfo(child).LinkTarget is not null)
                {
                    linkedFolders++;
                }
                else
                {
                    pending.Push(child);
                }
            }
        }

        return files;
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
