namespace Facemoji.Engine.Serialization;

/// <summary>
/// Where the trained model that ships with Facemoji lives: <c>models/facemoji.fmm</c> beside the published
/// executable (make build copies it there), or in the repository when running from a build folder.
/// FACEMOJI_MODEL overrides both. Every command uses it unless told --model.
/// </summary>
public static class ShippedModel
{
    public const string FileName = "facemoji.fmm";
    public const string EnvironmentVariable = "FACEMOJI_MODEL";

    public static string Locate()
    {
        string? overridden = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrEmpty(overridden))
        {
            return overridden;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "models", FileName);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FacemojiException($"The shipped model models/{FileName} was not found beside {AppContext.BaseDirectory} or above it; pass --model PATH or set {EnvironmentVariable}.");
    }
}
