using Facemoji.Engine.Serialization;

namespace Facemoji.Pipeline;

/// <summary>
/// Where the trained model that ships with Facemoji is found when no --model is given: $FACEMOJI_MODEL, then
/// models/facemoji.fmj beside the program (make build copies it there) or in any folder above it, then in the
/// current folder or any folder above it (a checkout).
/// </summary>
public static class ShippedModel
{
    public const string FileName = "facemoji" + ModelFile.Extension;
    public const string RelativePath = "models/" + FileName;
    public const string EnvironmentVariable = "FACEMOJI_MODEL";

    public static IEnumerable<string> Candidates()
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } fromEnvironment)
        {
            yield return fromEnvironment;
            yield break;
        }

        foreach (string start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                yield return Path.Combine(dir.FullName, RelativePath);
            }
        }
    }

    public static string Locate()
    {
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } fromEnvironment)
        {
            // Named explicitly: a missing file is reported by whoever opens it, with this path.
            return fromEnvironment;
        }

        return Candidates().FirstOrDefault(File.Exists)
            ?? throw new FacemojiException($"No shipped model found ({RelativePath} beside the program, above it, or above the current folder); pass one with --model or set {EnvironmentVariable}.");
    }
}
