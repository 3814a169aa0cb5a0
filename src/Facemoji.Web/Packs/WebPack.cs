using Facemoji.Expressions;

namespace Facemoji.Web.Packs;

/// <summary>
/// A pack as the page sees it: its name, a line about it, and its pictures as PNG (every pack) and SVG
/// (the drawn pack). Only packs listed at start-up are served, so a request names a pack, never a folder.
/// </summary>
internal sealed class WebPack
{
    private readonly Func<Emotion, Intensity, int, byte[]> png;
    private readonly Func<Emotion, Intensity, int, string>? svg;

    public WebPack(string name, string description, Func<Emotion, Intensity, int, byte[]> png, Func<Emotion, Intensity, int, string>? svg)
    {
        Name = name;
        Description = description;
        this.png = png;
        this.svg = svg;
    }

    public string Name { get; }

    public string Description { get; }

    public bool HasSvg => svg is not null;

    public byte[] Png(Emotion emotion, Intensity intensity, int size) => png(emotion, intensity, size);

    public string? Svg(Emotion emotion, Intensity intensity, int size) => svg?.Invoke(emotion, intensity, size);
}
