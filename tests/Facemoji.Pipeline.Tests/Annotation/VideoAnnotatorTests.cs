using System.Diagnostics;
using System.Text.Json;
using Facemoji.Emoji;
using Facemoji.Emoji.Display;
using Facemoji.Engine;
using Facemoji.Pipeline.Annotation;
using Facemoji.Pipeline.Video;

namespace Facemoji.Pipeline.Tests.Annotation;

/// <summary>
/// Videos made with ffmpeg from the sample photo, run through the whole video path. One class, so its tests
/// run one after another (one of them changes FACEMOJI_FFMPEG for the process).
/// </summary>
public sealed class VideoAnnotatorTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("facemoji-video-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static string Run(string tool, params string[] arguments)
    {
        var info = new ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string a in (string[])["-v", "error", .. arguments])
        {
            info.ArgumentList.Add(a);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        string errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        process.ExitCode.Should().Be(0, errors);
        return output.Result;
    }

    private static void Ffmpeg(params string[] arguments) => Run("ffmpeg", ["-y", .. arguments]);

    /// <summary>Frames in a file's video stream, counted by decoding it.</summary>
    private static int CountFrames(string path) => int.Parse(Run("ffprobe", "-count_frames", "-select_streams", "v:0",
        "-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", path).Trim());

    /// <summary>A 640x480 clip of the astronaut drifting sideways, with a tone as its sound.</summary>
    private string MakeClip(double seconds = 2, int fps = 10)
    {
        string path = Path.Combine(folder, "astronaut.mp4");
        Ffmpeg("-loop", "1", "-i", RepositoryFiles.SamplePhotoPath, "-f", "lavfi", "-i", $"sine=frequency=440:duration={seconds}",
            "-f", "lavfi", "-i", $"color=c=gray:s=640x480:r={fps}:d={seconds}",
            "-filter_complex", $"[0:v]scale=400:400[face];[2:v][face]overlay=x='40+t*20':y=40:shortest=1,fps={fps},format=yuv420p[v]",
            "-map", "[v]", "-map", "1:a", "-t", $"{seconds}", "-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", path);
        return path;
    }

    private static VideoAnnotator Annotator(DisplayMode mode = DisplayMode.Cover) =>
        new(FaceAnalyzer.Create(new AnalyzerOptions { ModelPath = UntrainedModel.Path }), EmojiPacks.Resolve("facemoji"), mode);

    [Fact]
    [Trait("Category", "Slow")]
    public void Annotates_every_frame_keeps_the_audio_and_writes_a_timeline()
    {
        string clip = MakeClip();
        string output = Path.Combine(folder, "out.mp4");
        string timeline = Path.Combine(folder, "timeline.json");

        var report = Annotator().Run(clip, output, timeline);

        report.Frames.Should().Be(CountFrames(clip)).And.BeGreaterThan(15);
        report.Warnings.Should().BeEmpty("ffmpeg decodes a sound clip without a word, and silence is no warning");
        CountFrames(output).Should().Be(report.Frames);
        var info = VideoInfo.Probe(output);
        (info.Width, info.Height).Should().Be((640, 480));
        info.HasAudio.Should().BeTrue();
        info.DurationSeconds.Should().BeApproximately(2.0, 0.15);

        using var doc = JsonDocument.Parse(File.ReadAllText(timeline));
        var rows = doc.RootElement.GetProperty("rows").EnumerateArray().ToList();
        rows.Should().HaveCountGreaterThanOrEqualTo(report.Frames - 2, "the face is found in (nearly) every frame");
        // The first frame shows its detections unconfirmed (issue 14), so a one-frame false detection may show there only.
        rows.Where(r => r.GetProperty("frame").GetInt32() > 0).Select(r => r.GetProperty("track_id").GetInt32()).Distinct().Should().ContainSingle("one face, one track");
        rows.Select(r => r.GetProperty("frame").GetInt32()).Should().BeInAscendingOrder();
        Directory.GetFiles(folder).Should().NotContain(f => f.Contains(".partial"));
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void Panel_mode_makes_a_wider_video_and_a_csv_timeline()
    {
        string clip = MakeClip(seconds: 1);
        string output = Path.Combine(folder, "panel.mp4");
        string timeline = Path.Combine(folder, "timeline.csv");

        Annotator(DisplayMode.Panel).Run(clip, output, timeline);

        VideoInfo.Probe(output).Width.Should().BeGreaterThan(640);
        var lines = File.ReadAllLines(timeline);
        lines[0].Should().StartWith("frame,time_s,track_id,x,y,w,h,emotion,confidence,intensity,p_angry");
        lines.Length.Should().BeGreaterThan(5);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void A_truncated_video_is_annotated_as_far_as_it_goes_with_a_warning()
    {
        string clip = MakeClip(seconds: 4);
        string faststart = Path.Combine(folder, "faststart.mp4");
        Ffmpeg("-i", clip, "-c", "copy", "-movflags", "+faststart", faststart);
        byte[] bytes = File.ReadAllBytes(faststart);
        string truncated = Path.Combine(folder, "truncated.mp4");
        File.WriteAllBytes(truncated, bytes[..(bytes.Length * 6 / 10)]);

        var report = Annotator().Run(truncated, Path.Combine(folder, "out.mp4"), null);

        report.Frames.Should().BeGreaterThan(0);
        report.Warnings.Should().NotBeEmpty().And.OnlyContain(w => w.StartsWith(truncated + ":"));
    }

    [Fact]
    public void Not_a_video_is_a_clear_error_and_writes_nothing()
    {
        string bogus = Path.Combine(folder, "notes.mp4");
        File.WriteAllText(bogus, "this is not a video");
        string output = Path.Combine(folder, "out.mp4");

        var act = () => Annotator().Run(bogus, output, null);

        act.Should().Throw<FacemojiException>().WithMessage("*notes.mp4*");
        File.Exists(output).Should().BeFalse();
    }

    [Fact(Timeout = 30_000)]
    public async Task A_fifo_is_refused_without_waiting_for_a_writer()
    {
        string fifo = Path.Combine(folder, "live.mp4");
        using (var mkfifo = Process.Start("mkfifo", fifo))
        {
            await mkfifo.WaitForExitAsync();
        }

        var act = () => Annotator().Run(fifo, Path.Combine(folder, "out.mp4"), null);

        await Task.Run(() => act.Should().Throw<FacemojiException>().WithMessage($"{fifo}: is not a regular file (a FIFO, device or socket); name a video file."));
    }

    [Fact]
    public void A_broken_picture_file_is_a_clear_error_and_leaves_no_output_folder()
    {
        // ffprobe claims a .png by its name and answers a video stream of 0x0 with exit code 0.
        string broken = Path.Combine(folder, "broken.png");
        File.WriteAllText(broken, "x");
        string output = Path.Combine(folder, "out", "broken.facemoji.mp4");

        var act = () => Annotator().Run(broken, output, null, createOutputFolder: true);

        act.Should().Throw<FacemojiException>().WithMessage("*broken.png: not a video ffmpeg can read (its video stream has no usable frame size, 0x0*");
        Directory.Exists(Path.Combine(folder, "out")).Should().BeFalse();
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void Frames_over_one_photos_memory_budget_are_refused_before_decoding()
    {
        // 7300x7300 RGBA is 203 MiB a frame, over the 200 MiB a photo's decode may take; one flat frame is a small file.
        string huge = Path.Combine(folder, "huge.png");
        Ffmpeg("-f", "lavfi", "-i", "color=c=gray:s=7300x7300", "-frames:v", "1", huge);

        var act = () => Annotator().Run(huge, Path.Combine(folder, "out.mp4"), null);

        act.Should().Throw<FacemojiException>().WithMessage("*huge.png: decoding 7300x7300 would take 203 MB, over the memory budget of 200 MB*");
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void A_file_with_sound_but_no_picture_is_a_clear_error()
    {
        string audio = Path.Combine(folder, "tone.m4a");
        Ffmpeg("-f", "lavfi", "-i", "sine=frequency=440:duration=1", "-c:a", "aac", audio);

        var act = () => Annotator().Run(audio, Path.Combine(folder, "out.mp4"), null);

        act.Should().Throw<FacemojiException>().WithMessage("*tone.m4a*no video stream*");
    }

    [Fact]
    [Trait("Category", "Slow")]
    public void A_missing_ffmpeg_says_how_to_install_it()
    {
        string clip = MakeClip(seconds: 1);
        string? before = Environment.GetEnvironmentVariable("FACEMOJI_FFPROBE");
        Environment.SetEnvironmentVariable("FACEMOJI_FFPROBE", "/nonexistent/ffprobe");
        try
        {
            var act = () => Annotator().Run(clip, Path.Combine(folder, "out.mp4"), null);
            act.Should().Throw<FacemojiException>().WithMessage("*apt-get install ffmpeg*");
        }
        finally
        {
            Environment.SetEnvironmentVariable("FACEMOJI_FFPROBE", before);
        }
    }

    [Fact]
    public void A_missing_input_names_the_file()
    {
        var act = () => Annotator().Run(Path.Combine(folder, "absent.mp4"), Path.Combine(folder, "out.mp4"), null);
        act.Should().Throw<FacemojiException>().WithMessage("*absent.mp4*");
    }
}
