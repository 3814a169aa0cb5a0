using System.Globalization;
using Facemoji.Engine;
using Facemoji.Imaging;

namespace Facemoji.Pipeline.Video;

/// <summary>
/// Encodes RGBA frames with ffmpeg (H.264 yuv420p for .mp4/.mkv/.mov, VP9 for .webm, a palette GIF for .gif) through a pipe into a temporary file beside the output,
/// copies the audio of <c>audioSource</c> when it has any, and renames the file into place only when
/// <see cref="Complete"/> succeeds: a failed or interrupted run leaves nothing half-written.
/// </summary>
public sealed class VideoFrameWriter : IDisposable
{
    private readonly ToolProcess ffmpeg;
    private readonly Stream input;
    private readonly string temporaryPath;
    private readonly string outputPath;
    private bool completed;

    /// <summary>The output formats, by file extension; anything else is refused before any work by <see cref="CheckOutputPath"/>.</summary>
    public static readonly IReadOnlyList<string> SupportedExtensions = [".mp4", ".mkv", ".mov", ".webm", ".gif"];

    /// <summary>Fails with a clear message when <paramref name="outputPath"/> names a format this writer cannot make or a folder that does not exist.</summary>
    public static void CheckOutputPath(string outputPath)
    {
        string extension = Path.GetExtension(outputPath).ToLowerInvariant();
        if (!SupportedExtensions.Contains(extension))
        {
            throw new FacemojiException($"{outputPath}: cannot write {(extension.Length == 0 ? "a file without an extension" : $"'{extension}' videos")}; name it .mp4, .mkv, .mov, .webm or .gif.");
        }

        string directory = Path.GetDirectoryName(Path.GetFullPath(outputPath))!;
        if (!Directory.Exists(directory))
        {
            throw new FacemojiException($"{outputPath}: the folder {directory} does not exist.");
        }

        OutputFile.Check(outputPath);
    }

    public VideoFrameWriter(string outputPath, int width, int height, double framesPerSecond, string? audioSource)
    {
        this.outputPath = outputPath;
        Width = width;
        Height = height;
        CheckOutputPath(outputPath);
        string directory = Path.GetDirectoryName(Path.GetFullPath(outputPath))!;
        string extension = Path.GetExtension(outputPath).ToLowerInvariant();
        temporaryPath = Path.Combine(directory, $".{Path.GetFileNameWithoutExtension(outputPath)}.partial{Path.GetExtension(outputPath)}");
        var arguments = new List<string>
        {
            "-v", "error", "-y",
            "-f", "rawvideo", "-pix_fmt", "rgba", "-s", $"{width}x{height}",
            "-r", framesPerSecond.ToString("0.######", CultureInfo.InvariantCulture), "-i", "-",
        };
        if (audioSource is not null && extension != ".gif")
        {
            arguments.AddRange(["-i", audioSource, "-map", "0:v:0", "-map", "1:a?", "-c:a", extension == ".webm" ? "libopus" : "aac", "-shortest"]);
        }

        // Even dimensions: yuv420p needs them, and a panel or an odd source may not have them.
        arguments.AddRange(extension switch
        {
            // One palette for the whole clip, made from its own frames: far better colours than the default one.
            ".gif" => ["-vf", "split[a][b];[a]palettegen[p];[b][p]paletteuse", temporaryPath],
            ".webm" => ["-vf", "pad=ceil(iw/2)*2:ceil(ih/2)*2", "-c:v", "libvpx-vp9", "-b:v", "0", "-crf", "33", "-deadline", "realtime", "-pix_fmt", "yuv420p", temporaryPath],
            _ => ["-vf", "pad=ceil(iw/2)*2:ceil(ih/2)*2", "-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-pix_fmt", "yuv420p", temporaryPath],
        });
        ffmpeg = FfmpegTools.Start(FfmpegTools.Ffmpeg, arguments, redirectInput: true);
        input = ffmpeg.Process.StandardInput.BaseStream;
    }

    public int Width { get; }

    public int Height { get; }

    public void Write(RgbaImage frame)
    {
        if (frame.Width != Width || frame.Height != Height)
        {
            throw new ArgumentException($"Frame is {frame.Width}x{frame.Height}, the video is {Width}x{Height}.", nameof(frame));
        }

        try
        {
            input.Write(frame.Pixels);
        }
        catch (IOException)
        {
            throw new FacemojiException($"{outputPath}: ffmpeg stopped while encoding ({ffmpeg.ErrorSummary}).");
        }
    }

    /// <summary>Finishes the encode and moves the file into place.</summary>
    public void Complete()
    {
        input.Close();
        if (ffmpeg.WaitForExit() != 0)
        {
            File.Delete(temporaryPath);
            throw new FacemojiException($"{outputPath}: ffmpeg could not encode the video ({ffmpeg.ErrorSummary}).");
        }

        File.Move(temporaryPath, outputPath, overwrite: true);
        completed = true;
    }

    public void Dispose()
    {
        ffmpeg.Dispose();
        if (!completed && File.Exists(temporaryPath))
        {
            File.Delete(temporaryPath);
        }
    }
}
