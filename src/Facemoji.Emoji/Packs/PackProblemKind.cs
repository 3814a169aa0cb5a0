namespace Facemoji.Emoji.Packs;

/// <summary>The kinds of problem <see cref="PackValidator"/> reports, one test each.</summary>
public enum PackProblemKind
{
    /// <summary>No folder, no pack.json, or pack.json is not valid JSON of the expected shape.</summary>
    BadManifest,

    /// <summary>A required field (name, author, licence) is missing or empty, or the name is not allowed.</summary>
    MissingField,

    /// <summary>An emotion has no entry, or an entry names an image file that does not exist.</summary>
    MissingImage,

    /// <summary>An emotion name that is neither a canonical name nor an alias (or one emotion given twice).</summary>
    UnknownEmotion,

    /// <summary>An image path that is absolute or leads outside the pack folder (.., links).</summary>
    PathOutsidePack,

    /// <summary>A file that is not a readable PNG.</summary>
    BadPng,

    /// <summary>An image larger than <see cref="PackValidator.MaxImageSide"/> pixels a side or <see cref="PackValidator.MaxImageBytes"/> bytes.</summary>
    OversizedImage,

    /// <summary>A per-intensity entry without exactly three images (mild, clear, strong).</summary>
    WrongIntensityCount,
}
