using Facemoji.Engine;
using Facemoji.Imaging;

namespace Facemoji.Pipeline.Annotation;

/// <summary>
/// <c>facemoji image INPUT…</c> without a batch: each photo is read, its faces analysed and, when
/// <c>outputFolder</c> is given and a face was found, an annotated copy written there (a photo without a face gets
/// no copy: it would only repeat the input). A photo that fails (missing, undecodable, too large) becomes a result
/// with its error and the others are still processed; the report's exit code is 1 if any failed.
/// </summary>
public static class ImageRun
{
    /// <param name="files">The photos, as <see cref="ImageInputs.Scan"/> lists them.</param>
    /// <param name="outputFolder">Where annotated copies go (see <see cref="ImageInputs.OutputPaths"/>); null writes none.</param>
    /// <param name="annotator">Finds, reads and draws the faces.</param>
    /// <param name="onResult">Called after each photo, in order (to print its JSON line or move a progress bar).</param>
    public static ImageRunReport Run(IReadOnlyList<string> files, string? outputFolder, ImageAnnotator annotator, Action<ImageResult>? onResult = null)
    {
        if (outputFolder is not null)
        {
            OutputFile.CheckFolder(outputFolder);
        }

        var outputs = outputFolder is null ? null : ImageInputs.OutputPaths(files, outputFolder);
        var results = new List<ImageResult>(files.Count);
        for (int i = 0; i < files.Count; i++)
        {
            var result = ProcessOne(files[i], outputs?[i], annotator);
            results.Add(result);
            onResult?.Invoke(result);
        }

        return new ImageRunReport(results);
    }

    private static ImageResult ProcessOne(string file, string? output, ImageAnnotator annotator)
    {
        try
        {
            var image = ImageCodecs.Load(file);
            var (faces, annotated) = annotator.Annotate(image);
            string? written = null;
            if (output is not null && faces.Count > 0)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
                ImageCodecs.Save(annotated, output);
                written = output;
            }

            return new ImageResult(file, faces, null, written, AnalysisJson.ImageLine(file, image.Width, image.Height, faces));
        }
        catch (FacemojiException ex)
        {
            return new ImageResult(file, null, ex.Message, null, AnalysisJson.ErrorLine(file, ex.Message));
        }
    }
}
