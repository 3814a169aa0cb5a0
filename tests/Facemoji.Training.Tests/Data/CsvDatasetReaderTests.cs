using System.Text;
using Facemoji.Engine;
using Facemoji.Expressions;
using Facemoji.Training.Data;

namespace Facemoji.Training.Tests.Data;

public class CsvDatasetReaderTests
{
    private static DatasetSplits Parse(string csv, bool skipBad = false, SkippedRecords? skipped = null) =>
        CsvDatasetReader.Parse(Encoding.UTF8.GetBytes(csv), "faces.csv", skipBad, skipped ?? new SkippedRecords());

    [Fact]
    public void Reads_the_three_Kaggle_splits_with_labels_and_pixels_in_place()
    {
        var csv = TinyCsv.Build([(0, "Training"), (3, "PublicTest"), (6, "Training"), (1, "PrivateTest")]);

        var splits = Parse(csv);

        splits.Names.Should().Equal("train", "val", "test");
        var train = splits.Get("train");
        train.Count.Should().Be(2);
        train.Labels.Should().Equal(0, 6);
        train.Image(1)[100].Should().Be(TinyCsv.Pixel(2, 100));
        splits.Get("PublicTest").Label(0).Should().Be(Emotion.Happy);
        splits.Get("privatetest").Image(0)[2303].Should().Be(TinyCsv.Pixel(3, 2303));
    }

    [Fact]
    public void A_file_without_Usage_is_one_split_answering_every_request()
    {
        var splits = Parse(TinyCsv.Build([(2, null), (5, null)]));

        splits.IsSingleSplit.Should().BeTrue();
        splits.Get("train").Labels.Should().Equal(2, 5);
        splits.Get("test").Should().BeSameAs(splits.Get("all"));
    }

    [Fact]
    public void Accepts_crlf_quotes_a_bom_reordered_columns_and_no_header()
    {
        string row = TinyCsv.Pixels(0);
        var reordered = Parse($"\uFEFFUsage,pixels,emotion\r\nTraining,\"{row}\",4\r\n");
        reordered.Get("train").Labels.Should().Equal(4);
        reordered.Get("train").Image(0)[5].Should().Be(TinyCsv.Pixel(0, 5));

        var headerless = Parse(TinyCsv.Build([(3, "Training")], header: false));
        headerless.Get("train").Labels.Should().Equal(3);
    }

    [Theory]
    [InlineData("7", "unknown emotion code '7'")]
    [InlineData("x", "unknown emotion code 'x'")]
    public void An_unknown_code_is_an_error_with_the_line_number(string code, string expected)
    {
        var csv = "emotion,pixels\n0," + TinyCsv.Pixels(0) + "\n" + code + "," + TinyCsv.Pixels(1) + "\n";

        var act = () => Parse(csv);

        act.Should().Throw<FacemojiException>().WithMessage($"faces.csv line 3: {expected}*--skip-bad*");
    }

    [Fact]
    public void A_wrong_pixel_count_or_value_is_an_error_with_the_line_number()
    {
        var shortRow = "emotion,pixels\n0," + TinyCsv.Pixels(0, 2303) + "\n";
        var outOfRange = "emotion,pixels\n0," + TinyCsv.Pixels(0, 2303) + " 256\n";
        var notANumber = "emotion,pixels\n0,\n1," + TinyCsv.Pixels(0, 10) + " 1x " + TinyCsv.Pixels(0, 2293) + "\n";

        ((Action)(() => Parse(shortRow))).Should().Throw<FacemojiException>().WithMessage("faces.csv line 2: expected 2304 pixel values, found 2303*");
        ((Action)(() => Parse(outOfRange))).Should().Throw<FacemojiException>().WithMessage("faces.csv line 2: pixel 2304 is 256, out of range 0..255*");
        ((Action)(() => Parse(notANumber))).Should().Throw<FacemojiException>().WithMessage("faces.csv line 2: expected 2304 pixel values, found 0*");
        ((Action)(() => Parse(notANumber.Replace("0,\n", "0," + TinyCsv.Pixels(0) + "\n")))).Should().Throw<FacemojiException>()
            .WithMessage("faces.csv line 3: pixel 11 is '1x'*");
    }

    [Fact]
    public void Unknown_usage_and_missing_fields_are_errors()
    {
        ((Action)(() => Parse(TinyCsv.Build([(0, "Holdout")])))).Should().Throw<FacemojiException>().WithMessage("faces.csv line 2: unknown Usage 'Holdout'*");
        ((Action)(() => Parse("emotion,pixels,Usage\n0," + TinyCsv.Pixels(0) + "\n"))).Should().Throw<FacemojiException>().WithMessage("faces.csv line 2: expected 3 fields, found 2*");
        ((Action)(() => Parse("code,values\n0,1\n"))).Should().Throw<FacemojiException>().WithMessage("faces.csv line 1: the header must name*");
    }

    [Fact]
    public void Skip_bad_counts_and_skips_bad_rows_keeping_the_good_ones()
    {
        var csv = "emotion,pixels\n" +
                  "0," + TinyCsv.Pixels(0) + "\n" +
                  "9," + TinyCsv.Pixels(1) + "\n" +
                  "1," + TinyCsv.Pixels(2, 5) + "\n" +
                  "2," + TinyCsv.Pixels(3) + "\n";
        var skipped = new SkippedRecords();

        var splits = Parse(csv, skipBad: true, skipped);

        splits.Get("all").Labels.Should().Equal(0, 2);
        splits.Get("all").Image(1)[7].Should().Be(TinyCsv.Pixel(3, 7));
        skipped.Count.Should().Be(2);
        skipped.Examples[0].Should().StartWith("faces.csv line 3:");
        skipped.Examples[1].Should().StartWith("faces.csv line 4:");
    }

    [Fact]
    public void An_empty_file_or_only_a_header_names_the_file()
    {
        ((Action)(() => Parse(""))).Should().Throw<FacemojiException>().WithMessage("faces.csv: holds no images*");
        ((Action)(() => Parse("emotion,pixels,Usage\n"))).Should().Throw<FacemojiException>().WithMessage("faces.csv: holds no images*");
        ((Action)(() => Parse("emotion,pixels\n8,1\n", skipBad: true))).Should().Throw<FacemojiException>().WithMessage("faces.csv: every row is bad*");
    }
}
