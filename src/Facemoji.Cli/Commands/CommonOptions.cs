using System.CommandLine;
using System.Security.Cryptography;
using Facemoji.Emoji;
using Facemoji.Emoji.Display;
using Facemoji.Engine;
using Facemoji.Engine.Serialization;
using Facemoji.Pipeline;
using Facemoji.Vision.Cascades;

namespace Facemoji.Cli.Commands;

/// <summary>
/// The one vocabulary of the <c>facemoji</c> verbs: an option that two verbs share is made here, so that its
/// name, short form, values, default and description are the same everywhere (the option-consistency test
/// walks the command tree and checks it). Values from a fixed set are read case-insensitively and a bad one
/// gets a message that lists the good ones.
/// </summary>
public static class CommonOptions
{
    /// <summary>The display mode every verb starts with: the emoji over the face, as on the live page.</summary>
    public const string DefaultMode = "cover";

    public static readonly string[] Modes = ["cover", "badge", "panel"];

    /// <summary><c>-o/--output</c>: where a verb writes (a file or a folder, as the description says).</summary>
    public static Option<string?> Output(string description) => new("--output", "-o") { Description = description, HelpName = "path" };

    public static Option<string?> Model() => new("--model")
    {
        Description = $"The model file (default: the shipped model, {ShippedModel.RelativePath}).",
        HelpName = "file",
    };

    public static Option<string> Pack() => new("--pack")
    {
        Description = "Emoji pack: facemoji, noto, a user pack name or a pack folder.",
        DefaultValueFactory = _ => EmojiPacks.DefaultName,
        HelpName = "pack",
    };

    public static Option<string?> Cascade() => new("--cascade")
    {
        Description = "OpenCV cascade XML for --detector haar or lbp (default: opencv-data's Haar frontalface_default, or its LBP frontalface_improved for lbp); without --detector it means haar.",
        HelpName = "file",
    };

    /// <summary>
    /// <c>--resume [FILE]</c>: continue a run that stopped, from FILE or, named alone, from the file the verb keeps
    /// for it (train: the checkpoint beside -o; image and video: the --jsonl results).
    /// </summary>
    public static Option<string?> Resume(string description) => new("--resume")
    {
        Description = description,
        Arity = ArgumentArity.ZeroOrOne,
        HelpName = "file",
    };

    /// <summary>True when <paramref name="option"/> is on the command line, with or without a value.</summary>
    public static bool IsGiven(ParseResult parseResult, Option option) => parseResult.GetResult(option) is { Implicit: false };

    public static Option<string> Mode() => Choice("--mode", "How the emoji is shown: cover (over the face), badge (beside it) or panel (with the probabilities).", DefaultMode, Modes);

    public static Option<bool> Json(string description) => new("--json") { Description = description };

    public static Option<string?> CacheDir() => new("--cache-dir")
    {
        Description = "Folder for the decoded-data cache (default: $FACEMOJI_CACHE_DIR, else $XDG_CACHE_HOME/facemoji/datasets, else ~/.cache/facemoji/datasets).",
        HelpName = "folder",
    };

    /// <summary>
    /// A string option whose value is one of <paramref name="choices"/>, in any case; the value read is the
    /// choice as written here (lowercase). Anything else is an error naming the option and the choices.
    /// </summary>
    public static Option<string> Choice(string name, string description, string defaultValue, IReadOnlyCollection<string> choices)
    {
        var option = new Option<string>(name)
        {
            Description = description,
            DefaultValueFactory = _ => defaultValue,
            HelpName = string.Join('|', choices),
        };
        option.CustomParser = result =>
        {
            string given = result.Tokens.Count > 0 ? result.Tokens[^1].Value : defaultValue;
            string? match = choices.FirstOrDefault(c => string.Equals(c, given.Trim(), StringComparison.OrdinalIgnoreCase));
            if (match is null)
            {
                result.AddError($"{name}: '{given}' is not one of {string.Join(", ", choices)}.");
                return defaultValue;
            }

            return match;
        };
        return option;
    }

    public static DisplayMode ToDisplayMode(string mode) => Enum.Parse<DisplayMode>(mode, ignoreCase: true);

    /// <summary>"models/facemoji.fmj (sha256 1a2b3c4d)": which model file ran, so that two models with one architecture are told apart.</summary>
    public static string DescribeModelFile(string path)
    {
        // Hashing a stream would never end on /dev/zero and block on a FIFO: only regular files (the size limit is the model reader's).
        if (BoundedFile.Problem(path, long.MaxValue) is { } problem)
        {
            throw new FacemojiException($"{path}: cannot read the model file ({problem}).");
        }

        try
        {
            using var stream = File.OpenRead(path);
            string hash = Convert.ToHexStringLower(SHA256.HashData(stream))[..8];
            return $"{Path.GetFullPath(path)} (sha256 {hash})";
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new FacemojiException($"{path}: cannot read the model file ({ex.Message}).", ex);
        }
    }
}
