using Facemoji.Emoji;
using Facemoji.Emoji.Display;
using Facemoji.Imaging;

namespace Facemoji.Pipeline.Annotation;

/// <summary>
/// <c>facemoji demo</c>: one photo analysed once and drawn in each display mode asked for, as
/// FOLDER/astronaut-MODE.png. What was found and what was written, for the command to print.
/// </summary>
public sealed record DisplayModePictures(int Width, int Height, IReadOnlyList<FaceAnalysis> Faces, IReadOnlyList<(DisplayMode Mode, string Path)> Written)
{
    public static DisplayModePictures Write(string photo, string folder, FaceAnalyzer analyzer, IEmojiPack pack, IReadOnlyList<DisplayMode> modes)
    {
        OutputFile.CheckFolder(folder);
        var image = ImageCodecs.Load(photo);
        var faces = analyzer.Analyze(image);
        var readings = faces.Select(f => (f.Box, f.Reading)).ToList();
        Directory.CreateDirectory(folder);
        var written = new List<(DisplayMode, string)>();
        foreach (var mode in modes)
        {
            string path = Path.Combine(folder, $"astronaut-{mode.ToString().ToLowerInvariant()}.png");
            ImageCodecs.Save(new ImageAnnotator(analyzer, pack, mode).Draw(image, readings), path);
            written.Add((mode, path));
        }

        return new DisplayModePictures(image.Width, image.Height, faces, written);
    }
}
