using Facemoji.Expressions;

namespace Facemoji.Emoji;

/// <summary>
/// The Unicode emoji of each emotion at each intensity: the text form of every result (JSON, terminal) and
/// the codepoints that the <c>noto</c> pack draws. Every entry is ONE codepoint that Noto Color Emoji's cmap
/// maps directly (no ZWJ sequences, so no GSUB shaping is needed).
/// </summary>
/// <remarks>
/// <code>
/// emotion   mild              clear               strong
/// angry     U+1F624 😤 steam   U+1F620 😠 angry     U+1F621 😡 pouting (red)
/// disgust   U+1F612 😒 unamused U+1F922 🤢 nauseated U+1F92E 🤮 vomiting
/// fear      U+1F61F 😟 worried U+1F628 😨 fearful   U+1F631 😱 screaming
/// happy     U+1F642 🙂 slight  U+1F600 😀 grinning  U+1F604 😄 grinning, smiling eyes
/// sad       U+1F641 🙁 slight  U+1F622 😢 crying    U+1F62D 😭 loudly crying
/// surprise  U+1F62F 😯 hushed  U+1F62E 😮 open mouth U+1F632 😲 astonished
/// neutral   U+1F636 😶 no mouth U+1F610 😐 neutral  U+1F611 😑 expressionless
/// </code>
/// </remarks>
public static class UnicodeEmoji
{
    // Rows in Emotion code order, columns in Intensity order.
    private static readonly int[,] Codepoints =
    {
        { 0x1F624, 0x1F620, 0x1F621 }, // angry
        { 0x1F612, 0x1F922, 0x1F92E }, // disgust
        { 0x1F61F, 0x1F628, 0x1F631 }, // fear
        { 0x1F642, 0x1F600, 0x1F604 }, // happy
        { 0x1F641, 0x1F622, 0x1F62D }, // sad
        { 0x1F62F, 0x1F62E, 0x1F632 }, // surprise
        { 0x1F636, 0x1F610, 0x1F611 }, // neutral
    };

    /// <summary>The codepoint of an emotion at an intensity (see the table in the remarks).</summary>
    public static int Codepoint(Emotion emotion, Intensity intensity)
    {
        if ((uint)emotion >= EmotionNames.Count || (uint)intensity > (uint)Intensity.Strong)
        {
            throw new ArgumentOutOfRangeException(nameof(emotion), $"No emoji for {emotion}/{intensity}.");
        }

        return Codepoints[(int)emotion, (int)intensity];
    }

    /// <summary>The emoji as a string (a surrogate pair): what JSON and terminal output print.</summary>
    public static string For(Emotion emotion, Intensity intensity) => char.ConvertFromUtf32(Codepoint(emotion, intensity));

    /// <summary>The emoji of a classifier reading: its top emotion at its intensity.</summary>
    public static string For(ExpressionReading reading) => For(reading.Emotion, reading.Intensity);

    /// <summary>"U+1F600", for tables and error messages.</summary>
    public static string Describe(int codepoint) => $"U+{codepoint:X4}";
}
