using Facemoji.Engine;

namespace Facemoji.Training.Evaluation;

/// <summary>
/// Where the model that ships with Facemoji is found when no --model is given: $FACEMOJI_MODEL, then
/// models/facemoji.fmj next to the program, then models/facemoji.fmj in the current folder or any folder above
/// it (a checkout).
/// </summary>
public static class ShippedModel
{
    public const string RelativePath = "models/facemoji.fmj";

    public static IEnumerable<string> Candidates()
    {
        if (Environment.GetEnvironmentVariable("FACEMOJI_MODEL") is { Length: > 0 } fromEnvironment)
        {
            yield return fromEnvironment;
        }

        yield return Path.Combine(AppContext.BaseDirectory, RelativePath);
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            yield return Path.Combine(dir.FullName, RelativePath);
        }
    }

    public static string Locate() =>
        Candidates().FirstOrDefault(File.Exists)
        ?? throw new FacemojiException($"No shipped model found (looked for $FACEMOJI_MODEL and {RelativePath} next to the program and above the current folder); pass one with --model.");
}
