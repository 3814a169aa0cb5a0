namespace Facemoji.Expressions;

/// <summary>
/// Canonical lower-case names of the emotions and the aliases that datasets use for their folders.
/// Classes are always mapped by name, never by folder order: alphabetical folder order (angry, disgust, fear,
/// happy, neutral, sad, surprise) differs from the CSV code order, a mix-up that broke the tutorial seeds.
/// </summary>
public static class EmotionNames
{
    public const int Count = 7;

    /// <summary>Names in code order: index i is the name of (Emotion)i.</summary>
    public static IReadOnlyList<string> Canonical { get; } = ["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"];

    private static readonly Dictionary<string, Emotion> Aliases = new(StringComparer.OrdinalIgnoreCase)
    {
        ["angry"] = Emotion.Angry, ["anger"] = Emotion.Angry, ["mad"] = Emotion.Angry,
        ["disgust"] = Emotion.Disgust, ["disgusted"] = Emotion.Disgust, ["contempt"] = Emotion.Disgust,
        ["fear"] = Emotion.Fear, ["fearful"] = Emotion.Fear, ["afraid"] = Emotion.Fear, ["scared"] = Emotion.Fear,
        ["happy"] = Emotion.Happy, ["happiness"] = Emotion.Happy, ["joy"] = Emotion.Happy,
        ["sad"] = Emotion.Sad, ["sadness"] = Emotion.Sad,
        ["surprise"] = Emotion.Surprise, ["surprised"] = Emotion.Surprise,
        ["neutral"] = Emotion.Neutral, ["natural"] = Emotion.Neutral, ["calm"] = Emotion.Neutral,
    };

    public static string Name(this Emotion emotion) => Canonical[(int)emotion];

    public static bool TryParse(string name, out Emotion emotion) => Aliases.TryGetValue(name.Trim(), out emotion);

    /// <summary>Every accepted spelling, for error messages that list what would have worked.</summary>
    public static IEnumerable<string> AcceptedNames => Aliases.Keys.Order(StringComparer.Ordinal);
}
