namespace Facemoji.Vision.Cascades;

/// <summary>
/// Where an OpenCV cascade is read from when no <c>--cascade</c> names one: <c>cascades/NAME</c> beside the program
/// (the NuGet packages and <c>make build</c> put OpenCV's frontal-face cascades there), else Debian's opencv-data
/// folder (the path given to <see cref="Locate"/>).
/// </summary>
public static class CascadeFiles
{
    public const string FolderName = "cascades";

    /// <summary>The copy beside the program of the cascade at <paramref name="systemPath"/> if there is one, else <paramref name="systemPath"/>.</summary>
    public static string Locate(string systemPath)
    {
        string beside = Path.Combine(AppContext.BaseDirectory, FolderName, Path.GetFileName(systemPath));
        return File.Exists(beside) ? beside : systemPath;
    }
}
