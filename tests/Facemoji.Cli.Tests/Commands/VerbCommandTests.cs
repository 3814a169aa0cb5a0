using System.CommandLine;
using System.Text.Json;
using Facemoji.Cli.Tests.Training;
using Facemoji.Imaging;

namespace Facemoji.Cli.Tests.Commands;

/// <summary>
/// Every verb of the <c>facemoji</c> command, run as a user runs it: a bad input is one line on standard error that
/// names the input, exit code 1, no stack trace and nothing on standard output that looks like a result; --json
/// prints parseable JSON and nothing else. <see cref="BadInputs"/> must name every verb (a new verb fails
/// <see cref="Every_verb_has_a_bad_input_case"/> until it gets one).
/// </summary>
[Trait("Category", "Slow")]
public sealed class VerbCommandTests : IDisposable
{
    private readonly string folder = Path.Combine(Path.GetTempPath(), "facemoji-verb-tests", Guid.NewGuid().ToString("N"));
    private readonly Dictionary<string, string> environment;

    public VerbCommandTests()
    {
        Directory.CreateDirectory(folder);
        environment = new() { ["XDG_CACHE_HOME"] = Path.Combine(folder, "xdg-cache"), ["FACEMOJI_CACHE_DIR"] = string.Empty, ["FACEMOJI_BROWSER"] = string.Empty };
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Each leaf verb (as "bench infer") with one bad input and the text its error must contain.</summary>
    public static TheoryData<string, string[], string> BadInputs => new()
    {
        { "image", ["image", "/no/such/photo.png"], "/no/such/photo.png" },
        { "video", ["video", "/no/such/clip.mp4"], "/no/such/clip.mp4" },
        { "merge", ["merge", "/no/such/shard.jsonl", "-o", "all.jsonl"], "/no/such/shard.jsonl" },
        { "demo", ["demo", "--input", "/no/such/face.png", "-o", "demo-out"], "/no/such/face.png" },
        { "bench gemm", ["bench", "gemm", "--kernel", "nosuch"], "nosuch" },
        { "bench train", ["bench", "train", "--arch", "no-such-net"], "no-such-net" },
        { "bench infer", ["bench", "infer", "--arch", "no-such-net"], "no-such-net" },
        { "bench web", ["bench", "web", "--image", "/no/such/img.png", "--quick"], "/no/such/img.png" },
        { "bench detect", ["bench", "detect", "--frame", "/no/such/frame.png"], "/no/such/frame.png" },
        { "bench imaging", ["bench", "imaging", "--image", "/no/such/photo.png", "--quick"], "/no/such/photo.png" },
        { "train", ["train", "--data", "/no/such/faces.csv"], "/no/such/faces.csv" },
        { "evaluate", ["evaluate", "--data", "/no/such/faces.csv"], "/no/such/faces.csv" },
        { "calibrate", ["calibrate", "/no/such/m.fmj", "--data", "/no/such/faces.csv"], "/no/such/" },
        { "model show", ["model", "show", "/no/such/m.fmj"], "/no/such/m.fmj" },
        { "model average", ["model", "average", "/no/such/a.fmj", "/no/such/b.fmj", "-o", "soup.fmj"], "/no/such/a.fmj" },
        { "export", ["export", "/no/such/m.fmj", "-o", "x.onnx"], "/no/such/m.fmj" },
        { "serve", ["serve", "--model", "/no/such/m.fmj", "--urls", "http://127.0.0.1:0"], "/no/such/m.fmj" },
        { "live", ["live", "--model", "/no/such/m.fmj", "--urls", "http://127.0.0.1:0"], "/no/such/m.fmj" },
        { "packs list", ["packs", "list", "--no-such-option"], "--no-such-option" },
        { "packs show", ["packs", "show", "/no/such/pack"], "/no/such/pack" },
        { "packs new", ["packs", "new", "Bad Name!"], "Bad Name!" },
        { "packs validate", ["packs", "validate", "/no/such/pack"], "/no/such/pack" },
    };

    /// <summary>/dev/zero as each kind of input file: it reports length 0 and never ends, so it must be refused unread.</summary>
    public static TheoryData<string[]> DeviceInputs => new()
    {
        { ["image", "/dev/zero"] },
        { ["image", "/no/such/photo.png", "--model", "/dev/zero"] },
        { ["image", "/no/such/photo.png", "--detector", "haar", "--cascade", "/dev/zero"] },
        { ["evaluate", "--data", "/dev/zero"] },
        { ["train", "--data", "/no/such/faces.csv", "--teacher", "/dev/zero"] },
        { ["model", "show", "/dev/zero"] },
        { ["video", "/dev/zero"] },
    };

    [Theory(Timeout = 60_000)]
    [MemberData(nameof(DeviceInputs))]
    public async Task A_device_as_an_input_file_is_refused_unread(string[] args)
    {
        var run = await Task.Run(() => CliRun.Run(folder, environment, args));

        run.ExitCode.Should().Be(CliErrors.UserError, $"facemoji {string.Join(' ', args)}: {run.Stderr}");
        run.Stderr.Should().Contain("/dev/zero").And.NotContain("   at ", "never a stack trace").And.NotContain("internal error");
    }

    /// <summary>
    /// Outputs are renamed over their target: -o naming a device must be refused, or (as root) the device is replaced.
    /// The tests name a link to /dev/null, so that a failure replaces the link, never the device.
    /// </summary>
    public static TheoryData<string[]> DeviceOutputs => new()
    {
        { ["export", RepositoryFiles.PathOf("models", "facemoji.fmj"), "-o", "null.onnx"] },
        { ["train", "--data", "/no/such/faces.csv", "-o", "null.fmj"] },
        { ["model", "average", RepositoryFiles.PathOf("models", "facemoji.fmj"), RepositoryFiles.PathOf("models", "facemoji.fmj"), "-o", "null.fmj"] },
        { ["merge", "shard.jsonl", "-o", "null.jsonl"] },
        { ["image", "/no/such/photo.png", "--no-images", "--jsonl", "null.jsonl"] },
    };

    [Theory]
    [MemberData(nameof(DeviceOutputs))]
    public void A_device_as_an_output_is_refused_and_left_alone(string[] args)
    {
        string link = Path.Combine(folder, args[^1]);
        File.CreateSymbolicLink(link, "/dev/null");
        File.WriteAllText(Path.Combine(folder, "shard.jsonl"), "{\"file\":\"a.png\",\"faces\":[]}\n");

        var run = CliRun.Run(folder, environment, args);

        run.ExitCode.Should().Be(CliErrors.UserError, $"facemoji {string.Join(' ', args)}: {run.Stderr}");
        run.Stderr.Should().Contain($"{args[^1]}: is not a regular file (a FIFO, device or socket)").And.NotContain("   at ");
        new FileInfo(link).LinkTarget.Should().Be("/dev/null", "the link is not replaced");
    }

    [Theory]
    [InlineData("image")]
    [InlineData("demo")]
    public void A_file_as_the_output_folder_is_named(string verb)
    {
        File.WriteAllText(Path.Combine(folder, "notes.txt"), "mine");

        var run = CliRun.Run(folder, environment, verb == "image" ? ["image", AstronautPhoto(), "-o", "notes.txt"] : ["demo", "-o", "notes.txt"]);

        run.ExitCode.Should().Be(CliErrors.UserError, run.Stderr);
        run.Stderr.Should().Contain("notes.txt: is a file, not a folder").And.NotContain("already exists");
        File.ReadAllText(Path.Combine(folder, "notes.txt")).Should().Be("mine");
    }

    [Fact]
    public void An_unknown_option_is_not_taken_for_a_file_name()
    {
        // image takes files: --min-face (a video option) was read as a file, "file not found", while the photo ran.
        var run = CliRun.Run(folder, environment, ["image", "--min-face", "20", AstronautPhoto()]);

        run.ExitCode.Should().Be(CliErrors.UserError, run.Stderr);
        run.Stderr.Should().Contain("unknown option '--min-face'").And.NotContain("file not found");
        run.Stdout.Should().NotContain("wrote ");
        Directory.Exists(Path.Combine(folder, "out")).Should().BeFalse();

        File.WriteAllText(Path.Combine(folder, "--odd.png"), "not a png");
        var named = CliRun.Run(folder, environment, ["image", "--json", "--", "--odd.png"]);
        named.Stdout.Should().Contain("\"file\":\"--odd.png\"", "after -- it is a file name");
        named.Stderr.Should().Contain("--odd.png: unsupported format");
    }

    [Fact]
    public void A_picture_file_ffmpeg_cannot_decode_is_no_video_and_leaves_no_output_folder()
    {
        File.WriteAllText(Path.Combine(folder, "broken.png"), "x");

        var run = CliRun.Run(folder, environment, ["video", "broken.png"]);

        run.ExitCode.Should().Be(CliErrors.UserError, run.Stderr);
        run.Stderr.Should().Contain("broken.png: not a video ffmpeg can read").And.NotContain("internal error");
        Directory.Exists(Path.Combine(folder, "out")).Should().BeFalse("nothing is made for an input that cannot be read");
    }

    [Fact]
    public void Every_verb_has_a_bad_input_case()
    {
        var covered = BadInputs.Select(row => (string)row[0]).ToHashSet();
        LeafVerbs(Program.BuildRoot(), string.Empty).Should().BeSubsetOf(covered, "every verb needs a command-level test of a bad input");
    }

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void A_bad_input_is_one_clear_error_and_exit_code_1(string verb, string[] args, string named)
    {
        var run = CliRun.Run(folder, environment, args);

        run.ExitCode.Should().Be(CliErrors.UserError, $"facemoji {verb}: {run.Stderr}");
        run.Stderr.Should().Contain("error").And.Contain(named);
        run.Stderr.Should().NotContain("   at ", "never a stack trace");
        run.Stdout.Should().NotContain("\"faces\"").And.NotContain("wrote ");
    }

    [Fact]
    public void Image_with_json_prints_a_line_per_input_an_error_line_for_a_bad_one_and_exits_1()
    {
        File.WriteAllText(Path.Combine(folder, "broken.png"), "not a png");
        var run = CliRun.Run(folder, environment, "image", AstronautPhoto(), "broken.png", "--json");

        run.ExitCode.Should().Be(CliErrors.UserError, "an input failed");
        var lines = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        lines.Should().HaveCount(2, "standard output holds the JSON lines and nothing else");
        lines[0].GetProperty("file").GetString().Should().EndWith("astronaut.png");
        var face = lines[0].GetProperty("faces")[0];
        face.GetProperty("box").GetArrayLength().Should().Be(4);
        face.GetProperty("emotion").GetString().Should().NotBeNullOrEmpty();
        lines[0].GetProperty("width").GetInt32().Should().Be(512);
        lines[1].GetProperty("file").GetString().Should().Be("broken.png");
        lines[1].GetProperty("error").GetString().Should().Contain("broken.png");
        run.Stderr.Should().Contain("error: ").And.Contain("broken.png");
        Directory.Exists(Path.Combine(folder, "out")).Should().BeFalse("--json without -o writes no pictures");
    }

    [Fact]
    public void Image_exits_0_when_every_input_is_read_even_without_a_face()
    {
        ImageCodecs.Save(new RgbaImage(64, 48), Path.Combine(folder, "blank.png"));
        var run = CliRun.Run(folder, environment, "image", "blank.png", AstronautPhoto(), "-o", "copies");

        run.ExitCode.Should().Be(0, run.Stderr);
        run.Stdout.Should().Contain("no face").And.Contain($"wrote {Path.Combine("copies", "astronaut.facemoji.png")}");
        Directory.GetFiles(Path.Combine(folder, "copies")).Should().HaveCount(1);
    }

    [Fact]
    public void Demo_writes_the_pictures_it_names()
    {
        var run = CliRun.Run(folder, environment, "demo", "-o", "demo-out", "--mode", "badge");

        run.ExitCode.Should().Be(0, run.Stderr);
        var written = Directory.GetFiles(Path.Combine(folder, "demo-out"));
        written.Should().NotBeEmpty();
        written.Should().OnlyContain(f => run.Stdout.Contains(Path.GetFileName(f)), "every picture written is named");
    }

    [Fact]
    public void Merge_with_json_prints_one_summary_object()
    {
        string shard = Path.Combine(folder, "shard.jsonl");
        File.WriteAllText(shard, "{\"file\":\"a.png\",\"width\":4,\"height\":4,\"faces\":[]}\n{\"file\":\"b.png\",\"error\":\"b.png: file not found\"}\n");
        var run = CliRun.Run(folder, environment, "merge", shard, "-o", "all.jsonl", "--json");

        run.ExitCode.Should().Be(0, run.Stderr);
        var summary = JsonDocument.Parse(run.Stdout).RootElement;
        summary.ValueKind.Should().Be(JsonValueKind.Object);
        File.ReadAllLines(Path.Combine(folder, "all.jsonl")).Should().HaveCount(2);
    }

    [Theory]
    [InlineData("gemm", "--filter", "square 256")]
    [InlineData("detect", "--frame", "tests/Facemoji.Vision.Tests/Fixtures/detector/frame_640x480.pgm")]
    public void Bench_with_json_prints_one_object(string what, params string[] more)
    {
        // Paths under the repository (the detector's frame) are given from its root.
        string[] args = [.. more.Select(a => a.StartsWith("tests/", StringComparison.Ordinal) ? Path.Combine(RepositoryRoot(), a) : a)];
        var run = CliRun.Run(folder, environment, ["bench", what, "--quick", "--json", "--threads", "1", .. args]);

        run.ExitCode.Should().Be(0, run.Stderr);
        JsonDocument.Parse(run.Stdout).RootElement.ValueKind.Should().Be(JsonValueKind.Object, "--json prints exactly one JSON object");
    }

    [Fact]
    public void Bench_detect_with_a_detector_times_it_on_one_thread()
    {
        string frame = Path.Combine(RepositoryRoot(), "tests", "Facemoji.Vision.Tests", "Fixtures", "detector", "frame_640x480.pgm");
        var run = CliRun.Run(folder, environment, "bench", "detect", "--detector", "haar", "--frame", frame, "--quick");

        run.ExitCode.Should().Be(0, run.Stderr);
        run.Stdout.Should().MatchRegex(@"^haar: \d+\.\d\d ms per 640x480 frame on 1 thread \(median of 3x5\), \d+ face\(s\)\s*$");
    }

    /// <summary>The verbs a user types, subcommands spelled out ("bench infer"), without the groups that only hold them.</summary>
    private static IEnumerable<string> LeafVerbs(Command command, string prefix)
    {
        foreach (var sub in command.Subcommands)
        {
            string path = (prefix + " " + sub.Name).Trim();
            if (sub.Subcommands.Count == 0)
            {
                yield return path;
            }
            else
            {
                foreach (string leaf in LeafVerbs(sub, path))
                {
                    yield return leaf;
                }
            }
        }
    }

    private static string AstronautPhoto()
    {
        string path = Path.Combine(RepositoryRoot(), "third_party", "skimage", "astronaut.png");
        return File.Exists(path) ? path : throw new FileNotFoundException($"{path}: run tools/setup.sh");
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Facemoji.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No Facemoji.sln above {AppContext.BaseDirectory}.");
    }
}
