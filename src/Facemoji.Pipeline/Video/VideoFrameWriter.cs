using System.Globalization;
using Facemoji.Engine;
using Facemoji.Imaging;

namespace Facemoji.Pipeline.Video;

/// <summary>
/// Encodes RGBA frames with ffmpeg (H.264, yuv420p) through a pipe into a temporary file beside the output,
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

    public VideoFrameWriter(string outputPath, int width, int height, double framesPerSecond, string? audioSource)
    {
        this.outputPath = outputPath;
        Width = width;
        Height = height;
        string directory = Path.GetDirectoryName(Path.GetFullPath(outputPath))!;
        if (!Directory.Exists(directory))
        {
            throw new FacemojiException($"{outputPath}: the folder {directory} does not exist.");
        }

        temporaryPath = Path.Combine(directory, $".{Path.GetFileNameWithoutExtension(outputPath)}.partial{Path.GetExtension(outputPath)}");
        var arguments = new List<string>
        {
            "-v", "error", "-y",
            "-f", "rawvideo", "-pix_fmt", "rgba", "-s", $"{width}x{height}",
            "-r", framesPerSecond.ToString("0.######", CultureInfo.InvariantCulture), "-i", "-",
        };
        if (audioSource is not null)
        {
            arguments.AddRange(["-i", audioSource, "-map", "0:v:0", "-map", "1:a?", "-c:a", "aac", "-shortest"]);
        }

        // Even dimensions: yuv420p needs them, and a panel or an odd source may not have them.
        arguments.AddRange(["-vf", "pad=ceil(iw/2)*2:ceil(ih/2)*2", "-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-pix_fmt", "yuv420p", temporaryPath]);
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
