using Facemoji.Engine;
using Facemoji.Pipeline.Batch;

namespace Facemoji.Pipeline.Tests.Batch;

public class ShardSpecTests
{
    [Theory]
    [InlineData("", 0xcbf29ce484222325UL)]
    [InlineData("a", 0xaf63dc4c8601ec8cUL)]
    [InlineData("foobar", 0x85944171f73967e8UL)]
    public void Fnv1a64_matches_the_published_test_vectors(string text, ulong expected)
    {
        ShardSpec.Fnv1a64(text).Should().Be(expected);
    }

    [Fact]
    public void The_split_is_the_same_on_every_machine()
    {
        // Worked out once with an independent FNV-1a (Python); a change here would re-split every running batch.
        var shard = new ShardSpec(0, 4);
        string[] names = ["a.png", "b.png", "c.png", "d.png", "sub/e.jpg", "photos/cat.png"];
        int[] expected = [1, 0, 3, 2, 0, 2];
        for (int i = 0; i < names.Length; i++)
        {
            Enumerable.Range(0, 4).Single(k => (shard with { Index = k }).Contains(names[i])).Should().Be(expected[i], names[i]);
        }
    }

    [Fact]
    public void Every_input_falls_in_exactly_one_shard_and_the_shards_are_balanced()
    {
        var keys = Enumerable.Range(0, 4000).Select(i => $"folder/img_{i:D5}.jpg").ToList();
        var sizes = new int[4];
        foreach (string key in keys)
        {
            var owners = Enumerable.Range(0, 4).Where(i => new ShardSpec(i, 4).Contains(key)).ToList();
            owners.Should().ContainSingle(key);
            sizes[owners[0]]++;
        }

        sizes.Should().OnlyContain(n => n > 900 && n < 1100, "FNV-1a spreads similar names evenly");
    }

    [Fact]
    public void Windows_separators_and_a_leading_dot_slash_do_not_change_the_shard()
    {
        ShardSpec.NormalizeKey("sub\\e.jpg").Should().Be("sub/e.jpg");
        ShardSpec.NormalizeKey("./sub/e.jpg").Should().Be("sub/e.jpg");
    }

    [Theory]
    [InlineData("0/4", 0, 4)]
    [InlineData("3/4", 3, 4)]
    [InlineData("0/1", 0, 1)]
    public void Parses_good_values(string text, int index, int count)
    {
        ShardSpec.Parse(text).Should().Be(new ShardSpec(index, count));
    }

    [Theory]
    [InlineData("4/4", "below the number of shards")]
    [InlineData("0/0", "at least 1")]
    [InlineData("-1/4", "expected I/N")]
    [InlineData("1", "expected I/N")]
    [InlineData("a/b", "expected I/N")]
    [InlineData("1/2/3", "expected I/N")]
    [InlineData(" 1/2", "expected I/N")]
    [InlineData("", "expected I/N")]
    public void Refuses_bad_values_with_a_clear_message(string text, string problem)
    {
        var act = () => ShardSpec.Parse(text);
        act.Should().Throw<FacemojiException>().WithMessage($"*--shard '{text}'*{problem}*");
    }
}
