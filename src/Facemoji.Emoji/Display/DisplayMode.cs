namespace Facemoji.Emoji.Display;

/// <summary>How <see cref="EmojiOverlay"/> shows the emoji of each face on an image or video frame.</summary>
public enum DisplayMode
{
    /// <summary>The emoji covers the face: scaled to the face box with a small margin, alpha-blended.</summary>
    Cover,

    /// <summary>The face box, the label with its confidence, and a small emoji beside the face.</summary>
    Badge,

    /// <summary>The frame on the left; on the right a large emoji of the main face and the seven probabilities as bars (a wider image).</summary>
    Panel,
}
