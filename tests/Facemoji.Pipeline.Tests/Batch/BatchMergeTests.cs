using Facemoji.Engine;
using Facemoji.Pipeline.Batch;

namespace Facemoji.Pipeline.Tests.Batch;

public sealed class BatchMergeTests : IDisposable
{
    private const string HappyPhoto = """{"file":"b.png","width":4,"height":4,"faces":[{"box":[0,0,2,2],"emotion":"happy"},{"box":[2,2,2,2],"emotion":"sad"}]}""";
    private const string NoFace = """{"file":"a.png","width":4,"height":4,"faces":[]}""";
    private const string Failed = """{"file":"c.png","error":"c.png: not a PNG or JPEG file"}""";
    private readonly string folder = Path.Combine(Path.GetTempPath(), $"facemoji-merge-{Guid.NewGuid():N}");

    public BatchMergeTests() => Directory.CreateDirectory(folder);

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void Joins_shards_sorted_by_file_and_counts_emotions_and_failures()
    {
        string one = Write("0.jsonl", HappyPhoto, Failed);
        string two = Write("1.jsonl", NoFace);
        string merged = Path.Combine(folder, "all.jsonl");

        var summary = BatchMerge.Run([one, two], merged);

        File.ReadAllLines(merged).Should().Equal(NoFace, HappyPhoto, Failed);
        summary.Inputs.Should().Be(3);
        summary.Faces.Should().Be(2);
        summary.Emotions["happy"].Should().Be(1);
        summary.Emotions["sad"].Should().Be(1);
        summary.Emotions["angry"].Should().Be(0);
        summary.Failures.Should().Equal([("c.png", "c.png: not a PNG or JPEG file")]);
        summary.ToJson().Should().Contain("\"failed\": 1");
    }

    [Fact]
    public void Video_lines_add_their_face_frames_per_emotion()
    {
        string path = Write("v.jsonl",
            """{"file":"a.mp4","frames":10,"tracks":1,"faces":9,"emotions":{"angry":0,"disgust":0,"fear":0,"happy":7,"sad":0,"surprise":0,"neutral":2}}""",
            """{"file":"b.mp4","frames":5,"tracks":1,"faces":5,"emotions":{"angry":0,"disgust":0,"fear":0,"happy":1,"sad":0,"surprise":4,"neutral":0}}""");
        var summary = BatchMerge.Run([path], Path.Combine(folder, "all.jsonl"));
        summary.Faces.Should().Be(14);
        summary.Emotions["happy"].Should().Be(8);
        summary.Emotions["surprise"].Should().Be(4);
    }

    [Fact]
    public void The_same_input_twice_is_kept_once_when_equal_and_refused_when_not()
    {
        string merged = Path.Combine(folder, "all.jsonl");
        BatchMerge.Run([Write("0.jsonl", NoFace), Write("1.jsonl", NoFace)], merged).Inputs.Should().Be(1);

        string other = Write("2.jsonl", NoFace.Replace("\"width\":4", "\"width\":5"));
        var act = () => BatchMerge.Run([Write("3.jsonl", NoFace), other], Path.Combine(folder, "again.jsonl"));
        act.Should().Throw<FacemojiException>().WithMessage("*a.png has a different result*");
        File.Exists(Path.Combine(folder, "again.jsonl")).Should().BeFalse("a refused merge writes nothing");
    }

    [Fact]
    public void A_shard_cut_short_is_refused_with_advice()
    {
        string cut = Path.Combine(folder, "cut.jsonl");
        File.WriteAllText(cut, NoFace + "\n{\"file\":\"b.p");
        var act = () => BatchMerge.Run([cut], Path.Combine(folder, "all.jsonl"));
        act.Should().Throw<FacemojiException>().WithMessage("*cut.jsonl*cut short*--resume*");
    }

    [Fact(Timeout = 10_000)]
    public async Task An_empty_shard_adds_nothing_and_a_device_is_refused_unread()
    {
        string one = Write("0.jsonl", HappyPhoto, NoFace);
        string empty = Write("1.jsonl");
        string merged = Path.Combine(folder, "all.jsonl");

        var summary = BatchMerge.Run([one, empty], merged);

        File.ReadAllLines(merged).Should().Equal(NoFace, HappyPhoto);
        summary.Inputs.Should().Be(2);
        // /dev/zero reports length 0 like the empty shard; read, it would never end.
        var act = () => BatchMerge.Run([one, "/dev/zero"], Path.Combine(folder, "again.jsonl"));
        await Task.Run(() => act.Should().Throw<FacemojiException>().WithMessage("/dev/zero: is not a regular file (a FIFO, device or socket), so not a results file"));
        File.Exists(Path.Combine(folder, "again.jsonl")).Should().BeFalse();
    }

    [Fact]
    public void The_summary_is_written_whole_and_never_over_a_shard_or_the_merged_file()
    {
        string one = Write("0.jsonl", HappyPhoto, Failed);
        string merged = Path.Combine(folder, "all.jsonl");
        string summary = Path.Combine(folder, "summary.json");

        BatchMerge.Run([one], merged, summary);

        File.ReadAllText(summary).Should().Contain("\"failed\": 1").And.EndWith("}\n");
        foreach (string clash in (string[])[one, merged])
        {
            byte[] before = File.ReadAllBytes(clash);
            var act = () => BatchMerge.Run([one], merged, clash);
            act.Should().Throw<FacemojiException>().WithMessage($"--summary {clash}: would overwrite the merged file or one of its inputs*");
            File.ReadAllBytes(clash).Should().Equal(before);
        }
    }

    [Fact]
    public void The_merged_file_may_not_replace_a_device()
    {
        string one = Write("0.jsonl", HappyPhoto);
        string link = Path.Combine(folder, "null.jsonl");
        File.CreateSymbolicLink(link, "/dev/null");

        var act = () => BatchMerge.Run([one], link);

        act.Should().Throw<FacemojiException>().WithMessage($"{link}: is not a regular file*");
        new FileInfo(link).LinkTarget.Should().Be("/dev/null", "the link is still there, not replaced by the merged file");
    }

    [Fact]
    public void Line_numbers_in_errors_count_blank_lines()
    {
        string path = Path.Combine(folder, "gap.jsonl");
        File.WriteAllText(path, NoFace + "\n\r\nnot json\n");
        var act = () => BatchMerge.Run([path], Path.Combine(folder, "all.jsonl"));
        act.Should().Throw<FacemojiException>().WithMessage($"{path} line 3: not a results line*");
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        var act = () => BatchMerge.Run([Path.Combine(folder, "nope.jsonl")], Path.Combine(folder, "all.jsonl"));
        act.Should().Throw<FacemojiException>().WithMessage("*nope.jsonl: no such results file*");
    }

    private string Write(string name, params string[] lines)
    {
        string path = Path.Combine(folder, name);
        File.WriteAllText(path, string.Concat(lines.Select(l => l + "\n")));
        return path;
    }
}
