using System.Collections.Concurrent;
using Facemoji.Emoji;
using Facemoji.Emoji.Drawn;
using Facemoji.Emoji.Noto;
using Facemoji.Expressions;
using Facemoji.Imaging;

namespace Facemoji.Web.Packs;

/// <summary>
/// The packs the server offers, found once at start-up: the drawn <c>facemoji</c> pack (PNG and SVG) and
/// <c>noto</c> when Noto Color Emoji is installed (its embedded PNGs). Pictures are cached for the common sizes.
/// </summary>
internal sealed class WebPackCatalog
{
    public const string NotoFontPath = "/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf";
    public const int MinSize = 16;
    public const int MaxSize = 512;
    public const int DefaultSize = 128;

    private static readonly int[] CachedSizes = [64, 128, 256];

    private readonly Dictionary<string, WebPack> packs = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, IEmojiPack> drawers = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<(string Pack, Emotion Emotion, Intensity Intensity, int Size, bool Svg), object> cache = new();

    public WebPackCatalog(IEnumerable<WebPack> packs)
    {
        foreach (var pack in packs)
        {
            this.packs[pack.Name] = pack;
        }
    }

    public IEnumerable<WebPack> All => packs.Values.OrderBy(p => p.Name == FacemojiPack.PackName ? 0 : 1).ThenBy(p => p.Name, StringComparer.Ordinal);

    /// <summary>The packs of this machine: the drawn one always, noto when its font is present.</summary>
    public static WebPackCatalog Discover()
    {
        var list = new List<WebPack>
        {
            new(
                FacemojiPack.PackName,
                FacemojiPack.Instance.Description,
                (e, i, size) => ImageCodecs.Encode(FacemojiPack.Instance.Render(e, i, size), ImageFileFormat.Png),
                (e, i, size) => FacemojiPack.Instance.RenderSvg(e, i, size)),
        };
        if (File.Exists(NotoFontPath))
        {
            var noto = new Lazy<NotoPack>(() => NotoPack.Open(NotoFontPath));
            list.Add(new WebPack(
                "noto",
                "Noto Color Emoji by Google (SIL Open Font License), the system font's bitmaps.",
                (e, i, _) => ImageCodecs.Encode(noto.Value.Bitmap(UnicodeEmoji.Codepoint(e, i)), ImageFileFormat.Png),
                null));
        }

        return new WebPackCatalog(list);
    }

    /// <summary>
    /// Adds the pack <c>serve --pack</c> names when it is not one of the built-ins (a user pack's name or folder,
    /// as <c>image --pack</c> accepts), under its own name; the options returned name it that way. Only this
    /// pack is added: requests still name packs, never folders.
    /// </summary>
    public ServerOptions AddStartPack(ServerOptions options)
    {
        if (TryGet(options.Pack, out WebPack known))
        {
            // Names are read in any case; the page compares them as the catalog spells them.
            return known.Name == options.Pack ? options : options.WithPack(known.Name);
        }

        var pack = EmojiPacks.Resolve(options.Pack);
        drawers[pack.Name] = pack;
        packs[pack.Name] = new WebPack(pack.Name, pack.Description, (e, i, size) => ImageCodecs.Encode(pack.Render(e, i, size), ImageFileFormat.Png), null);
        return options.WithPack(pack.Name);
    }

    /// <summary>The pack that draws annotated pictures for <paramref name="pack"/> (the start pack as opened, the built-ins by name).</summary>
    public IEmojiPack Drawer(WebPack pack) => drawers.GetOrAdd(pack.Name, name => EmojiPacks.Resolve(name));

    public bool TryGet(string name, out WebPack pack) => packs.TryGetValue(name, out pack!);

    public byte[] Png(WebPack pack, Emotion emotion, Intensity intensity, int size) =>
        CachedSizes.Contains(size)
            ? (byte[])cache.GetOrAdd((pack.Name, emotion, intensity, size, false), _ => pack.Png(emotion, intensity, size))
            : pack.Png(emotion, intensity, size);

    public string? Svg(WebPack pack, Emotion emotion, Intensity intensity, int size) =>
        !pack.HasSvg ? null
        : CachedSizes.Contains(size)
            ? (string)cache.GetOrAdd((pack.Name, emotion, intensity, size, true), _ => pack.Svg(emotion, intensity, size)!)
            : pack.Svg(emotion, intensity, size);
}
